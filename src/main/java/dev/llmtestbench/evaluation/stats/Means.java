package dev.llmtestbench.evaluation.stats;

/** The mean of per-case scores and its standard error, computed with compensated summation. */
public final class Means {

  private Means() {}

  /**
   * Returns the arithmetic mean.
   *
   * @param xs at least one finite value
   * @throws IllegalArgumentException if xs is null, empty or holds a non-finite value
   */
  public static double mean(double[] xs) {
    Checks.finite(xs, "xs", 1);
    return sum(xs) / xs.length;
  }

  /**
   * Returns the sample variance, with Bessel's correction (divides by n - 1).
   *
   * @param xs at least two finite values
   * @throws IllegalArgumentException if xs is null, has fewer than two values or a non-finite one
   */
  public static double variance(double[] xs) {
    Checks.finite(xs, "xs", 2);
    double mean = sum(xs) / xs.length;
    // Corrected two-pass algorithm (Chan, Golub and LeVeque 1983): the second term removes the
    // rounding error left in the mean.
    double squares = 0;
    double compensation = 0;
    double deviations = 0;
    for (double x : xs) {
      double d = x - mean;
      deviations += d;
      double y = d * d - compensation;
      double t = squares + y;
      compensation = (t - squares) - y;
      squares = t;
    }
    double sumOfSquares = squares - deviations * deviations / xs.length;
    return Math.max(0, sumOfSquares) / (xs.length - 1);
  }

  /**
   * Returns the sample standard deviation, the square root of {@link #variance(double[])}.
   *
   * @param xs at least two finite values
   * @throws IllegalArgumentException if xs is null, has fewer than two values or a non-finite one
   */
  public static double standardDeviation(double[] xs) {
    return Math.sqrt(variance(xs));
  }

  /**
   * Returns the standard error of the mean, {@code s / sqrt(n)} with s the sample standard
   * deviation: the same definition as lm-evaluation-harness's {@code mean_stderr}.
   *
   * @param xs at least two finite values
   * @throws IllegalArgumentException if xs is null, has fewer than two values or a non-finite one
   */
  public static double standardError(double[] xs) {
    return Math.sqrt(variance(xs) / xs.length);
  }

  /** Neumaier's compensated sum: exact for sums such as 1e16 + 1 - 1e16. */
  static double sum(double[] xs) {
    double sum = 0;
    double compensation = 0;
    for (double x : xs) {
      double t = sum + x;
      if (Math.abs(sum) >= Math.abs(x)) {
        compensation += (sum - t) + x;
      } else {
        compensation += (x - t) + sum;
      }
      sum = t;
    }
    return sum + compensation;
  }
}
