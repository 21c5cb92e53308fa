package dev.llmtestbench.provider.openai;

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

/** JSON-P factories and lenient field readers shared by the OpenAI-protocol classes. */
final class Wire {

  // Cached because Json.createXxx looks the JSON-P provider up on every call.
  static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  private Wire() {}

  /** The JSON object in {@code text}; throws JsonException or JsonParsingException otherwise. */
  static JsonObject readObject(String text) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  /**
   * Any JSON value in {@code text} (objects and arrays, as JSON Schemas and tool arguments are).
   */
  static JsonValue readValue(String text) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  static String string(JsonObject object, String key) {
    return object != null && object.get(key) instanceof JsonString s ? s.getString() : null;
  }

  static Integer integer(JsonObject object, String key) {
    return object != null && object.get(key) instanceof JsonNumber n ? n.intValue() : null;
  }

  static JsonObject object(JsonObject object, String key) {
    return object != null && object.get(key) instanceof JsonObject o ? o : null;
  }

  static JsonArray array(JsonObject object, String key) {
    return object != null && object.get(key) instanceof JsonArray a ? a : null;
  }

  /** The first choice of a chat answer or chunk (index 0), or null when there is none. */
  static JsonObject firstChoice(JsonObject root) {
    JsonArray choices = array(root, "choices");
    if (choices == null) {
      return null;
    }
    for (JsonValue value : choices) {
      if (value instanceof JsonObject choice) {
        Integer index = integer(choice, "index");
        if (index == null || index == 0) {
          return choice;
        }
      }
    }
    return null;
  }
}
