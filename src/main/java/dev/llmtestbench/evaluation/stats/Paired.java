package dev.llmtestbench.evaluation.stats;

import java.math.BigInteger;
import java.util.SplittableRandom;

/** Paired comparisons of a run against a baseline on the same cases: tests and intervals. */
public final class Paired {

  /** Below this many discordant pairs McNemar's test uses the exact binomial distribution. */
  static final int MCNEMAR_EXACT_BELOW = 25;

  /** Up to this many trials binomial tails are summed exactly with big integers (~10 ms). */
  static final int EXACT_BINOMIAL_LIMIT = 5_000;

  private Paired() {}

  /**
   * Returns the two-sided p-value of McNemar's test that runs A and B pass equally often, from the
   * 2x2 table of paired pass/fail outcomes.
   *
   * <p>Only the discordant pairs carry information. With b = onlyA, c = onlyB and b + c below 25
   * the p-value is exact: {@code min(1, 2 P(X <= min(b, c)))} for X ~ Binomial(b + c, 1/2), as
   * statsmodels' {@code mcnemar(exact=True)} computes it. From 25 discordant pairs on, where the
   * usual rule of thumb considers the chi-square approximation adequate, it is the upper tail of
   * chi-square with one degree of freedom at Edwards' (1948) continuity-corrected statistic {@code
   * max(0, |b - c| - 1)^2 / (b + c)}. R's {@code mcnemar.test} uses the same statistic but without
   * the {@code max(0, .)}, so for b = c it reports p slightly below 1 where this (and the exact
   * test) gives 1. With no discordant pairs the p-value is 1.
   *
   * @param bothPass pairs where both runs passed (shown for completeness; does not affect p)
   * @param onlyA pairs where only run A passed
   * @param onlyB pairs where only run B passed
   * @param bothFail pairs where both runs failed (does not affect p)
   * @throws IllegalArgumentException if a count is negative
   */
  public static double mcnemar(int bothPass, int onlyA, int onlyB, int bothFail) {
    Checks.nonNegative(bothPass, "bothPass");
    Checks.nonNegative(onlyA, "onlyA");
    Checks.nonNegative(onlyB, "onlyB");
    Checks.nonNegative(bothFail, "bothFail");
    long discordant = (long) onlyA + onlyB;
    if (discordant == 0) {
      return 1;
    }
    if (discordant < MCNEMAR_EXACT_BELOW) {
      return binomialTwoSided(Math.min(onlyA, onlyB), (int) discordant);
    }
    double excess = Math.max(0, Math.abs((long) onlyA - onlyB) - 1);
    return Normal.chiSquareOneSurvival(excess * excess / discordant);
  }

