package dev.llmtestbench.benchmark.domain;

/**
 * The numbers a run summary is computed from, as the database aggregates them: only counts, sums
 * and per-case arrays of primitives, never whole results.
 */
public final class SummaryInputs {

  private SummaryInputs() {}

  /**
   * Counts, sums and latency percentiles of one provider/model, or of the whole run when provider
   * is null; grading (judge and embedding calls, their tokens and cost) is summed apart.
   */
  public record Totals(
      String provider,
      String model,
      int results,
      int passed,
      int failed,
      int errors,
      Double meanScore,
      Double latencyP50Ms,
      Double latencyP95Ms,
      Double latencyP99Ms,
      Double timeToFirstTokenP50Ms,
      long promptTokens,
      long completionTokens,
      long totalTokens,
      double totalCost,
      long retries,
      int cacheHits,
      long gradingCalls,
      long gradingTokens,
      double gradingCost) {}

  /**
   * Per test case of one provider/model, index for index: the mean score of its repeats (errors
   * score 0), how many repeats it had, how many passed, and the sample standard deviation of its
   * scores (0 for a single repeat).
   */
  public record Cases(
      String provider,
      String model,
      double[] meanScores,
      int[] repeats,
      int[] passes,
      double[] scoreStdDevs) {}

  /**
   * One named metric of one provider/model: the results that scored it, how many of them passed it,
   * and its mean score per test case.
   */
  public record MetricCases(
      String provider, String model, String metric, int results, int passed, double[] caseMeans) {}
}
