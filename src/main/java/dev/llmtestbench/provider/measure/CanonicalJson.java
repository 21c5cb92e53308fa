package dev.llmtestbench.provider.measure;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes values as canonical JSON, so equal content always gives equal bytes: object keys sorted by
 * UTF-16 code units, no insignificant whitespace, numbers in plain decimal without trailing zeros
 * ({@code 0.70} and {@code 0.7} both {@code 0.7}), strings escaped as RFC 8785 does (plus lone
 * surrogates as {@code \\uXXXX}). Takes maps, lists, strings, numbers, booleans, null and JSON-P
 * values.
 */
final class CanonicalJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  static void write(Object value, Appendable out) throws IOException {
    if (value == null
        || (value instanceof JsonValue json && json.getValueType() == ValueType.NULL)) {
      out.append("null");
    } else if (value instanceof String text) {
      string(text, out);
    } else if (value instanceof JsonString text) {
      string(text.getString(), out);
    } else if (value instanceof Boolean bool) {
      out.append(bool.toString());
    } else if (value instanceof JsonValue json
        && (json.getValueType() == ValueType.TRUE || json.getValueType() == ValueType.FALSE)) {
      out.append(json.getValueType() == ValueType.TRUE ? "true" : "false");
    } else if (value instanceof JsonNumber number) {
      number(number.bigDecimalValue(), out);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        number(BigDecimal.valueOf(d), out);
      } else {
        // JSON has no NaN or infinity; a string keeps them distinct from every number.
        string(Double.toString(d), out);
      }
    } else if (value instanceof Number number) {
      number(new BigDecimal(number.toString()), out);
    } else if (value instanceof JsonObject object) {
      object(new TreeMap<String, Object>(object), out);
    } else if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      object(sorted, out);
    } else if (value instanceof JsonArray array) {
      array(array, out);
    } else if (value instanceof List<?> list) {
      array(list, out);
    } else {
      throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
    }
  }

  private static void object(TreeMap<String, Object> members, Appendable out) throws IOException {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> member : members.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(member.getKey(), out);
      out.append(':');
      write(member.getValue(), out);
    }
    out.append('}');
  }

  private static void array(List<?> items, Appendable out) throws IOException {
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(items.get(i), out);
    }
    out.append(']');
  }

  private static void number(BigDecimal number, Appendable out) throws IOException {
    BigDecimal stripped = number.stripTrailingZeros();
    out.append(stripped.signum() == 0 ? "0" : stripped.toPlainString());
  }

  private static void string(String text, Appendable out) throws IOException {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(text, i)) {
            unicodeEscape(c, out);
          } else {
            out.append(c);
            if (Character.isHighSurrogate(c)) {
              out.append(text.charAt(++i));
            }
          }
        }
      }
    }
    out.append('"');
  }

  // A lone surrogate has no UTF-8 form; escaping it keeps distinct strings distinct.
  private static boolean isLoneSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    return Character.isLowSurrogate(c);
  }

  private static void unicodeEscape(char c, Appendable out) throws IOException {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
