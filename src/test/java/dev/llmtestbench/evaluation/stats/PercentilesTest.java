package dev.llmtestbench.evaluation.stats;

import static dev.llmtestbench.evaluation.stats.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Expected values are what PostgreSQL 15.18 printed (shortest round-trip float8 output) for {@code
 * SELECT percentile_cont(p) WITHIN GROUP (ORDER BY x) FROM unnest(ARRAY[...]::float8[]) x}; they
 * are compared bit for bit.
 */
class PercentilesTest {

  @Test
  void shouldMatchPercentileContOnFourIntegers() {
    double[] xs = {1, 2, 3, 4};
    assertEquals(1.0, Percentiles.of(xs, 0));
    assertEquals(1.75, Percentiles.of(xs, 0.25));
    assertEquals(2.5, Percentiles.of(xs, 0.5));
    assertEquals(3.7, Percentiles.of(xs, 0.9));
    assertEquals(4.0, Percentiles.of(xs, 1));
  }

  @Test
  void shouldMatchPercentileContOnUnsortedFractions() {
    double[] xs = {10, 0.1, 0.3, 0.2};
    assertEquals(0.13, Percentiles.of(xs, 0.1));
    assertEquals(0.199, Percentiles.of(xs, 0.33));
    assertEquals(0.25, Percentiles.of(xs, 0.5));
    assertEquals(8.544999999999996, Percentiles.of(xs, 0.95));
    assertEquals(9.272499999999999, Percentiles.of(xs, 0.975));
  }

  @Test
  void shouldMatchPercentileContWithNegativesAndTies() {
    double[] xs = {0.8, -1.5, 3.25, 3.25, 0.05, 7, -0.3};
    assertEquals(-1.32, Percentiles.of(xs, 0.025));
    assertEquals(-0.7799999999999999, Percentiles.of(xs, 0.1));
    assertEquals(0.8, Percentiles.of(xs, 0.5));
    assertEquals(2.2699999999999996, Percentiles.of(xs, 0.6));
    assertEquals(6.437499999999998, Percentiles.of(xs, 0.975));
  }

  @Test
  void shouldMatchPercentileContOnTwelveScores() {
    double[] xs = {0.71, 0.64, 0.93, 0.12, 0.58, 0.77, 0.81, 0.35, 0.66, 0.49, 0.9, 0.05};
    assertEquals(0.06925, Percentiles.of(xs, 0.025));
    assertEquals(0.65, Percentiles.of(xs, 0.5));
    assertEquals(0.9217500000000001, Percentiles.of(xs, 0.975));
  }

  @Test
  void shouldReturnTheOnlyValue() {
    assertEquals(42.0, Percentiles.of(new double[] {42}, 0.7));
  }

  @Test
  void shouldFollowTheDefinitionOnRandomData() {
    // percentile_cont's definition: h = p (n - 1); lo + (h - floor h)(hi - lo) on sorted values.
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 500; trial++) {
      double[] xs = new double[1 + random.nextInt(40)];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = random.nextInt(-50, 50) / 4.0;
      }
      double[] sorted = xs.clone();
      Arrays.sort(sorted);
      double p = random.nextDouble();
      double h = p * (xs.length - 1);
      int lo = (int) Math.floor(h);
      int hi = (int) Math.ceil(h);
      double expected = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
      double actual = Percentiles.of(xs, p);
      assertEquals(expected, actual);
      assertTrue(sorted[0] <= actual && actual <= sorted[xs.length - 1]);
    }
  }

  @Test
  void shouldNotReorderTheCallersArray() {
    double[] xs = {3, 1, 2};
    Percentiles.of(xs, 0.5);
    assertArrayEquals(new double[] {3, 1, 2}, xs);
  }

  @Test
  void shouldRejectInvalidArguments() {
    assertMessage("xs", () -> Percentiles.of(new double[0], 0.5));
    assertMessage("xs", () -> Percentiles.of(new double[] {Double.NaN}, 0.5));
    assertMessage("p", () -> Percentiles.of(new double[] {1}, -0.01));
    assertMessage("p", () -> Percentiles.of(new double[] {1}, 1.01));
    assertMessage("p", () -> Percentiles.of(new double[] {1}, Double.NaN));
  }
}
