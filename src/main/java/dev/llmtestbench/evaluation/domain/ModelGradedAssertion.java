package dev.llmtestbench.evaluation.domain;

import java.util.concurrent.CompletableFuture;

/**
 * An assertion scored with the help of a model (an LLM judge, an embedding model) through a {@link
 * Grader}, without blocking the caller.
 */
public interface ModelGradedAssertion extends Assertion {

  /**
   * Scores one output. The future never completes exceptionally: a grading failure becomes a
   * failing result whose reason says what went wrong.
   */
  CompletableFuture<AssertionResult> evaluateAsync(EvaluationContext ctx, Grader grader);

  /**
   * The version of this assertion's method (prompt, parsing, model defaults); part of the
   * evaluation cache key, so changing it invalidates cached scores.
   */
  default String version() {
    return "1";
  }

  /** Without a grader there is no model to ask: the result fails and says so. */
  @Override
  default AssertionResult evaluate(EvaluationContext ctx) {
    return new AssertionResult(
        metric(), type(), false, 0.0, type() + " needs a model to grade it, and none was given.");
  }
}
