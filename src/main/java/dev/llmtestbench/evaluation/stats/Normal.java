package dev.llmtestbench.evaluation.stats;

/** The standard normal distribution: its CDF and quantile function, both to about 1e-15. */
public final class Normal {

  // Wichura, "Algorithm AS 241: The Percentage Points of the Normal Distribution", Applied
  // Statistics 37(3), 1988, pp. 477-484, PPND16: about 1e-16 in exact arithmetic, at worst 7e-16
  // relative in doubles (3,000 points from 1e-300 to 1 - 1e-16, against mpmath). Coefficients in
  // ascending powers; A/B for |p - 0.5| <= 0.425, C/D for r = sqrt(-log(min(p, 1-p))) <= 5, E/F
  // beyond.
  private static final double[] A = {
    3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
    1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
    3.3430575583588128105e+4, 2.5090809287301226727e+3
  };
  private static final double[] B = {
    1.0,
    4.2313330701600911252e+1,
    6.8718700749205790830e+2,
    5.3941960214247511077e+3,
    2.1213794301586595867e+4,
    3.9307895800092710610e+4,
    2.8729085735721942674e+4,
    5.2264952788528545610e+3
  };
  private static final double[] C = {
    1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
    3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
    2.27238449892691845833e-2, 7.74545014278341407640e-4
  };
  private static final double[] D = {
    1.0,
    2.05319162663775882187e0,
    1.67638483018380384940e0,
    6.89767334985100004550e-1,
    1.48103976427480074590e-1,
    1.51986665636164571966e-2,
    5.47593808499534494600e-4,
    1.05075007164441684324e-9
  };
  private static final double[] E = {
    6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
    2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
    2.71155556874348757815e-5, 2.01033439929228813265e-7
  };
  private static final double[] F = {
    1.0,
    5.99832206555887937690e-1,
    1.36929880922735805310e-1,
    1.48753612908506148525e-2,
    7.86869131145613259100e-4,
    1.84631831751005468180e-5,
    1.42151175831644588870e-7,
    2.04426310338993978564e-15
  };

  /** 1 / sqrt(pi), that is 1 / Gamma(1/2). */
  private static final double INV_SQRT_PI = 0.56418958354775628694807945156077;

  private static final int MAX_ITERATIONS = 10_000;

  /**
   * Depth of the continued fraction: enough for double precision from x = 0.5 up (checked against
   * mpmath at 40 digits: relative error below 5e-16).
   */
  private static final int FRACTION_DEPTH = 250;

  private Normal() {}

  /**
   * Returns the standard normal quantile: the z with {@code cdf(z) == p}.
   *
   * @param p a probability in [0, 1]; 0 and 1 give negative and positive infinity
   * @throws IllegalArgumentException if p is outside [0, 1] or NaN
   */
  public static double quantile(double p) {
    Checks.probability(p, "p");
    if (p == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p == 1) {
      return Double.POSITIVE_INFINITY;
    }
    double q = p - 0.5;
    if (Math.abs(q) <= 0.425) {
      double r = 0.180625 - q * q;
      return q * horner(A, r) / horner(B, r);
    }
    double r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
    double z =
        r <= 5 ? horner(C, r - 1.6) / horner(D, r - 1.6) : horner(E, r - 5) / horner(F, r - 5);
    return q < 0 ? -z : z;
  }

  /**
   * Returns the standard normal CDF, {@code P(Z <= z)}, to a relative error below 1e-15 also deep
   * in the lower tail (at worst 7e-16 against mpmath for z from -38 to 8).
   *
   * @param z any value but NaN
   * @throws IllegalArgumentException if z is NaN
   */
  public static double cdf(double z) {
    if (Double.isNaN(z)) {
      throw new IllegalArgumentException("z must not be NaN");
    }
    // Beyond 40 the lower tail is below the smallest double (about 4.9e-324).
    if (z <= -40) {
      return 0;
    }
    if (z >= 40) {
      return 1;
    }
    // Phi(z) = (1 + sign(z) P(1/2, z^2/2)) / 2 = 1 - Q(1/2, z^2/2) / 2 for z > 0, where P and Q
    // are the regularized incomplete gamma functions (erf and erfc in disguise).
    double x = z * z / 2;
    double prefactor = expMinusHalfSquare(z) * Math.abs(z) * Math.sqrt(0.5) * INV_SQRT_PI;
    // The series suits small x; in the lower tail the continued fraction takes over early, where
    // subtracting the series from 1/2 would cancel digits.
    if (x < (z < 0 ? 0.5 : 1.5)) {
      double p = lowerGammaHalfSeries(x) * prefactor;
      return z < 0 ? 0.5 - 0.5 * p : 0.5 + 0.5 * p;
    }
    double q = upperGammaHalfFraction(x) * prefactor;
    return z < 0 ? 0.5 * q : 1 - 0.5 * q;
  }

  /** Returns {@code P(X > x)} for X chi-square distributed with one degree of freedom. */
  static double chiSquareOneSurvival(double x) {
    if (Double.isNaN(x)) {
      throw new IllegalArgumentException("x must not be NaN");
    }
    if (x <= 0) {
      return 1;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 0;
    }
    // P(X > x) = Q(1/2, x/2) = erfc(sqrt(x/2)); x/2 is exact, so exp(-x/2) is accurate.
    double h = x / 2;
    double prefactor = Math.exp(-h) * Math.sqrt(h) * INV_SQRT_PI;
    if (h < 0.5) {
      return 1 - lowerGammaHalfSeries(h) * prefactor;
    }
    return upperGammaHalfFraction(h) * prefactor;
  }

  /** exp(-z^2/2) without the relative error of rounding z^2 for large |z|. */
  private static double expMinusHalfSquare(double z) {
    // Split z = zr + (z - zr) with zr a multiple of 1/16, so zr * zr is exact (Cody's trick).
    double zr = Math.rint(z * 16) / 16;
    return Math.exp(-zr * zr / 2) * Math.exp(-(z - zr) * (z + zr) / 2);
  }

  /** The series of P(1/2, x) without its prefactor e^-x x^(1/2) / Gamma(1/2); for small x. */
  private static double lowerGammaHalfSeries(double x) {
    // P(a, x) = e^-x x^a / Gamma(a) * sum_{n>=0} x^n / (a (a+1) ... (a+n)).
    double a = 0.5;
    double term = 1 / a;
    double sum = term;
    for (int n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 0x1p-54) {
        return sum;
      }
    }
    throw new IllegalStateException("series for P(1/2, " + x + ") did not converge");
  }

  /** The continued fraction of Q(1/2, x) without its prefactor; for x >= 0.5. */
  private static double upperGammaHalfFraction(double x) {
    // Legendre's continued fraction e^x x^-a Gamma(a, x) = 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/...)),
    // evaluated from the bottom up at a fixed depth: stable, unlike forward (Lentz) evaluation,
    // whose running product gathered up to 4e-15 of rounding error here.
    double a = 0.5;
    double t = x + 2 * FRACTION_DEPTH + 1 - a;
    for (int i = FRACTION_DEPTH; i >= 1; i--) {
      t = x + 2 * i - 1 - a - i * (i - a) / t;
    }
    return 1 / t;
  }

  private static double horner(double[] ascending, double x) {
    double value = ascending[ascending.length - 1];
    for (int i = ascending.length - 2; i >= 0; i--) {
      value = value * x + ascending[i];
    }
    return value;
  }
}
