package dev.llmtestbench.dataset.service;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.platform.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * promptfoo's assertion syntax: objects ({@code type, value, threshold, weight, metric, provider})
 * and the inline strings of CSV {@code __expected} columns ({@code contains: Paris}, {@code
 * not-regex: ^No}, {@code similar(0.9): text}, plain text for {@code equals}), following
 * promptfoo's {@code assertionFromString}. Types this server does not run (code, webhooks) are
 * reported by name.
 */
final class AssertionSyntax {

  /** Keys of an assertion object that map onto {@link AssertionSpec}. */
  private static final Set<String> KEYS =
      Set.of(
          "type", "value", "threshold", "weight", "metric", "provider", "options", "rubricPrompt");

  /** promptfoo's code-running types (and prefixes of its inline syntax) that never run here. */
  static final Set<String> CODE_TYPES =
      Set.of("javascript", "python", "ruby", "webhook", "fn", "eval");

  /**
   * Score types whose inline form gets promptfoo's default minimum score 0.75 ({@code similar}:
   * 0.8). Types whose threshold is a limit here (cost, latency, levenshtein, perplexity) take it
   * from the parentheses only, e.g. {@code latency(2000)}.
   */
  private static final Set<String> DEFAULT_THRESHOLD_TYPES =
      Set.of(
          "answer-relevance",
          "classifier",
          "context-faithfulness",
          "context-recall",
          "context-relevance",
          "perplexity-score",
          "rouge-n");

  private static final Pattern INLINE =
      Pattern.compile("^(not-)?([a-z][a-z0-9-]*)(?:\\((\\d+(?:\\.\\d+)?)\\))?(?::([\\s\\S]*))?$");

  private AssertionSyntax() {}

  /** An unsupported type met while converting, with where it was. */
  record Unsupported(String type, String where) {}

  /**
   * Parses one inline assertion string, or returns null (with {@code unsupported} set) when it
   * names a type that does not run here.
   */
  static AssertionSpec fromInline(String expected, String where, List<Unsupported> unsupported) {
    String s = expected.strip();
    for (String prefix : List.of("javascript:", "fn:", "eval:", "python:")) {
      if (s.startsWith(prefix)) {
        unsupported.add(new Unsupported(prefix.equals("python:") ? "python" : "javascript", where));
        return null;
      }
    }
    if (s.startsWith("file://")) {
      unsupported.add(new Unsupported("file:// reference", where));
      return null;
    }
    if (s.startsWith("grade:") || s.startsWith("llm-rubric:")) {
      String value = s.substring(s.indexOf(':') + 1).strip();
      return supported("llm-rubric", value, null, null, where, unsupported);
    }
    Matcher m = INLINE.matcher(s);
    if (m.matches() && isKnownType(m.group(2))) {
      String type = (m.group(1) == null ? "" : "not-") + m.group(2);
      String base = m.group(2);
      // promptfoo keeps the space after the colon; "contains: Paris" means "Paris" to its users.
      String value = m.group(4) == null ? null : m.group(4).strip();
      Double threshold = null;
      if (m.group(3) != null) {
        threshold = Double.valueOf(m.group(3));
      } else if (base.equals("similar")) {
        threshold = 0.8;
      } else if (DEFAULT_THRESHOLD_TYPES.contains(base)) {
        threshold = 0.75;
      }
      if (value != null && base.matches("i?contains-(any|all)")) {
        value = Json.write(Arrays.stream(value.split(",")).map(String::strip).toList());
      }
      return supported(type, value, threshold, null, where, unsupported);
    }
    return new AssertionSpec("equals", expected, null, null, null, null, null);
  }

