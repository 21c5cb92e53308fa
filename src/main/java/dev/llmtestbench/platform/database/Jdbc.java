package dev.llmtestbench.platform.database;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Runs one SQL statement on the container DataSource: binds parameters (collections of strings or
 * UUIDs become PostgreSQL arrays), maps rows, and turns SQL failures into {@link
 * Rows.DataAccessException}. Joins the caller's transaction when there is one.
 */
@ApplicationScoped
public class Jdbc {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = list(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs an INSERT, UPDATE or DELETE and returns the rows it touched. */
  public int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  public static void bind(Connection c, PreparedStatement ps, Object... params)
      throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Collection<?> values) {
        boolean uuids = !values.isEmpty() && values.iterator().next() instanceof UUID;
        p = c.createArrayOf(uuids ? "uuid" : "text", values.toArray());
      }
      ps.setObject(i + 1, p);
    }
  }
}
