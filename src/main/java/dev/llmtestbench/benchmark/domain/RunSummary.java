package dev.llmtestbench.benchmark.domain;

import java.util.List;

/**
 * A run's aggregate figures, overall and per target (provider/model): pass rate, mean score,
 * latency percentiles (answered calls not served from the cache), time to first token, tokens,
 * cost, retries and cache hits; with standard errors and intervals for the pass rate (Wilson) and
 * the mean score (BCa bootstrap over test cases), the same per named metric, and the consistency of
 * repeats. {@code method} says how the intervals were computed; summaries stored before it existed
 * have none.
 */
public record RunSummary(
    int total,
    int completed,
    TargetSummary overall,
    List<TargetSummary> targets,
    Gate.Verdict verdict,
    Method method) {

  /** The same summary with the run's gate verdict. */
  public RunSummary withVerdict(Gate.Verdict v) {
    return new RunSummary(total, completed, overall, targets, v, method);
  }

  /**
   * How the summary's intervals were computed: the coverage, and the resamples and seed of the
   * bootstrap (the same seed gives the same intervals for the same results).
   */
  public record Method(
      double confidence,
      String passRateInterval,
      String meanInterval,
      int bootstrapResamples,
      long bootstrapSeed) {}

  /** Figures for one provider/model, or for the whole run when provider and model are null. */
  public record TargetSummary(
      String provider,
      String model,
      int results,
      int passed,
      int failed,
      int errors,
      Double passRate,
      Double meanScore,
      Double latencyP50Ms,
      Double latencyP95Ms,
      long promptTokens,
      long completionTokens,
      long totalTokens,
      double totalCost,
      Double timeToFirstTokenP50Ms,
      long retries,
      int cacheHits,
      Double passRateLower,
      Double passRateUpper,
      Double meanScoreStdErr,
      Double meanScoreLower,
      Double meanScoreUpper,
      Double latencyP99Ms,
      Double passRateStdErr,
      Integer cases,
      List<MetricSummary> metrics,
      RepeatConsistency consistency,
      long gradingCalls,
      long gradingTokens,
      double gradingCost) {}

  /**
   * One named metric (an assertion's {@code metric}, by default its type) over the results that
   * scored it: its mean score with standard error and bootstrap interval over test cases, and its
   * pass rate (results where every assertion of that metric passed) with a Wilson interval.
   */
  public record MetricSummary(
      String metric,
      int results,
      int cases,
      int passed,
      double passRate,
      double passRateStdErr,
      double passRateLower,
      double passRateUpper,
      double mean,
      Double stdErr,
      Double meanLower,
      Double meanUpper) {}

  /**
   * How consistently repeats of a case agree, over the cases run at least twice: the share whose
   * repeats all passed or all failed, the mean share of agreeing pairs of repeats, the mean
   * per-case standard deviation of the score, and pass@k / pass^k for k = the fewest repeats of a
   * case.
   */
  public record RepeatConsistency(
      int cases,
      int k,
      double consistentShare,
      double pairwiseAgreement,
      double meanScoreStdDev,
      double passAtK,
      double passAllK) {}
}
