package dev.llmtestbench.benchmark.domain;

import java.util.List;

/**
 * A run's aggregate figures, overall and per target (provider/model): pass rate, mean score,
 * latency percentiles (answered calls not served from the cache), time to first token, tokens,
 * cost, retries and cache hits; with 95% intervals for the pass rate (Wilson) and the mean score
 * (mean ± 1.96 standard errors).
 */
public record RunSummary(
    int total,
    int completed,
    TargetSummary overall,
    List<TargetSummary> targets,
    Gate.Verdict verdict) {

  /** The same summary with the run's gate verdict. */
  public RunSummary withVerdict(Gate.Verdict v) {
    return new RunSummary(total, completed, overall, targets, v);
  }

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
      Double meanScoreUpper) {}
}
