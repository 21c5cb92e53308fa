package dev.llmtestbench.evaluation.service;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A JSON Schema of which only a subset of keywords is understood, for {@code is-json} and {@code
 * contains-json}; it is not a JSON Schema validator.
 *
 * <p>Understood, with their JSON Schema (draft 2020-12) meaning: {@code type} (one name or a list;
 * {@code integer} is any number without a fractional part), {@code required}, {@code properties}
 * (recursively), {@code additionalProperties} ({@code false}, or {@code true} which changes
 * nothing), {@code enum} (numbers compare by value), {@code items} (one schema for every item),
 * {@code minimum} and {@code maximum} (inclusive), {@code minLength} and {@code maxLength} (in
 * Unicode code points). Schemas may also be {@code true} or {@code false}. Annotations that never
 * affect validation ({@code $schema}, {@code $id}, {@code $comment}, {@code title}, {@code
 * description}, {@code default}, {@code examples}) are ignored. Any other keyword is rejected when
 * the assertion is compiled, so that no constraint is silently skipped.
 */
final class JsonSchemaSubset {

  static final String SUPPORTED =
      "type, required, properties, additionalProperties (false), enum, items, minimum, maximum,"
          + " minLength, maxLength";

  private static final Set<String> ANNOTATIONS =
      Set.of("$schema", "$id", "$comment", "title", "description", "default", "examples");

  private final Node root;

  private JsonSchemaSubset(Node root) {
    this.root = root;
  }

  /**
   * Compiles the schema in an assertion's value.
   *
   * @throws dev.llmtestbench.evaluation.domain.InvalidAssertionException if the value is not a
   *     schema, or uses a keyword outside the subset
   */
  static JsonSchemaSubset compile(String value, AssertionValues.Problems problems) {
    JsonValue schema = AssertionValues.json(value, "a JSON Schema object", problems);
    if (schema.getValueType() != JsonValue.ValueType.OBJECT
        && !JsonSupport.is(schema, JsonValue.ValueType.TRUE)
        && !JsonSupport.is(schema, JsonValue.ValueType.FALSE)) {
      throw problems.apply(
          "'value' must be a JSON Schema object such as {\"type\": \"object\", \"required\":"
              + " [\"name\"]}, not "
              + JsonSupport.describe(schema)
              + ".");
    }
    return new JsonSchemaSubset(node(schema, "", problems));
  }

  /** Returns why the value does not conform, or null when it does. */
  String violation(JsonValue value) {
    return root.violation(value, "$");
  }

  private static Node node(JsonValue schema, String at, AssertionValues.Problems problems) {
    if (JsonSupport.is(schema, JsonValue.ValueType.TRUE)) {
      return Node.ANYTHING;
    }
    if (JsonSupport.is(schema, JsonValue.ValueType.FALSE)) {
      return Node.NOTHING;
    }
    if (!(schema instanceof JsonObject object)) {
      throw problems.apply(
          "the schema"
              + where(at)
              + " must be an object, true or false, not "
              + JsonSupport.describe(schema)
              + ".");
    }
    Builder node = new Builder();
    for (Map.Entry<String, JsonValue> keyword : object.entrySet()) {
      String key = keyword.getKey();
      JsonValue arg = keyword.getValue();
      String path = at.isEmpty() ? key : at + "." + key;
      switch (key) {
        case "type" -> node.types = types(arg, path, problems);
        case "required" -> node.required = names(arg, path, problems);
        case "properties" -> node.properties = properties(arg, path, problems);
        case "additionalProperties" -> {
          if (!JsonSupport.is(arg, JsonValue.ValueType.TRUE)
              && !JsonSupport.is(arg, JsonValue.ValueType.FALSE)) {
            throw unsupported(
                "additionalProperties",
                at,
                " with a schema; only true or false is supported",
                problems);
          }
          node.closed = JsonSupport.is(arg, JsonValue.ValueType.FALSE);
        }
        case "enum" -> {
          if (!(arg instanceof JsonArray values) || values.isEmpty()) {
            throw problems.apply("'" + path + "' must be a non-empty array of allowed values.");
          }
          node.allowed = List.copyOf(values);
        }
        case "items" -> {
          if (arg instanceof JsonArray) {
            throw unsupported(
                "items", at, " as an array (tuple validation); give one schema", problems);
          }
          node.items = node(arg, path, problems);
        }
        case "minimum" -> node.minimum = number(arg, path, problems);
        case "maximum" -> node.maximum = number(arg, path, problems);
        case "minLength" -> node.minLength = AssertionValues.count(arg, "'" + path + "'", problems);
        case "maxLength" -> node.maxLength = AssertionValues.count(arg, "'" + path + "'", problems);
        default -> {
          if (!ANNOTATIONS.contains(key)) {
            throw unsupported(key, at, "", problems);
          }
        }
      }
    }
    return node.build();
  }

