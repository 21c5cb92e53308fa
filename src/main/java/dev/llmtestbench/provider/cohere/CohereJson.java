package dev.llmtestbench.provider.cohere;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;

/** JSON-P factories and lenient field readers shared by the Cohere adapter. */
final class CohereJson {

  // Cached because Json.createXxx looks the JSON-P provider up on every call.
  static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  private CohereJson() {}

  /** Parses a JSON object; JsonException or IllegalStateException when the text is not one. */
  static JsonObject readObject(String text) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  static JsonObject object(JsonObject parent, String key) {
    return parent != null && parent.get(key) instanceof JsonObject child
        ? child
        : JsonValue.EMPTY_JSON_OBJECT;
  }

  static JsonArray array(JsonObject parent, String key) {
    return parent != null && parent.get(key) instanceof JsonArray child
        ? child
        : JsonValue.EMPTY_JSON_ARRAY;
  }

  static String string(JsonObject object, String key) {
    return object != null && object.get(key) instanceof JsonString text ? text.getString() : null;
  }

  /** A count, which Cohere sometimes sends as a float such as {@code 18.0}. */
  static Integer count(JsonObject object, String key) {
    return object != null && object.get(key) instanceof JsonNumber number
        ? (int) Math.round(number.doubleValue())
        : null;
  }
}
