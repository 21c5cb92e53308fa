package dev.llmtestbench.evaluation.stats;

/**
 * A closed interval {@code [lower, upper]} of real numbers, such as a confidence interval.
 *
 * @param lower the smallest value in the interval
 * @param upper the largest value in the interval, never below {@code lower}
 */
public record Interval(double lower, double upper) {

  /** Rejects bounds that are NaN or out of order. */
  public Interval {
    if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
      throw new IllegalArgumentException(
          "lower must not be NaN or exceed upper, was [" + lower + ", " + upper + "]");
    }
  }

  /** Returns {@code upper - lower}. */
  public double width() {
    return upper - lower;
  }

  /** Returns whether {@code lower <= x <= upper}. */
  public boolean contains(double x) {
    return lower <= x && x <= upper;
  }
}