  private static RuntimeException unsupported(
      String keyword, String at, String detail, AssertionValues.Problems problems) {
    return problems.apply(
        "JSON Schema keyword \""
            + keyword
            + "\""
            + where(at)
            + detail
            + " is not supported. Only a subset of JSON Schema is checked: "
            + SUPPORTED
            + ".");
  }

  private static String where(String at) {
    return at.isEmpty() ? "" : " (at '" + at + "')";
  }

  private static EnumSet<Type> types(
      JsonValue arg, String path, AssertionValues.Problems problems) {
    EnumSet<Type> types = EnumSet.noneOf(Type.class);
    if (arg instanceof JsonString name) {
      types.add(Type.named(name.getString(), path, problems));
    } else if (arg instanceof JsonArray names && !names.isEmpty()) {
      for (JsonValue name : names) {
        if (!(name instanceof JsonString string)) {
          throw problems.apply("'" + path + "' must list type names, not " + describe(name) + ".");
        }
        types.add(Type.named(string.getString(), path, problems));
      }
    } else {
      throw problems.apply(
          "'" + path + "' must be a type name or a non-empty list of them, e.g. \"object\".");
    }
    return types;
  }

  private static String describe(JsonValue value) {
    return JsonSupport.describe(value);
  }

  private static List<String> names(JsonValue arg, String path, AssertionValues.Problems problems) {
    if (!(arg instanceof JsonArray array)) {
      throw problems.apply("'" + path + "' must be an array of property names.");
    }
    List<String> names = new ArrayList<>(array.size());
    for (JsonValue name : array) {
      if (!(name instanceof JsonString string)) {
        throw problems.apply(
            "'" + path + "' must list property names, not " + describe(name) + ".");
      }
      names.add(string.getString());
    }
    return List.copyOf(names);
  }

