package dev.llmtestbench.platform.database;

import dev.llmtestbench.platform.json.Json;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** Conversions between PostgreSQL column types (text[], jsonb) and Java values. */
public final class Rows {

  /** The JSON-B type of {@code Map<String, Object>}. */
  public static final Type MAP_TYPE =
      new ParameterizedType() {
        @Override
        public Type[] getActualTypeArguments() {
          return new Type[] {String.class, Object.class};
        }

        @Override
        public Type getRawType() {
          return Map.class;
        }

        @Override
        public Type getOwnerType() {
          return null;
        }
      };

  private Rows() {}

  public static List<String> strings(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    if (array == null) {
      return List.of();
    }
    return List.of((String[]) array.getArray());
  }

  public static Array textArray(Connection c, List<String> values) throws SQLException {
    return c.createArrayOf("text", (values == null ? List.<String>of() : values).toArray());
  }

  public static Map<String, Object> map(ResultSet rs, String column) throws SQLException {
    String json = rs.getString(column);
    Map<String, Object> map = json == null ? null : Json.read(json, MAP_TYPE);
    return map == null ? Map.of() : map;
  }

  public static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class);
  }

  public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  public static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /** Wraps a checked SQL failure; the REST layer answers it as a generic 500 with an id. */
  public static RuntimeException failure(SQLException e) {
    return new DataAccessException(e);
  }

  /** A database failure that callers cannot fix. */
  public static final class DataAccessException extends RuntimeException {
    DataAccessException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