  /**
   * Converts one assertion object; values that are not text become JSON text; {@code provider} goes
   * through {@code providerIds} (promptfoo id to {@code name:model}). Returns null (with {@code
   * unsupported} set) for a type that does not run here.
   */
  static AssertionSpec fromObject(
      Object raw,
      String where,
      List<Unsupported> unsupported,
      ImportProblems problems,
      java.util.function.Function<String, String> providerIds) {
    if (raw instanceof String s) {
      return fromInline(s, where, unsupported);
    }
    if (!(raw instanceof Map<?, ?> map)) {
      problems.add(
          where, "must be an object with a 'type' (or an inline string such as 'contains: x')");
      return null;
    }
    Object type = map.get("type");
    if (!(type instanceof String t) || t.isBlank()) {
      problems.add(where + ".type", "is required, e.g. 'contains'");
      return null;
    }
    for (Object key : map.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        problems.warn(where + ": key '" + key + "' is not supported here and was ignored.");
      }
    }
    Object value = map.get("value");
    if (value instanceof String v && v.startsWith("file://")) {
      unsupported.add(new Unsupported("file:// reference", where + ".value"));
      return null;
    }
    Double threshold = number(map.get("threshold"), where + ".threshold", problems);
    Double weight = number(map.get("weight"), where + ".weight", problems);
    Object provider = map.get("provider");
    String providerRef = null;
    if (provider instanceof Map<?, ?> p && p.get("id") instanceof String id) {
      providerRef = providerIds.apply(id);
    } else if (provider instanceof String id) {
      providerRef = providerIds.apply(id);
    }
    Map<String, Object> options = null;
    if (map.get("options") instanceof Map<?, ?> o) {
      options =
          o.entrySet().stream()
              .collect(
                  Collectors.toMap(e -> String.valueOf(e.getKey()), e -> (Object) e.getValue()));
    }
    if (map.get("rubricPrompt") != null) {
      // promptfoo's own key for a judge's custom prompt; here it is one of the judge's options.
      options = options == null ? new java.util.HashMap<>() : new java.util.HashMap<>(options);
      options.put("rubricPrompt", map.get("rubricPrompt"));
    }
    AssertionSpec spec = supported(t.strip(), text(value), threshold, weight, where, unsupported);
    if (spec == null) {
      return null;
    }
    Object metric = map.get("metric");
    return new AssertionSpec(
        spec.type(),
        spec.value(),
        spec.threshold(),
        spec.weight(),
        metric == null ? null : String.valueOf(metric),
        providerRef,
        options);
  }

  private static AssertionSpec supported(
      String type,
      String value,
      Double threshold,
      Double weight,
      String where,
      List<Unsupported> unsupported) {
    String base = type.startsWith(Assertions.NEGATION) ? type.substring(4) : type;
    if (!Assertions.TYPES.contains(base)) {
      unsupported.add(new Unsupported(type, where));
      return null;
    }
    return new AssertionSpec(type, value, threshold, weight, null, null, null);
  }

  private static boolean isKnownType(String type) {
    return Assertions.TYPES.contains(type)
        || DEFAULT_THRESHOLD_TYPES.contains(type)
        || type.equals("similar")
        || CODE_TYPES.contains(type)
        || type.equals("llm-rubric")
        || type.equals("model-graded-closedqa")
        || type.equals("factuality")
        || type.equals("g-eval")
        || type.equals("moderation")
        || type.equals("is-valid-openai-function-call");
  }

  /** Text as is; numbers, booleans, lists and objects as JSON text; null stays null. */
  static String text(Object value) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    return Json.write(value);
  }

  private static Double number(Object value, String where, ImportProblems problems) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.valueOf(String.valueOf(value).strip());
    } catch (NumberFormatException e) {
      problems.add(where, "must be a number, was '" + value + "'");
      return null;
    }
  }

  /** The unsupported types as one sentence naming them, where they are, and how to proceed. */
  static String describe(List<Unsupported> unsupported) {
    String types =
        unsupported.stream()
            .map(Unsupported::type)
            .distinct()
            .map(t -> "'" + t + "'")
            .collect(Collectors.joining(", "));
    return "Assertion type(s) "
        + types
        + " cannot run on this server (no code execution, no file references). Remove them, or"
        + " import with skipUnsupported=true to skip them. Supported types: "
        + String.join(", ", Assertions.TYPES).toLowerCase(Locale.ROOT)
        + " (each may be negated with not-).";
  }
}