  private static Map<String, Node> properties(
      JsonValue arg, String path, AssertionValues.Problems problems) {
    if (!(arg instanceof JsonObject object)) {
      throw problems.apply("'" + path + "' must be an object of property schemas.");
    }
    Map<String, Node> properties = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> property : object.entrySet()) {
      properties.put(
          property.getKey(), node(property.getValue(), path + "." + property.getKey(), problems));
    }
    return properties;
  }

  private static BigDecimal number(JsonValue arg, String path, AssertionValues.Problems problems) {
    if (!(arg instanceof JsonNumber number)) {
      throw problems.apply("'" + path + "' must be a number, not " + describe(arg) + ".");
    }
    return number.bigDecimalValue();
  }

  /** The JSON Schema type names. */
  private enum Type {
    OBJECT("object"),
    ARRAY("array"),
    STRING("string"),
    NUMBER("number"),
    INTEGER("integer"),
    BOOLEAN("boolean"),
    NULL("null");

    final String schemaName;

    Type(String schemaName) {
      this.schemaName = schemaName;
    }

    static Type named(String name, String path, AssertionValues.Problems problems) {
      for (Type type : values()) {
        if (type.schemaName.equals(name)) {
          return type;
        }
      }
      throw problems.apply(
          "'"
              + path
              + "' names the unknown type "
              + BaseAssertion.quote(name)
              + ". Use object, array, string, number, integer, boolean or null.");
    }

    boolean matches(JsonValue value) {
      return switch (this) {
        case OBJECT -> value.getValueType() == JsonValue.ValueType.OBJECT;
        case ARRAY -> value.getValueType() == JsonValue.ValueType.ARRAY;
        case STRING -> value.getValueType() == JsonValue.ValueType.STRING;
        case NUMBER -> value.getValueType() == JsonValue.ValueType.NUMBER;
        case INTEGER ->
            value instanceof JsonNumber number
                && number.bigDecimalValue().stripTrailingZeros().scale() <= 0;
        case BOOLEAN ->
            JsonSupport.is(value, JsonValue.ValueType.TRUE)
                || JsonSupport.is(value, JsonValue.ValueType.FALSE);
        case NULL -> JsonSupport.is(value, JsonValue.ValueType.NULL);
      };
    }
  }

  /** Collects a schema's keywords before they are frozen into a node. */
  private static final class Builder {
    EnumSet<Type> types;
    List<String> required = List.of();
    Map<String, Node> properties = new LinkedHashMap<>();
    boolean closed;
    List<JsonValue> allowed;
    Node items;
    BigDecimal minimum;
    BigDecimal maximum;
    int minLength = 0;
    int maxLength = -1;

    Node build() {
      return new Node(
          false,
          types == null ? null : Set.copyOf(types),
          required,
          Collections.unmodifiableMap(properties),
          closed,
          allowed,
          items,
          minimum,
          maximum,
          minLength,
          maxLength);
    }
  }

  /**
   * One compiled (sub)schema; immutable, so shared freely between threads.
   *
   * @param rejectsAll true for the schema {@code false}
   * @param types the allowed types, or null for any
   * @param properties the property schemas, in schema order so messages are stable
   * @param allowed the {@code enum} values, or null
   * @param maxLength the maximum string length, or -1 for none
   */
  private record Node(
      boolean rejectsAll,
      Set<Type> types,
      List<String> required,
      Map<String, Node> properties,
      boolean closed,
      List<JsonValue> allowed,
      Node items,
      BigDecimal minimum,
      BigDecimal maximum,
      int minLength,
      int maxLength) {

    static final Node ANYTHING =
        new Node(false, null, List.of(), Map.of(), false, null, null, null, null, 0, -1);
    static final Node NOTHING =
        new Node(true, null, List.of(), Map.of(), false, null, null, null, null, 0, -1);

    String violation(JsonValue value, String at) {
      if (rejectsAll) {
        return at + " is not allowed by the schema";
      }
      if (types != null && types.stream().noneMatch(type -> type.matches(value))) {
        return at
            + " is "
            + JsonSupport.describe(value)
            + ", expected "
            + types.stream()
                .sorted()
                .map(type -> type.schemaName)
                .collect(Collectors.joining(" or "));
      }
      if (allowed != null
          && allowed.stream().noneMatch(option -> JsonSupport.equal(option, value))) {
        return at + " is " + JsonSupport.describe(value) + ", which is not one of " + allowed;
      }
      return switch (value.getValueType()) {
        case OBJECT -> objectViolation((JsonObject) value, at);
        case ARRAY -> arrayViolation((JsonArray) value, at);
        case STRING -> stringViolation(((JsonString) value).getString(), at);
        case NUMBER -> numberViolation(((JsonNumber) value).bigDecimalValue(), at);
        default -> null;
      };
    }

    private String objectViolation(JsonObject object, String at) {
      for (String name : required) {
        if (!object.containsKey(name)) {
          return at + " lacks the required property " + BaseAssertion.quote(name);
        }
      }
      for (Map.Entry<String, Node> schema : properties.entrySet()) {
        JsonValue property = object.get(schema.getKey());
        if (property != null) {
          String violation = schema.getValue().violation(property, at + "." + schema.getKey());
          if (violation != null) {
            return violation;
          }
        }
      }
      if (closed) {
        for (String name : object.keySet()) {
          if (!properties.containsKey(name)) {
            return at + " has the property " + BaseAssertion.quote(name) + ", which is not allowed";
          }
        }
      }
      return null;
    }

    private String arrayViolation(JsonArray array, String at) {
      if (items == null) {
        return null;
      }
      for (int i = 0; i < array.size(); i++) {
        String violation = items.violation(array.get(i), at + "[" + i + "]");
        if (violation != null) {
          return violation;
        }
      }
      return null;
    }

    private String stringViolation(String text, String at) {
      if (minLength == 0 && maxLength < 0) {
        return null;
      }
      int length = text.codePointCount(0, text.length());
      if (length < minLength) {
        return at + " has " + length + " characters, fewer than the minimum " + minLength;
      }
      if (maxLength >= 0 && length > maxLength) {
        return at + " has " + length + " characters, more than the maximum " + maxLength;
      }
      return null;
    }

    private String numberViolation(BigDecimal number, String at) {
      if (minimum != null && number.compareTo(minimum) < 0) {
        return at + " is " + number + ", less than the minimum " + minimum;
      }
      if (maximum != null && number.compareTo(maximum) > 0) {
        return at + " is " + number + ", greater than the maximum " + maximum;
      }
      return null;
    }
  }
}
