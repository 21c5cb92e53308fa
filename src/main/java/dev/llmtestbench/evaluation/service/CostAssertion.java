package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;

/**
 * {@code cost}: the call cost at most the threshold in US dollars, as in promptfoo. The threshold
 * is required (promptfoo's threshold-less form, which reports the cost itself as the score, does
 * not fit scores between 0 and 1). Without a known cost the assertion fails, negated or not.
 */
final class CostAssertion extends BaseAssertion {

  private final double maxUsd;
  private final String limit;

  CostAssertion(Settings settings, double maxUsd) {
    super(settings);
    this.maxUsd = maxUsd;
    this.limit = usd(maxUsd);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    Double cost = ctx.costUsd();
    if (cost == null || !Double.isFinite(cost) || cost < 0) {
      return error(
          cost == null
              ? "The call's cost is unknown, so it cannot be checked"
              : "The call's cost " + cost + " is not a valid amount");
    }
    boolean within = cost <= maxUsd;
    String spent = usd(cost);
    if (within != negated) {
      return result(
          true,
          within
              ? "Cost " + spent + " is within the " + limit + " limit"
              : "Cost " + spent + " exceeds " + limit);
    }
    return result(
        false,
        within
            ? "Expected a cost above " + limit + ", was " + spent
            : "Expected a cost of at most " + limit + ", was " + spent);
  }

  private static String usd(double amount) {
    return "$" + GradedAssertion.plain(amount);
  }
}