  /**
   * Returns the exact two-sided p-value of the sign test that A beats B as often as B beats A.
   *
   * <p>Counts the cases where a[i] > b[i] and where a[i] < b[i]; ties carry no sign and are
   * dropped. With k the smaller count and m the two together, the p-value is {@code min(1, 2 P(X <=
   * k))} for X ~ Binomial(m, 1/2); 1 when every case ties.
   *
   * @param a the scores of run A, one per case
   * @param b the scores of run B on the same cases in the same order
   * @throws IllegalArgumentException if the arrays are null, empty, of different lengths or hold a
   *     non-finite value
   */
  public static double signTest(double[] a, double[] b) {
    Checks.paired(a, b);
    int positives = 0;
    int negatives = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        positives++;
      } else if (a[i] < b[i]) {
        negatives++;
      }
    }
    return signTest(positives, negatives);
  }

  /**
   * Returns the exact two-sided sign-test p-value from the counts of cases A won and B won.
   *
   * @param aWins the cases where A scored higher
   * @param bWins the cases where B scored higher
   * @throws IllegalArgumentException if a count is negative or their sum exceeds the int range
   */
  public static double signTest(int aWins, int bWins) {
    Checks.nonNegative(aWins, "aWins");
    Checks.nonNegative(bWins, "bWins");
    long trials = (long) aWins + bWins;
    if (trials > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "aWins + bWins must not exceed " + Integer.MAX_VALUE + ", was " + trials);
    }
    if (trials == 0) {
      return 1;
    }
    return binomialTwoSided(Math.min(aWins, bWins), (int) trials);
  }

  /**
   * Returns the two-sided p-value of a paired sign-flip permutation test of mean(a - b) = 0.
   *
   * <p>Under the null hypothesis each difference d[i] = a[i] - b[i] is as likely to have either
   * sign. Each of {@code resamples} random resamples flips every sign with probability 1/2 ({@link
   * SplittableRandom} seeded with {@code seed}); the p-value is {@code (k + 1) / (resamples + 1)}
   * with k the resamples whose |sum| reaches the observed |sum| (Phipson and Smyth 2010: never 0,
   * and valid as a Monte Carlo p-value). Sums within n * 2^-50 * sum|d| of the observed one count
   * as reaching it, so rounding cannot split mathematically equal sums. Swapping a and b gives the
   * same p-value; so does the same seed.
   *
   * @param a the scores of run A, one per case
   * @param b the scores of run B on the same cases in the same order
   * @param resamples the number of random sign flips, at least 1 (9,999 gives p down to 1e-4)
   * @param seed the random seed
   * @throws IllegalArgumentException if an argument is out of range or a difference overflows
   */
  public static double permutationTest(double[] a, double[] b, int resamples, long seed) {
    double[] d = differences(a, b);
    Checks.resamples(resamples);
    double observed = 0;
    double absoluteSum = 0;
    for (double x : d) {
      observed += x;
      absoluteSum += Math.abs(x);
    }
    observed = Math.abs(observed);
    double threshold = observed - d.length * 0x1p-50 * absoluteSum;
    SplittableRandom random = new SplittableRandom(seed);
    long bits = 0;
    int bitsLeft = 0;
    long atLeastAsExtreme = 0;
    for (int r = 0; r < resamples; r++) {
      double sum = 0;
      for (double x : d) {
        if (bitsLeft == 0) {
          bits = random.nextLong();
          bitsLeft = 64;
        }
        sum += (bits & 1) == 0 ? x : -x;
        bits >>>= 1;
        bitsLeft--;
      }
      if (Math.abs(sum) >= threshold) {
        atLeastAsExtreme++;
      }
    }
    return (atLeastAsExtreme + 1.0) / (resamples + 1.0);
  }

  /**
   * Returns the percentile bootstrap interval for the mean paired difference mean(a - b).
   *
   * <p>Resamples cases (pairs), not runs, so the pairing is kept: this is {@link
   * Bootstrap#meanInterval} on the differences a[i] - b[i]. An interval that excludes 0 marks a
   * difference at level 1 - confidence. Swapping a and b negates the interval (up to rounding).
   *
   * @param a the scores of run A, one per case
   * @param b the scores of run B on the same cases in the same order
   * @param confidence the coverage, strictly between 0 and 1
   * @param resamples the number of bootstrap samples, at least 1
   * @param seed the random seed
   * @throws IllegalArgumentException if an argument is out of range or a difference overflows
   */
  public static Interval bootstrapDifference(
      double[] a, double[] b, double confidence, int resamples, long seed) {
    return Bootstrap.meanInterval(differences(a, b), confidence, resamples, seed);
  }

  private static double[] differences(double[] a, double[] b) {
    Checks.paired(a, b);
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
      if (!Double.isFinite(d[i])) {
        throw new IllegalArgumentException(
            "a[" + i + "] - b[" + i + "] must be finite, was " + d[i]);
      }
    }
    return d;
  }

  /**
   * min(1, 2 P(X <= k)) for X ~ Binomial(n, 1/2) and 0 <= k <= n. Exact up to the final rounding to
   * double for n up to {@link #EXACT_BINOMIAL_LIMIT}; beyond, relative error below 1e-12 (at worst
   * 2e-13 against exact sums for n up to 5,000).
   */
  static double binomialTwoSided(int k, int n) {
    if (2L * k >= n) {
      return 1;
    }
    return n <= EXACT_BINOMIAL_LIMIT ? exactTwoSided(k, n) : approximateTwoSided(k, n);
  }

  /** 2 sum_{i<=k} C(n, i) / 2^n = sum_{i<=k} C(n, i) / 2^(n-1), summed exactly. */
  static double exactTwoSided(int k, int n) {
    BigInteger coefficient = BigInteger.ONE;
    BigInteger sum = BigInteger.ONE;
    for (int i = 1; i <= k; i++) {
      coefficient =
          coefficient.multiply(BigInteger.valueOf(n - i + 1)).divide(BigInteger.valueOf(i));
      sum = sum.add(coefficient);
    }
    // Keep 63 significant bits, then scale: one rounding of the 63-bit value to double.
    int shift = Math.max(0, sum.bitLength() - 63);
    double significand = sum.shiftRight(shift).longValue();
    return Math.scalb(significand, shift - (n - 1));
  }

  /**
   * The same sum as {@link #exactTwoSided} in floating point, for large n and k < n/2: the term
   * C(n, k) / 2^n by Loader's saddle-point expansion (as R's dbinom computes it), times the sum of
   * the ratios of the smaller terms to it.
   */
  static double approximateTwoSided(int k, int n) {
    if (k == 0) {
      return Math.scalb(1.0, 1 - n);
    }
    double half = n / 2.0;
    double logTerm =
        stirlingError(n)
            - stirlingError(k)
            - stirlingError(n - k)
            - deviance(k, half)
            - deviance(n - k, half);
    double term = Math.exp(logTerm) * Math.sqrt(n / (2 * Math.PI * k * ((double) n - k)));
    // sum_{i<=k} C(n, i) / C(n, k): going down from i = k each term is i / (n - i + 1) times the
    // one above, so the sum converges fast once k is well below n/2.
    double ratioSum = 1;
    double ratio = 1;
    for (int i = k; i >= 1; i--) {
      ratio *= (double) i / (n - i + 1);
      ratioSum += ratio;
      if (ratio < ratioSum * 0x1p-60) {
        break;
      }
    }
    return Math.min(1, 2 * term * ratioSum);
  }

  private static final double LN_SQRT_2PI = 0.918938533204672741780329736406;

  /** log(m!) - log(sqrt(2 pi m) (m/e)^m), the error of Stirling's formula, for m >= 1. */
  static double stirlingError(int m) {
    if (m <= 15) {
      double factorial = 1;
      for (int j = 2; j <= m; j++) {
        factorial *= j;
      }
      return Math.log(factorial) - (m + 0.5) * Math.log(m) + m - LN_SQRT_2PI;
    }
    // The asymptotic series 1/(12m) - 1/(360m^3) + 1/(1260m^5) - 1/(1680m^7) + 1/(1188m^9).
    double mm = (double) m * m;
    return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / 1188 / mm) / mm) / mm) / mm)
        / m;
  }

  /** x log(x / mean) + mean - x, without cancellation when x is close to mean (Loader 2000). */
  static double deviance(double x, double mean) {
    if (Math.abs(x - mean) < 0.1 * (x + mean)) {
      // With v = (x - mean) / (x + mean) the deviance is (x - mean) v + 2x sum_j v^(2j+1)/(2j+1).
      double v = (x - mean) / (x + mean);
      double sum = (x - mean) * v;
      double power = 2 * x * v;
      double vv = v * v;
      for (int j = 1; j < 1000; j++) {
        power *= vv;
        double next = sum + power / (2 * j + 1);
        if (next == sum) {
          return sum;
        }
        sum = next;
      }
      return sum;
    }
    return x * Math.log(x / mean) + mean - x;
  }
}
