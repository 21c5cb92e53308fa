package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One record of an imported file (a YAML case, a Hugging Face row) as a test case: the case keys
 * ({@code id, prompt, vars, expected, assert, tags, metadata, outputs, output, model}) where they
 * are, every other field a variable.
 */
final class CaseRows {

  /** The keys of a JSONL line that are not variables. */
  static final Set<String> JSONL_KEYS =
      Set.of(
          "id",
          "prompt",
          "vars",
          "expected",
          "assert",
          "tags",
          "metadata",
          "outputs",
          "output",
          "model");

  /** A YAML case's keys that are not variables: a JSONL line's and {@code description}. */
  static final Set<String> CASE_KEYS = union(JSONL_KEYS, "description");

  private static Set<String> union(Set<String> keys, String key) {
    Set<String> all = new java.util.HashSet<>(keys);
    all.add(key);
    return Set.copyOf(all);
  }

  private CaseRows() {}

  static TestCaseInput toCase(
      Map<String, Object> row,
      String where,
      String expectedKey,
      String idKey,
      List<AssertionSyntax.Unsupported> unsupported,
      ImportProblems problems) {
    Map<String, Object> vars = new LinkedHashMap<>();
    if (row.get("vars") instanceof Map<?, ?> given) {
      given.forEach((k, v) -> vars.put(String.valueOf(k), v));
    } else if (row.get("vars") != null) {
      problems.add(where + ".vars", "must be an object of variables");
    }
    String expected = expectedKey == null ? "expected" : expectedKey;
    String id = idKey == null ? "id" : idKey;
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (!CASE_KEYS.contains(e.getKey())
          && !e.getKey().equals(expected)
          && !e.getKey().equals(id)) {
        vars.put(e.getKey(), e.getValue());
      }
    }
    List<AssertionSpec> asserts = new ArrayList<>();
    Object a = row.get("assert");
    if (a instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        AssertionSpec spec =
            AssertionSyntax.fromObject(
                list.get(i), where + ".assert[" + i + "]", unsupported, problems, ref -> ref);
        if (spec != null) {
          asserts.add(spec);
        }
      }
    } else if (a != null) {
      problems.add(where + ".assert", "must be a list of assertions");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (row.get("metadata") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> metadata.put(String.valueOf(k), v));
    }
    if (row.get("description") != null) {
      metadata.put("description", String.valueOf(row.get("description")));
    }
    Map<String, Object> outputs = null;
    if (row.get("outputs") instanceof Map<?, ?> o) {
      outputs = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : o.entrySet()) {
        outputs.put(String.valueOf(e.getKey()), e.getValue());
      }
    } else if (row.get("outputs") != null) {
      problems.add(where + ".outputs", "must map model names to recorded outputs");
    }
    return new TestCaseInput(
        row.get(id) == null ? null : String.valueOf(row.get(id)),
        row.get("prompt") == null ? null : String.valueOf(row.get("prompt")),
        vars,
        AssertionSyntax.text(row.get(expected)),
        asserts,
        strings(row.get("tags")),
        metadata,
        outputs,
        row.get("output") == null ? null : AssertionSyntax.text(row.get("output")),
        row.get("model") == null ? null : String.valueOf(row.get("model")));
  }

  static List<String> strings(Object o) {
    if (o instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return o == null ? null : List.of(String.valueOf(o));
  }

  /** YAML values that JSON has no type for (timestamps, binary) as text. */
  static Object jsonSafe(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), jsonSafe(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(jsonSafe(v)));
      return out;
    }
    if (value instanceof Date d) {
      return d.toInstant().toString();
    }
    if (value instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
