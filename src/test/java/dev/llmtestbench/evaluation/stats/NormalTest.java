package dev.llmtestbench.evaluation.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * References: mpmath 1.3 at 50 significant digits (400 for the far tails), {@code sqrt(2) *
 * erfinv(2p - 1)}, {@code ncdf(z)} and {@code erfc(sqrt(x/2))}, rounded to the nearest double.
 */
class NormalTest {

  private static void assertRelative(double expected, double actual, double tolerance) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), () -> "expected " + expected);
  }

  @Test
  void shouldMatchTheQuantilesQuotedInTables() {
    // The two-sided 95% and 99% critical values as usually quoted.
    assertEquals(1.959963984540054, Normal.quantile(0.975), 1e-15);
    assertEquals(2.5758293035489, Normal.quantile(0.995), 1e-13);
  }

  @Test
  void shouldMatchHighPrecisionQuantilesToOnePartIn1e15() {
    assertEquals(0.0, Normal.quantile(0.5));
    assertRelative(1.2815515655446006, Normal.quantile(0.9), 1e-15);
    assertRelative(1.6448536269514722, Normal.quantile(0.95), 1e-15);
    assertRelative(1.9599639845400538, Normal.quantile(0.975), 1e-15);
    assertRelative(2.3263478740408408, Normal.quantile(0.99), 1e-15);
    assertRelative(2.5758293035489004, Normal.quantile(0.995), 1e-15);
    assertRelative(3.090232306167813, Normal.quantile(0.999), 1e-15);
    assertRelative(3.290526731491926, Normal.quantile(0.9995), 1e-15);
    assertRelative(-1.9599639845400543, Normal.quantile(0.025), 1e-15);
    assertRelative(-6.361340902404057, Normal.quantile(1e-10), 1e-15);
    assertRelative(-37.0470962993612, Normal.quantile(1e-300), 1e-15);
    assertRelative(8.209536151601387, Normal.quantile(Math.nextDown(1.0)), 1e-15);
  }

  @Test
  void shouldReturnInfinitiesAtZeroAndOne() {
    assertEquals(Double.NEGATIVE_INFINITY, Normal.quantile(0));
    assertEquals(Double.POSITIVE_INFINITY, Normal.quantile(1));
  }

  @Test
  void shouldBeAntisymmetricWhereBothProbabilitiesAreExact() {
    for (int i = 1; i < 1024; i++) {
      double p = i / 1024.0;
      // A delta of 0 still counts -0.0 and 0.0 as equal.
      assertEquals(-Normal.quantile(p), Normal.quantile(1 - p), 0.0, () -> "p = " + p);
    }
  }

  @Test
  void shouldMatchHighPrecisionCdfValues() {
    assertRelative(0.8413447460685429, Normal.cdf(1), 1e-15);
    assertRelative(0.15865525393145705, Normal.cdf(-1), 1e-15);
    assertRelative(0.6914624612740131, Normal.cdf(0.5), 1e-15);
    assertRelative(0.9772498680518208, Normal.cdf(2), 1e-15);
    assertRelative(0.025000000000000012, Normal.cdf(-1.959963984540054), 1e-15);
    assertRelative(0.0013498980316300946, Normal.cdf(-3), 1e-15);
    assertRelative(2.866515718791939e-07, Normal.cdf(-5), 1e-15);
    assertRelative(6.220960574271784e-16, Normal.cdf(-8), 1e-15);
    assertRelative(7.619853024160525e-24, Normal.cdf(-10), 1e-15);
    assertRelative(2.7536241186062337e-89, Normal.cdf(-20), 1e-15);
    assertRelative(4.605353009581955e-308, Normal.cdf(-37.5), 1e-15);
    assertEquals(0.5, Normal.cdf(0));
    assertEquals(0.9999999999999993, Normal.cdf(8), 2e-16);
    assertEquals(0, Normal.cdf(-40));
    assertEquals(0, Normal.cdf(Double.NEGATIVE_INFINITY));
    assertEquals(1, Normal.cdf(Double.POSITIVE_INFINITY));
  }

  @Test
  void shouldInvertTheCdfAcrossTwentyOrdersOfMagnitude() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      double p = Math.pow(10, -20 * random.nextDouble());
      double roundTrip = Normal.cdf(Normal.quantile(p));
      // The quantile's relative error reaches p about z^2 times larger through the CDF's slope.
      double z = Math.abs(Normal.quantile(p));
      assertRelative(p, roundTrip, 2e-15 * Math.max(1, z * z));
    }
  }

  @Test
  void shouldBeMonotone() {
    double previous = 0;
    for (int i = -4000; i <= 4000; i++) {
      double z = i / 500.0;
      double p = Normal.cdf(z);
      assertTrue(p >= previous, () -> "cdf decreased at " + z);
      previous = p;
    }
  }

  @Test
  void shouldMatchChiSquareOneDegreeOfFreedomTails() {
    // The 95% and 99% critical values of chi-square(1) are the squares of 1.96 and 2.576.
    assertRelative(0.05000000000000006, Normal.chiSquareOneSurvival(3.841458820694124), 1e-15);
    assertRelative(0.010000000000000009, Normal.chiSquareOneSurvival(6.634896601021214), 1e-15);
    assertRelative(0.920344325445942, Normal.chiSquareOneSurvival(0.01), 1e-15);
    assertRelative(0.4795001221869535, Normal.chiSquareOneSurvival(0.5), 1e-15);
    assertRelative(0.005110260660855866, Normal.chiSquareOneSurvival(7.84), 1e-15);
    assertRelative(1.523970604832105e-23, Normal.chiSquareOneSurvival(100), 1e-15);
    assertRelative(1.7958327848007262e-219, Normal.chiSquareOneSurvival(1000), 1e-14);
    assertEquals(1, Normal.chiSquareOneSurvival(0));
    assertEquals(0, Normal.chiSquareOneSurvival(Double.POSITIVE_INFINITY));
  }

  @Test
  void shouldRejectInvalidArguments() {
    assertMessage("p", () -> Normal.quantile(-0.1));
    assertMessage("p", () -> Normal.quantile(1.5));
    assertMessage("p", () -> Normal.quantile(Double.NaN));
    assertMessage("z", () -> Normal.cdf(Double.NaN));
  }

  static void assertMessage(String argument, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(
        e.getMessage().startsWith(argument + " ") || e.getMessage().startsWith(argument + "["),
        () -> "message should name " + argument + ": " + e.getMessage());
  }
}
