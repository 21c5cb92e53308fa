package dev.llmtestbench.evaluation.spi;

import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import java.util.concurrent.CompletableFuture;

/** Scores one output for a custom assertion type; thread-safe and reused across outputs. */
public interface Scorer {

  /**
   * Scores the output.
   *
   * @param ctx the output and what it answered
   * @param grader the models the scorer may call (judges, embedders); null when none is available
   * @return the score; a failed future fails the assertion with the failure's message as reason
   */
  CompletableFuture<Score> score(EvaluationContext ctx, Grader grader);

  /** The version of the scoring method; part of the evaluation cache key. */
  default String version() {
    return "1";
  }
}
