package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.Map;

/** Shorthands for building specs and contexts in tests. */
final class Fixtures {

  private Fixtures() {}

  static AssertionSpec spec(String type, String value) {
    return new AssertionSpec(type, value, null, null, null);
  }

  static EvaluationContext output(String output) {
    return new EvaluationContext("prompt", output, null, 0, Map.of());
  }

  static EvaluationContext output(String output, String expected) {
    return new EvaluationContext("prompt", output, expected, 0, Map.of());
  }

  static EvaluationContext latency(long latencyMs) {
    return new EvaluationContext("prompt", "output", null, latencyMs, Map.of());
  }

  /** Compiles a spec with the given type and value and evaluates it against one output. */
  static AssertionResult check(String type, String value, String output) {
    return Assertions.compile(spec(type, value)).evaluate(output(output));
  }
}
