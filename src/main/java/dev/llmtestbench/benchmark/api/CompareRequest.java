package dev.llmtestbench.benchmark.api;

/**
 * A comparison: either {@code runId} alone (the run's models side by side), or {@code baseline} and
 * {@code candidate} (a candidate run against a baseline run on the same dataset).
 *
 * @param runId the run whose targets to show side by side
 * @param baseline the baseline run and, when it has several targets, which one
 * @param candidate the candidate run and, when it has several targets, which one
 * @param alpha the significance level of the tests (default 0.05); intervals cover 1 − alpha
 * @param cases which rows to list: for a matrix {@code all} (default), {@code failures} or {@code
 *     disagreements}; for runs {@code changed} (default), {@code all}, {@code regressions} or
 *     {@code improvements}
 * @param limit rows per page (default 50, at most 500)
 * @param cursor the {@code nextCursor} of the previous page
 * @param excerptChars how much of prompts, outputs and errors to show (default 200, at most 10000)
 */
public record CompareRequest(
    String runId,
    SideInput baseline,
    SideInput candidate,
    Double alpha,
    String cases,
    Integer limit,
    String cursor,
    Integer excerptChars) {

  /** A run and, optionally, one of its targets. */
  public record SideInput(String runId, String provider, String model) {}
}
