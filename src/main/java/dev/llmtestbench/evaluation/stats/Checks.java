package dev.llmtestbench.evaluation.stats;

/** Argument checks shared by the package; every message names the argument it rejects. */
final class Checks {

  private Checks() {}

  static void confidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "confidence must be strictly between 0 and 1, was " + confidence);
    }
  }

  static void resamples(int resamples) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be at least 1, was " + resamples);
    }
  }

  static void nonNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }

  static void probability(double p, String name) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + p);
    }
  }

  /** Requires a non-null array of at least {@code minLength} finite values. */
  static void finite(double[] xs, String name, int minLength) {
    if (xs == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (xs.length < minLength) {
      throw new IllegalArgumentException(
          name
              + " must have at least "
              + minLength
              + (minLength == 1 ? " value" : " values")
              + ", had "
              + xs.length);
    }
    for (int i = 0; i < xs.length; i++) {
      if (!Double.isFinite(xs[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite, was " + xs[i]);
      }
    }
  }

  /** Requires two finite arrays of the same, non-zero length. */
  static void paired(double[] a, double[] b) {
    finite(a, "a", 1);
    finite(b, "b", 1);
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "a and b must have the same length, were " + a.length + " and " + b.length);
    }
  }
}
