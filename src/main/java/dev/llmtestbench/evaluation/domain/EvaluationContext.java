package dev.llmtestbench.evaluation.domain;

import java.util.Map;

/**
 * What one model call produced, together with the test case it answered, as seen by assertions.
 *
 * @param prompt the rendered prompt, may be null
 * @param output the model's output; null is treated as empty so assertions never see null
 * @param expected the test case's expected answer, may be null
 * @param latencyMs how long the call took, in milliseconds (0 or more)
 * @param vars the test case's variables; null is treated as empty
 */
public record EvaluationContext(
    String prompt, String output, String expected, long latencyMs, Map<String, Object> vars) {

  public EvaluationContext {
    if (latencyMs < 0) {
      throw new IllegalArgumentException("latencyMs must be 0 or more, was " + latencyMs);
    }
    output = output == null ? "" : output;
    // Map.copyOf returns an already-immutable map as is, so sharing one vars map is free.
    vars = vars == null ? Map.of() : Map.copyOf(vars);
  }
}
