package dev.llmtestbench.evaluation.stats;

import java.util.Arrays;

/** Percentiles by linear interpolation, identical to PostgreSQL's {@code percentile_cont}. */
public final class Percentiles {

  private Percentiles() {}

  /**
   * Returns the p-th percentile of xs, interpolating linearly between the two nearest ranks.
   *
   * <p>With the values sorted ascending as x[0..n-1] and h = p (n - 1), the result is x[floor(h)] +
   * (h - floor(h)) (x[ceil(h)] - x[floor(h)]): PostgreSQL's {@code percentile_cont}, computed in
   * the same order of floating-point operations (orderedsetaggs.c), and also R's type 7 and NumPy's
   * default {@code linear} method. xs is not modified.
   *
   * @param xs at least one finite value, in any order
   * @param p the fraction, between 0 and 1 (0.5 for the median)
   * @throws IllegalArgumentException if xs is null, empty or holds a non-finite value, or p is
   *     outside [0, 1]
   */
  public static double of(double[] xs, double p) {
    Checks.finite(xs, "xs", 1);
    Checks.probability(p, "p");
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    return ofSorted(sorted, p);
  }

  /** {@link #of(double[], double)} for values already sorted ascending; no checks. */
  static double ofSorted(double[] sorted, double p) {
    double h = p * (sorted.length - 1);
    int first = (int) Math.floor(h);
    int second = (int) Math.ceil(h);
    if (first == second) {
      return sorted[first];
    }
    double proportion = h - first;
    return sorted[first] + proportion * (sorted[second] - sorted[first]);
  }
}
