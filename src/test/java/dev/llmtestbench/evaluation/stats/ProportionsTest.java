package dev.llmtestbench.evaluation.stats;

import static dev.llmtestbench.evaluation.stats.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProportionsTest {

  private static void assertInterval(
      double lower, double upper, Interval actual, double tolerance) {
    assertEquals(lower, actual.lower(), tolerance, () -> "lower of " + actual);
    assertEquals(upper, actual.upper(), tolerance, () -> "upper of " + actual);
  }

  @Test
  void shouldReproduceNewcombesWorkedExamples() {
    // Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
    // methods", Statistics in Medicine 17 (1998) 857-872, Table II, method 3 (Wilson score
    // without continuity correction), 95%, to the four decimals printed there.
    assertInterval(0.2553, 0.3662, Proportions.wilson(81, 263, 0.95), 0.5e-4);
    assertInterval(0.0624, 0.1605, Proportions.wilson(15, 148, 0.95), 0.5e-4);
    assertInterval(0.0000, 0.1611, Proportions.wilson(0, 20, 0.95), 0.5e-4);
    assertInterval(0.0061, 0.1718, Proportions.wilson(1, 29, 0.95), 0.5e-4);
    assertInterval(0.8830, 1.0000, Proportions.wilson(29, 29, 0.95), 0.5e-4);
  }

  @Test
  void shouldMatchTheClosedFormToFullPrecision() {
    // (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n) evaluated in mpmath at 50 digits.
    assertInterval(
        0.25528851987827423, 0.36620957698280006, Proportions.wilson(81, 263, 0.95), 1e-15);
    assertInterval(
        0.06238639953073629, 0.16048724172330803, Proportions.wilson(15, 148, 0.95), 1e-15);
    assertInterval(0.0, 0.16112515805281933, Proportions.wilson(0, 20, 0.95), 1e-15);
    assertInterval(0.20654931437723745, 1.0, Proportions.wilson(1, 1, 0.95), 1e-15);
    assertInterval(
        0.37527962504483983, 0.62472037495516017, Proportions.wilson(50, 100, 0.99), 1e-15);
    assertInterval(
        0.0037997801834077376, 0.012860687650996139, Proportions.wilson(7, 1000, 0.90), 1e-15);
  }

  @Test
  void shouldReturnTheUnitIntervalWithoutTrials() {
    assertEquals(new Interval(0, 1), Proportions.wilson(0, 0, 0.95));
  }

  @Test
  void shouldPinTheBoundAtZeroAndAllSuccesses() {
    for (int n = 1; n <= 500; n++) {
      assertEquals(0.0, Proportions.wilson(0, n, 0.95).lower());
      assertEquals(1.0, Proportions.wilson(n, n, 0.95).upper());
      assertTrue(Proportions.wilson(0, n, 0.95).upper() > 0);
      assertTrue(Proportions.wilson(n, n, 0.95).lower() < 1);
    }
  }

  @Test
  void shouldStayInsideTheUnitIntervalAndContainTheObservedRate() {
    for (double confidence : new double[] {0.5, 0.8, 0.9, 0.95, 0.99, 0.999999}) {
      for (int n = 1; n <= 150; n++) {
        for (int s = 0; s <= n; s++) {
          Interval interval = Proportions.wilson(s, n, confidence);
          double rate = (double) s / n;
          assertTrue(interval.lower() >= 0 && interval.upper() <= 1, interval::toString);
          assertTrue(interval.contains(rate), () -> interval + " misses " + rate);
          assertTrue(interval.width() > 0, interval::toString);
        }
      }
    }
  }

  @Test
  void shouldMirrorWhenPassesAndFailuresSwap() {
    for (int n = 1; n <= 100; n++) {
      for (int s = 0; s <= n; s++) {
        Interval passes = Proportions.wilson(s, n, 0.95);
        Interval failures = Proportions.wilson(n - s, n, 0.95);
        assertEquals(1 - passes.upper(), failures.lower(), 1e-15);
        assertEquals(1 - passes.lower(), failures.upper(), 1e-15);
      }
    }
  }

  @Test
  void shouldNarrowAsTrialsGrowAtTheSameRate() {
    int[][] rates = {{0, 1}, {1, 10}, {1, 4}, {1, 2}, {9, 10}, {1, 1}};
    for (int[] rate : rates) {
      double previous = Double.POSITIVE_INFINITY;
      for (int m = 1; m <= 200; m++) {
        double width = Proportions.wilson(rate[0] * m, rate[1] * m, 0.95).width();
        assertTrue(width < previous, () -> "did not narrow for " + rate[0] + "/" + rate[1]);
        previous = width;
      }
    }
  }

  @Test
  void shouldWidenWithConfidenceAndNestTheNarrowerInterval() {
    for (int n = 1; n <= 60; n++) {
      for (int s = 0; s <= n; s++) {
        Interval narrow = Proportions.wilson(s, n, 0.9);
        Interval wide = Proportions.wilson(s, n, 0.99);
        assertTrue(wide.lower() <= narrow.lower() && narrow.upper() <= wide.upper());
        assertTrue(wide.width() > narrow.width());
      }
    }
  }

  @Test
  void shouldMoveUpWithEachExtraSuccess() {
    for (int n = 1; n <= 100; n++) {
      for (int s = 1; s <= n; s++) {
        Interval fewer = Proportions.wilson(s - 1, n, 0.95);
        Interval more = Proportions.wilson(s, n, 0.95);
        assertTrue(more.lower() > fewer.lower() && more.upper() > fewer.upper());
      }
    }
  }

  @Test
  void shouldRejectInvalidArguments() {
    assertMessage("n", () -> Proportions.wilson(0, -1, 0.95));
    assertMessage("successes", () -> Proportions.wilson(-1, 10, 0.95));
    assertMessage("successes", () -> Proportions.wilson(11, 10, 0.95));
    assertMessage("confidence", () -> Proportions.wilson(5, 10, 0));
    assertMessage("confidence", () -> Proportions.wilson(5, 10, 1));
    assertMessage("confidence", () -> Proportions.wilson(5, 10, Double.NaN));
  }
}
