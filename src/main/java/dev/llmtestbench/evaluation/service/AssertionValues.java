package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses and checks the {@code value}s of assertion types whose argument is more than plain text:
 * lists, JSON and numbers. Every method reports a problem through the given function, which turns a
 * sentence saying what to fix into the exception {@code Assertions.compile} throws.
 */
final class AssertionValues {

  /** Turns a problem into the exception to throw, with the assertion's position and type. */
  interface Problems extends Function<String, InvalidAssertionException> {}

  private AssertionValues() {}

  /**
   * Reads a list of texts: a JSON array of strings (or numbers), or comma-separated text as
   * promptfoo accepts it, where a field in double quotes may hold commas ({@code "a, b", c}) and
   * {@code \"} or {@code ""} inside quotes stand for a quote.
   *
   * @param meaning what the texts are, e.g. "the texts the output must contain"
   */
  static List<String> texts(String value, String meaning, Problems problems) {
    if (value == null || value.isBlank()) {
      throw problems.apply(
          "'value' is required: "
              + meaning
              + ", as a JSON array (e.g. [\"Paris\", \"Lyon\"]) or comma-separated text.");
    }
    List<String> texts =
        value.strip().startsWith("[")
            ? jsonTexts(value, meaning, problems)
            : commaSeparated(value, problems);
    if (texts.isEmpty()) {
      throw problems.apply("'value' lists no texts. Give " + meaning + ".");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isEmpty()) {
        throw problems.apply(
            "item " + (i + 1) + " of 'value' is empty, which would match every output. Remove it.");
      }
    }
    return List.copyOf(texts);
  }

  private static List<String> jsonTexts(String value, String meaning, Problems problems) {
    JsonValue json = json(value, "a JSON array of " + meaning, problems);
    if (!(json instanceof JsonArray array)) {
      throw problems.apply("'value' must be a JSON array of " + meaning + ".");
    }
    List<String> texts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonValue item = array.get(i);
      if (item instanceof JsonString string) {
        texts.add(string.getString());
      } else if (item instanceof JsonNumber number) {
        // promptfoo converts numbers to text; the number keeps the spelling it was given.
        texts.add(number.toString());
      } else {
        throw problems.apply(
            "item "
                + (i + 1)
                + " of 'value' is "
                + JsonSupport.describe(item)
                + ". List texts only, e.g. [\"Paris\", \"Lyon\"].");
      }
    }
    return texts;
  }

  /** Splits promptfoo's comma-separated form; repeated commas and blanks around fields vanish. */
  private static List<String> commaSeparated(String value, Problems problems) {
    List<String> fields = new ArrayList<>();
    int i = 0;
    int length = value.length();
    while (i < length) {
      while (i < length && (value.charAt(i) == ',' || Character.isWhitespace(value.charAt(i)))) {
        i++;
      }
      if (i >= length) {
        break;
      }
      if (value.charAt(i) != '"') {
        int end = value.indexOf(',', i);
        end = end < 0 ? length : end;
        fields.add(value.substring(i, end).strip());
        i = end;
        continue;
      }
      StringBuilder field = new StringBuilder();
      int j = i + 1;
      boolean closed = false;
      while (j < length) {
        char c = value.charAt(j);
        char next = j + 1 < length ? value.charAt(j + 1) : 0;
        if (c == '\\' && (next == '"' || next == '\\')) {
          field.append(next);
          j += 2;
        } else if (c == '"' && next == '"') {
          field.append('"');
          j += 2;
        } else if (c == '"') {
          closed = true;
          j++;
          break;
        } else {
          field.append(c);
          j++;
        }
      }
      if (!closed) {
        throw problems.apply(
            "'value' has a quoted text that is never closed: "
                + BaseAssertion.quote(value.substring(i))
                + ". Close it with a double quote.");
      }
      while (j < length && Character.isWhitespace(value.charAt(j))) {
        j++;
      }
      if (j < length && value.charAt(j) != ',') {
        throw problems.apply(
            "'value' has text after a quoted item: "
                + BaseAssertion.quote(value.substring(j))
                + ". Separate items with commas.");
      }
      fields.add(field.toString());
      i = j;
    }
    return fields;
  }

  /**
   * Reads reference texts: one plain text, or a JSON array of texts when the value starts with
   * {@code [}. None may be blank.
   */
  static List<String> references(String value, String meaning, Problems problems) {
    if (value.isBlank()) {
      throw problems.apply(
          "'value' is blank. Give "
              + meaning
              + " (one text, or a JSON array of texts), or omit 'value' to use the test's expected"
              + " answer.");
    }
    if (!value.strip().startsWith("[")) {
      return List.of(value);
    }
    List<String> texts = jsonTexts(value, meaning, problems);
    if (texts.isEmpty()) {
      throw problems.apply("'value' lists no texts. Give " + meaning + ".");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isBlank()) {
        throw problems.apply("item " + (i + 1) + " of 'value' is blank. Remove it.");
      }
    }
    return List.copyOf(texts);
  }

  /**
   * Parses a value that must be JSON.
   *
   * @param expected what the value should hold, e.g. "a JSON Schema object"
   */
  static JsonValue json(String value, String expected, Problems problems) {
    try {
      return JsonSupport.parse(value);
    } catch (RuntimeException e) {
      throw problems.apply(
          "'value' must be "
              + expected
              + ", but it is not valid JSON ("
              + JsonSupport.message(e)
              + ").");
    }
  }

  /**
   * Parses a value that must be a JSON object whose keys are all among {@code allowed}.
   *
   * @param example a valid value to show, e.g. {@code {"min": 10, "max": 50}}
   */
  static JsonObject jsonObject(
      String value, Set<String> allowed, String example, Problems problems) {
    JsonValue json = json(value, "a JSON object such as " + example, problems);
    if (!(json instanceof JsonObject object)) {
      throw problems.apply(
          "'value' must be a JSON object such as "
              + example
              + ", not "
              + JsonSupport.describe(json)
              + ".");
    }
    for (String key : object.keySet()) {
      if (!allowed.contains(key)) {
        throw problems.apply(
            "'value' has the unknown key "
                + BaseAssertion.quote(key)
                + ". Allowed keys: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ".");
      }
    }
    return object;
  }

  /** Reads an optional boolean option of a JSON object value. */
  static boolean flag(JsonObject object, String key, Problems problems) {
    JsonValue flag = object.get(key);
    if (flag == null
        || JsonSupport.is(flag, JsonValue.ValueType.NULL)
        || JsonSupport.is(flag, JsonValue.ValueType.FALSE)) {
      return false;
    }
    if (JsonSupport.is(flag, JsonValue.ValueType.TRUE)) {
      return true;
    }
    throw problems.apply(
        "'" + key + "' must be true or false, not " + JsonSupport.describe(flag) + ".");
  }

  /** Reads a whole number of 0 or more. */
  static int count(JsonValue json, String name, Problems problems) {
    if (json instanceof JsonNumber number && number.isIntegral()) {
      try {
        int count = number.intValueExact();
        if (count >= 0) {
          return count;
        }
      } catch (ArithmeticException e) {
        // Falls through to the problem: the number is too large to be a count.
      }
    }
    throw problems.apply(
        name + " must be a whole number of 0 or more, not " + JsonSupport.describe(json) + ".");
  }

  /** Parses a limit given in 'threshold', which must be a finite number of 0 or more. */
  static double limit(Double threshold, String meaning, Problems problems) {
    if (threshold == null || !Double.isFinite(threshold) || threshold < 0) {
      throw problems.apply(
          (threshold == null ? "'threshold' is required" : "threshold " + threshold + " is invalid")
              + ": "
              + meaning
              + ", a number of 0 or more.");
    }
    return threshold;
  }

  /** Rejects a value for types that take none. */
  static void none(String value, String why, Problems problems) {
    if (value != null) {
      throw problems.apply("'value' is not used: " + why + " Remove 'value'.");
    }
  }
}
