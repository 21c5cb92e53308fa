package dev.llmtestbench.benchmark.domain;

import java.util.List;
import java.util.Map;

/** What {@code POST /api/v1/compare} answers: the model matrix of a run, or run against run. */
public final class Comparisons {

  private Comparisons() {}

  /** One result as a comparison shows it; texts are cut to the requested excerpt length. */
  public record Cell(
      String resultId,
      String status,
      boolean passed,
      Double score,
      double latencyMs,
      Double cost,
      Integer totalTokens,
      String output,
      String error,
      Map<String, Double> scores) {}

  /**
   * Models side by side on one run: one column per target with its summary figures, one row per
   * test case and repeat with a cell per target (null where that target has no result yet).
   */
  public record ModelMatrix(
      String mode,
      String runId,
      String runName,
      String status,
      String datasetId,
      int repeats,
      List<Column> targets,
      List<Row> rows,
      String nextCursor) {}

  /** A matrix column: a target of the run and its totals (as in the run summary). */
  public record Column(
      int index, String provider, String model, String label, RunSummary.TargetSummary totals) {}

  /** A matrix row: one test case and repeat, with one cell per target in column order. */
  public record Row(
      String testId,
      String testCaseId,
      int repeat,
      String prompt,
      String expected,
      boolean agree,
      List<Cell> cells) {}

  /** A candidate run against a baseline run, with paired tests and per-case differences. */
  public record RunComparison(
      String mode,
      Side baseline,
      Side candidate,
      double alpha,
      double confidence,
      int pairs,
      int baselineOnly,
      int candidateOnly,
      PassRateChange passRate,
      ScoreChange score,
      List<ScoreChange> metrics,
      int regressions,
      int improvements,
      String verdict,
      String verdictReason,
      List<String> notes,
      List<CaseChange> cases,
      String nextCursor) {}

  /** One side of a comparison: the run, the target compared and its summary figures. */
  public record Side(
      String runId,
      String runName,
      String status,
      String provider,
      String model,
      RunSummary.TargetSummary summary) {}

  /**
   * The pass rates of the matched pairs, their paired difference (candidate − baseline) with a
   * bootstrap interval, the 2×2 table and McNemar's test.
   */
  public record PassRateChange(
      double baseline,
      double candidate,
      double delta,
      double deltaLower,
      double deltaUpper,
      int bothPass,
      int regressions,
      int improvements,
      int bothFail,
      String test,
      double pValue) {}

  /**
   * The mean score of the matched pairs (the case score when {@code metric} is null, else that
   * metric's), the paired difference with a bootstrap interval, a paired permutation test, and for
   * metrics the Holm-adjusted p-value across the compared metrics.
   */
  public record ScoreChange(
      String metric,
      int pairs,
      double baseline,
      double candidate,
      double delta,
      double deltaLower,
      double deltaUpper,
      String test,
      double pValue,
      Double pValueHolm,
      boolean significant) {}

  /**
   * One matched (test case, repeat): how it changed ({@code regression}: passed in the baseline and
   * fails in the candidate; {@code improvement}; {@code score-up}, {@code score-down} or {@code
   * unchanged}), the score difference, and both results.
   */
  public record CaseChange(
      String testId,
      String testCaseId,
      int repeat,
      String change,
      double scoreDelta,
      String prompt,
      String expected,
      Cell baseline,
      Cell candidate) {}
}
