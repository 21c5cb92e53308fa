package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;

/** {@code latency}: the call took at most the threshold in milliseconds. */
final class LatencyAssertion extends BaseAssertion {

  private final double maxMs;
  private final String limit;

  LatencyAssertion(Settings settings, double maxMs) {
    super(settings);
    this.maxMs = maxMs;
    this.limit = formatMs(maxMs);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    long ms = ctx.latencyMs();
    boolean within = ms <= maxMs;
    if (within != negated) {
      return result(
          true,
          within
              ? "Latency " + ms + " ms is within the " + limit + " limit"
              : "Latency " + ms + " ms exceeds " + limit);
    }
    return result(
        false,
        within
            ? "Expected latency above " + limit + ", was " + ms + " ms"
            : "Expected latency of at most " + limit + ", was " + ms + " ms");
  }

  /** Formats milliseconds without a spurious ".0" for whole numbers. */
  static String formatMs(double ms) {
    return (ms == Math.rint(ms) && ms < 1e15 ? Long.toString((long) ms) : Double.toString(ms))
        + " ms";
  }
}
