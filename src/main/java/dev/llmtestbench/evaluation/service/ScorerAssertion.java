package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import dev.llmtestbench.evaluation.spi.Score;
import dev.llmtestbench.evaluation.spi.Scorer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A custom type's {@link Scorer} with the settings every assertion has: negation, minimum score,
 * weight and metric name.
 */
final class ScorerAssertion extends BaseAssertion implements ModelGradedAssertion {

  /** How long a scorer may take when evaluated without a grader, on the caller's thread. */
  static final long SYNC_TIMEOUT_SECONDS = 30;

  private final Scorer scorer;
  private final double minScore;

  ScorerAssertion(Settings settings, Scorer scorer) {
    super(settings);
    this.scorer = scorer;
    this.minScore = settings.minScore();
  }

  @Override
  public String version() {
    return scorer.version();
  }

  @Override
  public CompletableFuture<AssertionResult> evaluateAsync(EvaluationContext ctx, Grader grader) {
    CompletableFuture<Score> scored;
    try {
      scored = scorer.score(ctx, grader);
    } catch (RuntimeException e) {
      scored = CompletableFuture.failedFuture(e);
    }
    return scored.handle((s, failure) -> failure == null ? result(s) : failed(failure));
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    try {
      return evaluateAsync(ctx, null).get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return error("Scoring took longer than " + SYNC_TIMEOUT_SECONDS + " s and was abandoned.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error("Scoring was interrupted.");
    } catch (java.util.concurrent.ExecutionException e) {
      return failed(e.getCause());
    }
  }

  private AssertionResult result(Score s) {
    if (s == null) {
      return error("The scorer returned no score.");
    }
    double score = negated ? 1.0 - s.value() : s.value();
    return new AssertionResult(metric(), type(), score >= minScore, score, s.reason());
  }

  private AssertionResult failed(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return error(
        "Scoring failed: "
            + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
  }
}
