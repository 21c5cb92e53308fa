package dev.llmtestbench.evaluation.stats;

import static dev.llmtestbench.evaluation.stats.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MeansTest {

  @Test
  void shouldComputeTheTextbookExample() {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, so the sample variance is
    // 32/7, and the standard error sqrt(32/7 / 8) = sqrt(4/7).
    double[] xs = {2, 4, 4, 4, 5, 5, 7, 9};
    assertEquals(5.0, Means.mean(xs));
    assertEquals(32.0 / 7, Means.variance(xs), 1e-15);
    assertEquals(Math.sqrt(32.0 / 7), Means.standardDeviation(xs), 1e-15);
    assertEquals(Math.sqrt(4.0 / 7), Means.standardError(xs), 1e-15);
  }

  @Test
  void shouldMatchLmEvaluationHarnessForPassFailScores() {
    // lm-evaluation-harness: mean_stderr(arr) = sample_stddev(arr) / sqrt(len(arr)), with the
    // n - 1 denominator. For k passes in n, that is sqrt(p (1 - p) / (n - 1)) with p = k / n.
    double[] xs = new double[200];
    for (int i = 0; i < 37; i++) {
      xs[i] = 1;
    }
    double p = 37.0 / 200;
    assertEquals(p, Means.mean(xs), 1e-16);
    assertEquals(Math.sqrt(p * (1 - p) / 199), Means.standardError(xs), 1e-16);
  }

  @Test
  void shouldNotLoseSmallValuesNextToLargeOnes() {
    // Naive left-to-right summation returns 0 here: 1e16 + 1 rounds back to 1e16.
    assertEquals(1.0 / 3, Means.mean(new double[] {1e16, 1, -1e16}));
    // A large offset must not disturb the variance: 1e9 + {0, 1, 2} has variance 1.
    assertEquals(1.0, Means.variance(new double[] {1e9, 1e9 + 1, 1e9 + 2}));
  }

  @Test
  void shouldGiveZeroSpreadForConstantData() {
    double[] xs = {0.7, 0.7, 0.7, 0.7};
    assertEquals(0.7, Means.mean(xs));
    assertEquals(0.0, Means.variance(xs));
    assertEquals(0.0, Means.standardError(xs));
  }

  @Test
  void shouldShrinkTheStandardErrorLikeOneOverRootN() {
    // Repeating the same data k times keeps the spread and divides the error by about sqrt(k).
    double[] base = {0.1, 0.9, 0.4, 0.6, 0.3};
    double previous = Double.POSITIVE_INFINITY;
    for (int k = 1; k <= 50; k++) {
      double[] xs = new double[base.length * k];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = base[i % base.length];
      }
      double error = Means.standardError(xs);
      double populationSd = Math.sqrt(Means.variance(xs) * (xs.length - 1) / xs.length);
      assertEquals(populationSd / Math.sqrt(xs.length - 1), error, 1e-15);
      assertTrue(error < previous);
      previous = error;
    }
  }

  @Test
  void shouldAgreeWithADirectSumOnRandomData() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      double[] xs = new double[2 + random.nextInt(100)];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = random.nextDouble();
      }
      double sum = 0;
      for (double x : xs) {
        sum += x;
      }
      double mean = sum / xs.length;
      double squares = 0;
      for (double x : xs) {
        squares += (x - mean) * (x - mean);
      }
      assertEquals(mean, Means.mean(xs), 1e-15);
      assertEquals(squares / (xs.length - 1), Means.variance(xs), 1e-15);
    }
  }

  @Test
  void shouldRejectInvalidArguments() {
    assertMessage("xs", () -> Means.mean(null));
    assertMessage("xs", () -> Means.mean(new double[0]));
    assertMessage("xs", () -> Means.mean(new double[] {1, Double.NaN}));
    assertMessage("xs", () -> Means.standardError(new double[] {1}));
    assertMessage("xs", () -> Means.variance(new double[] {1, Double.POSITIVE_INFINITY}));
  }
}
