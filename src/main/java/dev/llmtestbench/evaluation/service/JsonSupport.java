package dev.llmtestbench.evaluation.service;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Iterator;
import java.util.Map;

/** JSON parsing and comparison shared by the JSON-based assertions. */
final class JsonSupport {

  private JsonSupport() {}

  /** Parses text that must hold exactly one JSON value, apart from surrounding whitespace. */
  static JsonValue parse(String text) {
    try (JsonParser parser = Parsers.FACTORY.createParser(new StringReader(text))) {
      if (!parser.hasNext()) {
        throw new IllegalArgumentException("no JSON value");
      }
      parser.next();
      JsonValue value = parser.getValue();
      // The parser reports anything but whitespace after the value as an error.
      while (parser.hasNext()) {
        parser.next();
      }
      return value;
    }
  }

  /**
   * Reads the JSON object or array that starts at {@code start}, stopping at its end.
   *
   * @return the value and the offset just after it, or no value and the offset where reading failed
   *     (always after {@code start}, so a scan that resumes there makes progress)
   */
  static Found parseAt(String text, int start) {
    RegionReader reader = new RegionReader(text, start);
    try (JsonParser parser = Parsers.FACTORY.createParser(reader)) {
      parser.next();
      JsonValue value = parser.getValue();
      return new Found(value, start + (int) parser.getLocation().getStreamOffset());
    } catch (JsonParsingException e) {
      long offset = e.getLocation() == null ? -1 : e.getLocation().getStreamOffset();
      return new Found(null, start + (int) Math.max(1, offset >= 0 ? offset : reader.read));
    } catch (RuntimeException e) {
      // Hostile input (e.g. nesting beyond the parser's limit) ends up here: not JSON.
      return new Found(null, start + Math.max(1, reader.read));
    }
  }

  /** A JSON value found in a text and where it ends, or no value and where reading failed. */
  record Found(JsonValue value, int end) {}

  /** Tells a JSON value's type by its value type, as providers need not share the constants. */
  static boolean is(JsonValue value, JsonValue.ValueType type) {
    return value != null && value.getValueType() == type;
  }

  /** Returns the parser's message without the exception class. */
  static String message(RuntimeException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Names a JSON value's type for messages: "an object", "the string \"x\"", "the number 3". */
  static String describe(JsonValue value) {
    return switch (value.getValueType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "the string " + BaseAssertion.quote(((JsonString) value).getString());
      case NUMBER -> "the number " + value;
      case TRUE, FALSE -> "the boolean " + value;
      case NULL -> "null";
    };
  }

  /** JSON equality, under which numbers are equal by value ({@code 1} equals {@code 1.0}). */
  static boolean equal(JsonValue a, JsonValue b) {
    if (a.getValueType() != b.getValueType()) {
      return false;
    }
    switch (a.getValueType()) {
      case NUMBER:
        return ((JsonNumber) a).bigDecimalValue().compareTo(((JsonNumber) b).bigDecimalValue())
            == 0;
      case ARRAY:
        JsonArray left = (JsonArray) a;
        JsonArray right = (JsonArray) b;
        if (left.size() != right.size()) {
          return false;
        }
        Iterator<JsonValue> other = right.iterator();
        for (JsonValue item : left) {
          if (!equal(item, other.next())) {
            return false;
          }
        }
        return true;
      case OBJECT:
        JsonObject first = (JsonObject) a;
        JsonObject second = (JsonObject) b;
        if (first.size() != second.size()) {
          return false;
        }
        for (Map.Entry<String, JsonValue> entry : first.entrySet()) {
          JsonValue match = second.get(entry.getKey());
          if (match == null || !equal(entry.getValue(), match)) {
            return false;
          }
        }
        return true;
      default:
        return a.equals(b);
    }
  }

  /** Reads a string from an offset on without copying it, counting what was read. */
  private static final class RegionReader extends Reader {
    private final String text;
    private int position;
    int read;

    RegionReader(String text, int start) {
      this.text = text;
      this.position = start;
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      int available = Math.min(length, text.length() - position);
      if (available <= 0) {
        return -1;
      }
      text.getChars(position, position + available, buffer, offset);
      position += available;
      read += available;
      return available;
    }

    @Override
    public void close() {
      // Nothing to release.
    }
  }

  /** Looks the JSON-P provider up once, on first use, instead of on every parse. */
  static final class Parsers {
    static final JsonParserFactory FACTORY = JsonProvider.provider().createParserFactory(Map.of());

    private Parsers() {}
  }
}
