package dev.llmtestbench.evaluation.stats;

/** Confidence intervals for a pass rate: successes out of n independent trials. */
public final class Proportions {

  private Proportions() {}

  /**
   * Returns the Wilson score interval (Wilson 1927, without continuity correction) for a pass rate.
   *
   * <p>Unlike the normal-approximation (Wald) interval it stays inside [0, 1] and does not collapse
   * to a point at 0 or n successes. With z the two-sided normal quantile for the confidence level,
   * p = successes / n and c = z^2 / n, the interval is {@code (p + c/2 +- z sqrt(p(1-p)/n +
   * c/(4n))) / (1 + c)}. With no trials nothing is known, so the interval is [0, 1]; with 0
   * successes the lower bound is exactly 0 and with n successes the upper bound is exactly 1.
   *
   * @param successes the number of passes, between 0 and n
   * @param n the number of trials, at least 0
   * @param confidence the coverage, strictly between 0 and 1 (0.95 for a 95% interval)
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static Interval wilson(int successes, int n, double confidence) {
    Checks.nonNegative(n, "n");
    if (successes < 0 || successes > n) {
      throw new IllegalArgumentException(
          "successes must be between 0 and n (" + n + "), was " + successes);
    }
    Checks.confidence(confidence);
    if (n == 0) {
      return new Interval(0, 1);
    }
    double z = Normal.quantile(0.5 + confidence / 2);
    // The upper bound for s successes is 1 minus the lower bound for n - s, which keeps the
    // interval exactly symmetric under swapping passes and failures.
    return new Interval(wilsonLower(successes, n, z), 1 - wilsonLower(n - successes, n, z));
  }

  /**
   * The Wilson lower bound in a form without cancellation: multiplying (A - B) / (n + z^2), with A
   * = s + z^2/2 and B = z sqrt(s(n-s)/n + z^2/4), by (A + B) / (A + B) gives s^2 / (n (A + B)).
   */
  private static double wilsonLower(int s, int n, double z) {
    if (s == 0) {
      return 0; // Also when z is 0, where the formula below would be 0 / 0.
    }
    double a = s + z * z / 2;
    double b = z * Math.sqrt((double) s * (n - s) / n + z * z / 4);
    return (double) s * s / ((double) n * (a + b));
  }
}
