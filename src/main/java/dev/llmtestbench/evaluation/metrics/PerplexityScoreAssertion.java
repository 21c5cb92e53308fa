package dev.llmtestbench.evaluation.metrics;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;

/** {@code perplexity-score}: {@code 1 / perplexity} as the score, optionally with a minimum. */
final class PerplexityScoreAssertion extends TextMetricAssertion {

  /** The minimum score, or null to report the score and pass. */
  private final Double minScore;

  PerplexityScoreAssertion(
      String type, boolean negated, String metric, double weight, Double minScore) {
    super(type, negated, metric, weight);
    this.minScore = minScore;
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    Double perplexity = PerplexityAssertion.perplexityOrNull(ctx);
    if (perplexity == null) {
      return error(PerplexityAssertion.missingOrInvalid(ctx));
    }
    double score = Perplexity.score(perplexity);
    if (minScore == null) {
      // The factory requires a threshold for "not-", so this is the plain type reporting only.
      double rounded = round(score);
      return new AssertionResult(
          metric(),
          type(),
          true,
          rounded,
          "Perplexity score " + format(rounded) + " (perplexity " + format(perplexity) + ")");
    }
    return scored("Perplexity score", "perplexity score", score, minScore);
  }
}
