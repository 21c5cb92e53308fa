package dev.llmtestbench.provider.spi;

import java.util.Objects;

/**
 * The shape the answer must take: {@code text} (default), {@code json_object} (any JSON object), or
 * {@code json_schema} (JSON matching {@code schema}, a JSON Schema document as text, under {@code
 * name}).
 */
public record ResponseFormat(String type, String name, String schema) {

  public static final String TEXT = "text";
  public static final String JSON_OBJECT = "json_object";
  public static final String JSON_SCHEMA = "json_schema";

  public ResponseFormat {
    Objects.requireNonNull(type, "type");
    if (JSON_SCHEMA.equals(type) && schema == null) {
      throw new IllegalArgumentException("json_schema needs a schema.");
    }
  }

  public static ResponseFormat jsonObject() {
    return new ResponseFormat(JSON_OBJECT, null, null);
  }
}
