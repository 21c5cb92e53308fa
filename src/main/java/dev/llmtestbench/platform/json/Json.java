package dev.llmtestbench.platform.json;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import java.lang.reflect.Type;

/** The application's one JSON-B instance, for JSONB columns and wire formats (thread-safe). */
public final class Json {

  private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));

  private Json() {}

  public static String write(Object value) {
    return value == null ? null : JSONB.toJson(value);
  }

  public static <T> T read(String json, Class<T> type) {
    return json == null ? null : JSONB.fromJson(json, type);
  }

  public static <T> T read(String json, Type type) {
    return json == null ? null : JSONB.fromJson(json, type);
  }
}
