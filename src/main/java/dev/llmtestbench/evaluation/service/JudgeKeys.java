package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.platform.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Evaluation cache keys: SHA-256 over a canonical JSON form (maps sorted by key, recursively). */
final class JudgeKeys {

  private JudgeKeys() {}

  /** The hex SHA-256 of the canonical JSON of a value made of maps, lists and scalars. */
  static String of(Map<String, ?> parts) {
    return sha256(Json.write(canonical(parts)));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Object canonical(Object value) {
    if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
      return sorted;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(canonical(v)));
      return copy;
    }
    // Numbers by value, so 1 and 1.0 from different JSON readers give one key.
    if (value instanceof Number n) {
      return new java.math.BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    return value == null ? null : value.toString();
  }
}
