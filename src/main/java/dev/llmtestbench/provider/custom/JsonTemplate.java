package dev.llmtestbench.provider.custom;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON document with {@code {{name}}} placeholders, rendered by walking its parsed tree so that
 * values are never spliced into JSON text.
 *
 * <p>A bare placeholder, where a JSON value stands ({@code {"prompt": {{prompt}}}}), becomes the
 * value itself: a string, number, array or null. A placeholder inside a string ({@code "Q:
 * {{prompt}}"}) is replaced by the value's text, and the result stays a string. Object keys are
 * taken literally.
 */
final class JsonTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_]\\w*)\\s*}}");
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  private final JsonValue tree;
  // Bare placeholders are parsed as strings carrying this prefix, which no JSON text can contain
  // by accident: it starts with an escaped NUL and holds a random nonce.
  private final String marker;
  private final Set<String> placeholders;

  private JsonTemplate(JsonValue tree, String marker, Set<String> placeholders) {
    this.tree = tree;
    this.marker = marker;
    this.placeholders = placeholders;
  }

  /**
   * Parses {@code text}; throws IllegalArgumentException naming {@code setting} when it is not JSON
   * once its bare placeholders are taken as values, or uses a name outside {@code known}.
   */
  static JsonTemplate parse(String text, Set<String> known, String setting) {
    String marker = "\u0000ltb:" + UUID.randomUUID() + ":";
    Set<String> names = new LinkedHashSet<>();
    String json = markBarePlaceholders(text, marker, names, setting);
    JsonValue tree;
    try (JsonReader reader = READER.createReader(new StringReader(json))) {
      tree = reader.readValue();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(setting + " is not a JSON template: " + e.getMessage(), e);
    }
    collectQuoted(tree, marker, names);
    for (String name : names) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            setting + " uses unknown placeholder {{" + name + "}}; known: " + known);
      }
    }
    return new JsonTemplate(tree, marker, Collections.unmodifiableSet(names));
  }

  /** The placeholder names the template uses, bare or inside strings. */
  Set<String> placeholders() {
    return placeholders;
  }

  /** The document with every placeholder replaced from {@code values} (absent names: null). */
  JsonValue render(Map<String, JsonValue> values) {
    return render(tree, values);
  }

  private JsonValue render(JsonValue node, Map<String, JsonValue> values) {
    switch (node.getValueType()) {
      case OBJECT:
        JsonObjectBuilder object = JSON.createObjectBuilder();
        node.asJsonObject().forEach((key, value) -> object.add(key, render(value, values)));
        return object.build();
      case ARRAY:
        JsonArrayBuilder array = JSON.createArrayBuilder();
        for (JsonValue item : node.asJsonArray()) {
          array.add(render(item, values));
        }
        return array.build();
      case STRING:
        String text = ((JsonString) node).getString();
        if (text.startsWith(marker)) {
          return values.getOrDefault(text.substring(marker.length()), JsonValue.NULL);
        }
        if (!text.contains("{{")) {
          return node;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
          JsonValue value = values.getOrDefault(matcher.group(1), JsonValue.NULL);
          matcher.appendReplacement(rendered, Matcher.quoteReplacement(asText(value)));
        }
        matcher.appendTail(rendered);
        return Json.createValue(rendered.toString());
      default:
        return node;
    }
  }

  /** How a value reads inside a string: text as is, null as nothing, the rest as JSON. */
  static String asText(JsonValue value) {
    if (value instanceof JsonString string) {
      return string.getString();
    }
    return value == null || value.getValueType() == JsonValue.ValueType.NULL
        ? ""
        : value.toString();
  }

  // Replaces each {{name}} outside string literals by a marker string literal, so the template
  // parses as JSON; placeholders inside strings are left for render().
  private static String markBarePlaceholders(
      String text, String marker, Set<String> names, String setting) {
    StringBuilder json = new StringBuilder(text.length() + 64);
    boolean inString = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (inString) {
        json.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          json.append(text.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        i++;
      } else if (c == '"') {
        inString = true;
        json.append(c);
        i++;
      } else if (text.startsWith("{{", i)) {
        Matcher matcher = PLACEHOLDER.matcher(text).region(i, text.length());
        if (!matcher.lookingAt()) {
          throw new IllegalArgumentException(
              setting + " has a malformed placeholder at character " + (i + 1));
        }
        names.add(matcher.group(1));
        json.append('"')
            .append(marker.replace("\u0000", "\\u0000"))
            .append(matcher.group(1))
            .append('"');
        i = matcher.end();
      } else {
        json.append(c);
        i++;
      }
    }
    return json.toString();
  }

  private static void collectQuoted(JsonValue node, String marker, Set<String> names) {
    if (node instanceof JsonObject object) {
      object.values().forEach(value -> collectQuoted(value, marker, names));
    } else if (node instanceof JsonArray array) {
      array.forEach(value -> collectQuoted(value, marker, names));
    } else if (node instanceof JsonString string) {
      String text = string.getString();
      if (text.startsWith(marker)) {
        return;
      }
      Matcher matcher = PLACEHOLDER.matcher(text);
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
  }
}
