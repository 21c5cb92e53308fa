package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.dataset.domain.RecordedOutput;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a case's recorded outputs: {@code outputs} maps a model name to its text or to {@code
 * {output, latencyMs, promptTokens, completionTokens, cost, finishReason}}; {@code output} with
 * {@code model} records one more.
 */
public final class RecordedOutputs {

  /** The built-in provider whose targets name recorded models. */
  public static final String PROVIDER = "recorded";

  private static final Set<String> KEYS =
      Set.of("output", "latencyMs", "promptTokens", "completionTokens", "cost", "finishReason");

  private RecordedOutputs() {}

  static Map<String, RecordedOutput> parse(
      TestCaseInput in, String at, List<Violation> violations) {
    Map<String, RecordedOutput> out = new LinkedHashMap<>();
    if (in.outputs() != null) {
      for (Map.Entry<String, Object> e : in.outputs().entrySet()) {
        RecordedOutput r = one(e.getValue(), at + ".outputs." + e.getKey(), violations);
        if (r != null) {
          out.put(e.getKey(), r);
        }
      }
    }
    if (in.output() != null) {
      if (in.model() == null || in.model().isBlank()) {
        violations.add(
            new Violation(at + ".model", "name the model that produced 'output' (e.g. gpt-4o)"));
      } else {
        out.put(in.model().strip(), RecordedOutput.of(in.output()));
      }
    }
    return out;
  }

  private static RecordedOutput one(Object value, String where, List<Violation> violations) {
    if (value instanceof String s) {
      return RecordedOutput.of(s);
    }
    if (!(value instanceof Map<?, ?> m) || !(m.get("output") instanceof String text)) {
      violations.add(
          new Violation(
              where,
              "must be the output text, or an object with 'output' (text) and optionally"
                  + " latencyMs, promptTokens, completionTokens, cost, finishReason"));
      return null;
    }
    for (Object key : m.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        violations.add(new Violation(where + "." + key, "unknown field; allowed: " + KEYS));
      }
    }
    Double latency = number(m.get("latencyMs"), where + ".latencyMs", violations);
    Double prompt = number(m.get("promptTokens"), where + ".promptTokens", violations);
    Double completion = number(m.get("completionTokens"), where + ".completionTokens", violations);
    Double cost = number(m.get("cost"), where + ".cost", violations);
    return new RecordedOutput(
        text,
        latency,
        prompt == null ? null : prompt.intValue(),
        completion == null ? null : completion.intValue(),
        cost,
        m.get("finishReason") == null ? null : String.valueOf(m.get("finishReason")));
  }

  private static Double number(Object v, String where, List<Violation> violations) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() >= 0 && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    violations.add(new Violation(where, "must be a number of 0 or more, was " + v));
    return null;
  }
}
