package dev.llmtestbench.evaluation.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Bootstrap confidence intervals for a mean, reproducible from a seed. */
public final class Bootstrap {

  private Bootstrap() {}

  /**
   * Returns the percentile bootstrap interval for the mean of xs.
   *
   * <p>Draws {@code resamples} samples of xs.length values with replacement from a {@link
   * SplittableRandom} seeded with {@code seed}, and returns the (1 - confidence)/2 and (1 +
   * confidence)/2 percentiles of their means, interpolated as in {@link Percentiles#of(double[],
   * double)}. The same arguments always give the same interval. When all values are equal the
   * interval is that single value.
   *
   * @param xs at least one finite value
   * @param confidence the coverage, strictly between 0 and 1
   * @param resamples the number of bootstrap samples, at least 1 (1,000 to 10,000 is usual)
   * @param seed the random seed
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static Interval meanInterval(double[] xs, double confidence, int resamples, long seed) {
    Checks.finite(xs, "xs", 1);
    Checks.confidence(confidence);
    Checks.resamples(resamples);
    if (isConstant(xs)) {
      return new Interval(xs[0], xs[0]);
    }
    double[] means = sortedReplicateMeans(xs, resamples, seed);
    double tail = (1 - confidence) / 2;
    return new Interval(Percentiles.ofSorted(means, tail), Percentiles.ofSorted(means, 1 - tail));
  }

  /**
   * Returns the bias-corrected and accelerated (BCa) bootstrap interval for the mean of xs (Efron
   * 1987; Efron and Tibshirani 1993, section 14.3).
   *
   * <p>Uses the same bootstrap means as {@link #meanInterval} with the same seed, but reads them at
   * adjusted percentiles {@code Phi(z0 + (z0 + z) / (1 - a (z0 + z)))} for z = the normal quantiles
   * of (1 -+ confidence)/2. The bias correction z0 is the normal quantile of the share of bootstrap
   * means below the sample mean, counting ties as half (clamped to [1/(2B), 1 - 1/(2B)] for B
   * resamples, so it stays finite). The acceleration a comes from the jackknife, which for the mean
   * is exactly {@code sum(d^3) / (6 sum(d^2)^(3/2))} with d the deviations from the mean. It
   * corrects the percentile interval's under-coverage on skewed data, such as rare passes. When all
   * values are equal the interval is that single value.
   *
   * @param xs at least one finite value
   * @param confidence the coverage, strictly between 0 and 1
   * @param resamples the number of bootstrap samples, at least 1 (BCa wants 2,000 or more)
   * @param seed the random seed
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static Interval bcaMeanInterval(double[] xs, double confidence, int resamples, long seed) {
    Checks.finite(xs, "xs", 1);
    Checks.confidence(confidence);
    Checks.resamples(resamples);
    if (isConstant(xs)) {
      return new Interval(xs[0], xs[0]);
    }
    double[] means = sortedReplicateMeans(xs, resamples, seed);
    double estimate = plainMean(xs);
    return bcaInterval(means, estimate, acceleration(xs, estimate), confidence);
  }

  /**
   * The BCa interval from sorted bootstrap replicates of an estimate and its acceleration. Separate
   * so tests can check it on hand-made replicates.
   */
  static Interval bcaInterval(
      double[] sortedReplicates, double estimate, double acceleration, double confidence) {
    int b = sortedReplicates.length;
    int below = 0;
    int atOrBelow = 0;
    for (double r : sortedReplicates) {
      if (r < estimate) {
        below++;
      }
      if (r <= estimate) {
        atOrBelow++;
      }
    }
    double share = (below + atOrBelow) / (2.0 * b);
    share = Math.min(Math.max(share, 0.5 / b), 1 - 0.5 / b);
    double z0 = Normal.quantile(share);
    double tail = (1 - confidence) / 2;
    double lowerLevel = adjustedLevel(z0, Normal.quantile(tail), acceleration);
    double upperLevel = adjustedLevel(z0, Normal.quantile(1 - tail), acceleration);
    return new Interval(
        Percentiles.ofSorted(sortedReplicates, lowerLevel),
        Percentiles.ofSorted(sortedReplicates, upperLevel));
  }

  /** The jackknife acceleration of the mean: sum(d^3) / (6 sum(d^2)^(3/2)), d = x - mean. */
  static double acceleration(double[] xs, double mean) {
    double squares = 0;
    double cubes = 0;
    for (double x : xs) {
      double d = x - mean;
      squares += d * d;
      cubes += d * d * d;
    }
    return squares == 0 ? 0 : cubes / (6 * squares * Math.sqrt(squares));
  }

  private static double adjustedLevel(double z0, double z, double acceleration) {
    double shifted = z0 + z;
    double denominator = 1 - acceleration * shifted;
    if (denominator <= 0) {
      // Past the pole of the transform: as the denominator falls to 0 the level tends to 1 (or 0).
      return shifted > 0 ? 1 : 0;
    }
    return Normal.cdf(z0 + shifted / denominator);
  }

  /**
   * Means of {@code resamples} bootstrap samples, sorted. Each is the sum over i of count_i * xs[i]
   * in index order, divided by n, so a resample that draws every value once reproduces {@link
   * #plainMean} bit for bit.
   */
  static double[] sortedReplicateMeans(double[] xs, int resamples, long seed) {
    int n = xs.length;
    SplittableRandom random = new SplittableRandom(seed);
    int[] counts = new int[n];
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[random.nextInt(n)]++;
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += counts[i] * xs[i];
      }
      means[r] = sum / n;
    }
    Arrays.sort(means);
    return means;
  }

  /** The mean as a bootstrap replicate computes it, for comparisons with the replicates. */
  private static double plainMean(double[] xs) {
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    return sum / xs.length;
  }

  private static boolean isConstant(double[] xs) {
    for (double x : xs) {
      if (x != xs[0]) {
        return false;
      }
    }
    return true;
  }
}
