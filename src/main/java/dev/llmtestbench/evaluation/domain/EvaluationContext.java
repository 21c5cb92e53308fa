package dev.llmtestbench.evaluation.domain;

import java.util.List;
import java.util.Map;

/**
 * What one model call produced, together with the test case it answered, as seen by assertions.
 *
 * @param prompt the rendered prompt, may be null
 * @param output the model's output; null is treated as empty so assertions never see null
 * @param expected the test case's expected answer, may be null
 * @param latencyMs how long the call took, in milliseconds (0 or more)
 * @param vars the test case's variables; null is treated as empty
 * @param finishReason why the model stopped (e.g. {@code stop}, {@code length}), may be null
 * @param costUsd what the call cost in US dollars, null when unknown
 * @param toolCalls the function calls the model made: each {@code name} and {@code arguments} (JSON
 *     text); null is treated as empty
 * @param logprobs the natural-log probability of each generated token, empty when not asked for
 */
public record EvaluationContext(
    String prompt,
    String output,
    String expected,
    long latencyMs,
    Map<String, Object> vars,
    String finishReason,
    Double costUsd,
    List<ToolCallView> toolCalls,
    List<Double> logprobs) {

  /** A function call as assertions see it. */
  public record ToolCallView(String name, String arguments) {}

  public EvaluationContext(
      String prompt, String output, String expected, long latencyMs, Map<String, Object> vars) {
    this(prompt, output, expected, latencyMs, vars, null, null, List.of(), List.of());
  }

  public EvaluationContext {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
    if (latencyMs < 0) {
      throw new IllegalArgumentException("latencyMs must be 0 or more, was " + latencyMs);
    }
    output = output == null ? "" : output;
    // Map.copyOf returns an already-immutable map as is, so sharing one vars map is free.
    vars = vars == null ? Map.of() : Map.copyOf(vars);
  }
}
