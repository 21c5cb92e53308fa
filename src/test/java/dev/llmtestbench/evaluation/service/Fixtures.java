package dev.llmtestbench.evaluation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.EvaluationContext.ToolCallView;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import java.util.List;
import java.util.Map;

/** Shorthands for building specs and contexts in tests. */
final class Fixtures {

  private Fixtures() {}

  static AssertionSpec spec(String type, String value) {
    return new AssertionSpec(type, value, null, null, null, null, null);
  }

  static EvaluationContext output(String output) {
    return new EvaluationContext("prompt", output, null, 0, Map.of());
  }

  static EvaluationContext output(String output, String expected) {
    return new EvaluationContext("prompt", output, expected, 0, Map.of());
  }

  /** A call that reports what providers report beyond the output. */
  static EvaluationContext call(
      String output, String finishReason, Double costUsd, List<ToolCallView> toolCalls) {
    return new EvaluationContext(
        "prompt", output, null, 0, Map.of(), finishReason, costUsd, toolCalls, List.of());
  }

  /** A call whose only result is tool calls. */
  static EvaluationContext toolCalls(ToolCallView... calls) {
    return call("", "tool_calls", null, List.of(calls));
  }

  static ToolCallView tool(String name, String arguments) {
    return new ToolCallView(name, arguments);
  }

  static EvaluationContext latency(long latencyMs) {
    return new EvaluationContext("prompt", "output", null, latencyMs, Map.of());
  }

  static AssertionSpec spec(String type, String value, Double threshold) {
    return new AssertionSpec(type, value, threshold, null, null, null, null);
  }

  /** Returns a spec of the given type that compiles, for tests that go through every type. */
  static AssertionSpec validSpec(String type) {
    return switch (type) {
      case "latency" -> new AssertionSpec(type, null, 1000.0, null, null, null, null);
      case "cost" -> new AssertionSpec(type, null, 0.01, null, null, null, null);
      case "perplexity" -> new AssertionSpec(type, null, 10.0, null, null, null, null);
      case "perplexity-score" -> new AssertionSpec(type, null, 0.5, null, null, null, null);
      case "equals",
          "is-json",
          "contains-json",
          "is-xml",
          "contains-xml",
          "is-html",
          "contains-html",
          "is-sql",
          "levenshtein",
          "exact-match",
          "f1",
          "multiple-choice",
          "is-refusal",
          "is-valid-openai-tools-call",
          "numeric-answer",
          "answer-relevance",
          "context-faithfulness",
          "context-relevance",
          "faithfulness",
          "relevance",
          "coherence" ->
          spec(type, null);
      case "word-count" -> spec(type, "{\"max\": 100}");
      case "finish-reason" -> spec(type, "stop");
      default -> spec(type, "a");
    };
  }

  /** Compiles a spec with the given type and value and evaluates it against one output. */
  static AssertionResult check(String type, String value, String output) {
    return Assertions.compile(spec(type, value)).evaluate(output(output));
  }

  /** Compiles a spec and evaluates it against one context. */
  static AssertionResult check(AssertionSpec spec, EvaluationContext ctx) {
    return Assertions.compile(spec).evaluate(ctx);
  }

  /** Compiles a spec expecting it to be rejected, and returns the message. */
  static String rejection(AssertionSpec spec) {
    return assertThrows(InvalidAssertionException.class, () -> Assertions.compile(spec))
        .getMessage();
  }

  /** Compiles a spec with the given type and value expecting rejection, and returns the message. */
  static String rejection(String type, String value) {
    return rejection(spec(type, value));
  }

  /** Asserts pass, score and reason at once, labelled so a failure says which differed. */
  static void assertResult(AssertionResult result, boolean pass, double score, String reason) {
    assertEquals(reason, result.reason(), "reason");
    assertEquals(pass, result.pass(), "pass");
    assertEquals(score, result.score(), 1e-9, "score");
  }
}
