package dev.llmtestbench.evaluation.metrics;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;

/** {@code perplexity}: the output's perplexity is at most the threshold; scores 1 or 0. */
final class PerplexityAssertion extends TextMetricAssertion {

  private final double maxPerplexity;
  private final String limit;

  PerplexityAssertion(
      String type, boolean negated, String metric, double weight, double maxPerplexity) {
    super(type, negated, metric, weight);
    this.maxPerplexity = maxPerplexity;
    this.limit = number(maxPerplexity);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    Double perplexity = perplexityOrNull(ctx);
    if (perplexity == null) {
      return error(missingOrInvalid(ctx));
    }
    String shown = format(perplexity);
    boolean within = perplexity <= maxPerplexity;
    if (within != negated) {
      return result(
          true,
          within
              ? "Perplexity " + shown + " is within the " + limit + " limit"
              : "Perplexity " + shown + " exceeds " + limit);
    }
    return result(
        false,
        within
            ? "Expected perplexity above " + limit + ", was " + shown
            : "Expected perplexity of at most " + limit + ", was " + shown);
  }

  /** The output's perplexity, or null when its logprobs are missing or invalid. */
  static Double perplexityOrNull(EvaluationContext ctx) {
    try {
      return Perplexity.of(ctx.logprobs());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Why the output's perplexity cannot be computed. */
  static String missingOrInvalid(EvaluationContext ctx) {
    if (ctx.logprobs().isEmpty()) {
      return "No logprobs for this output: perplexity needs the model's token log-probabilities,"
          + " which this call did not return";
    }
    return "Invalid logprobs for this output: NaN and +Infinity are not log-probabilities";
  }
}
