package dev.llmtestbench.evaluation.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validated {@code options} of a judge assertion: samples and how they are aggregated, retries
 * on malformed answers, sampling settings, prompt overrides and where inputs come from.
 */
record JudgeOptions(
    int samples,
    String aggregation,
    int retries,
    Double temperature,
    Integer maxTokens,
    Object rubricPrompt,
    String contextVar,
    String queryVar,
    int questions,
    String embeddingProvider,
    Map<String, Double> factuality) {

  static final int MAX_SAMPLES = 10;
  static final int MAX_RETRIES = 5;
  static final List<String> AGGREGATIONS = List.of("mean", "median", "majority");
  static final Set<String> COMMON =
      Set.of("samples", "aggregation", "retries", "temperature", "maxTokens", "rubricPrompt");

  /** OpenAI Evals' fact categories by promptfoo's option names, with their default scores. */
  static final Map<String, Double> FACTUALITY_DEFAULTS = factualityDefaults();

  private static Map<String, Double> factualityDefaults() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("subset", 1.0);
    m.put("superset", 1.0);
    m.put("agree", 1.0);
    m.put("disagree", 0.0);
    m.put("differButFactual", 1.0);
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Reads the options.
   *
   * @param extra the option names this type takes beyond {@link #COMMON}
   */
  static JudgeOptions of(
      Map<String, Object> options, Set<String> extra, AssertionValues.Problems problems) {
    Map<String, Object> o = options == null ? Map.of() : options;
    Set<String> known = new TreeSet<>(COMMON);
    known.addAll(extra);
    for (String key : o.keySet()) {
      if (!known.contains(key)) {
        throw problems.apply(
            "unknown option '"
                + key
                + "'. Options of this type: "
                + String.join(", ", known)
                + ".");
      }
    }
    int samples = integer(o.get("samples"), 1, 1, MAX_SAMPLES, "samples", problems);
    String aggregation = text(o.get("aggregation"), "mean", "aggregation", problems);
    if (!AGGREGATIONS.contains(aggregation)) {
      throw problems.apply(
          "option 'aggregation' must be one of " + String.join(", ", AGGREGATIONS) + ".");
    }
    int retries = integer(o.get("retries"), 2, 0, MAX_RETRIES, "retries", problems);
    Double temperature = number(o.get("temperature"), "temperature", problems);
    if (temperature != null && (temperature < 0 || temperature > 2)) {
      throw problems.apply("option 'temperature' must be between 0 and 2.");
    }
    Integer maxTokens =
        o.get("maxTokens") == null
            ? null
            : integer(o.get("maxTokens"), 0, 1, 1_000_000, "maxTokens", problems);
    Object rubricPrompt = o.get("rubricPrompt");
    if (rubricPrompt != null
        && !(rubricPrompt instanceof String)
        && !(rubricPrompt instanceof Map)) {
      throw problems.apply(
          "option 'rubricPrompt' must be a prompt template (text) or, for judges with several"
              + " steps, an object of templates by step.");
    }
    Map<String, Double> factuality = new LinkedHashMap<>(FACTUALITY_DEFAULTS);
    if (o.get("factuality") != null) {
      if (!(o.get("factuality") instanceof Map<?, ?> f)) {
        throw problems.apply(
            "option 'factuality' must be an object of scores by category: "
                + String.join(", ", FACTUALITY_DEFAULTS.keySet())
                + ".");
      }
      for (Map.Entry<?, ?> e : f.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!FACTUALITY_DEFAULTS.containsKey(key)) {
          throw problems.apply(
              "unknown factuality category '"
                  + key
                  + "'. Categories: "
                  + String.join(", ", FACTUALITY_DEFAULTS.keySet())
                  + ".");
        }
        Double score = number(e.getValue(), "factuality." + key, problems);
        if (score == null || score < 0 || score > 1) {
          throw problems.apply("option 'factuality." + key + "' must be a score from 0 to 1.");
        }
        factuality.put(key, score);
      }
    }
    return new JudgeOptions(
        samples,
        aggregation,
        retries,
        temperature,
        maxTokens,
        rubricPrompt,
        text(o.get("contextVar"), "context", "contextVar", problems),
        text(o.get("queryVar"), "query", "queryVar", problems),
        integer(o.get("questions"), 3, 1, MAX_SAMPLES, "questions", problems),
        text(o.get("embeddingProvider"), null, "embeddingProvider", problems),
        Map.copyOf(factuality));
  }

  private static int integer(
      Object value, int fallback, int min, int max, String name, AssertionValues.Problems p) {
    if (value == null) {
      return fallback;
    }
    Double d = number(value, name, p);
    if (d == null || d != Math.rint(d) || d < min || d > max) {
      throw p.apply(
          "option '" + name + "' must be a whole number from " + min + " to " + max + ".");
    }
    return d.intValue();
  }

  private static Double number(Object value, String name, AssertionValues.Problems p) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.valueOf(s.strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw p.apply("option '" + name + "' must be a number.");
  }

  private static String text(
      Object value, String fallback, String name, AssertionValues.Problems p) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw p.apply("option '" + name + "' must be non-empty text.");
    }
    return s.strip();
  }
}
