package dev.llmtestbench.evaluation.stats;

import static dev.llmtestbench.evaluation.stats.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  private static double[] gaussian(SplittableRandom random, int n, double mean) {
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = mean + random.nextGaussian();
    }
    return xs;
  }

  private static double[] exponential(SplittableRandom random, int n) {
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = -Math.log(1 - random.nextDouble());
    }
    return xs;
  }

  @Test
  void shouldReturnTheSameIntervalForTheSameSeed() {
    double[] xs = gaussian(new SplittableRandom(1), 40, 0);
    assertEquals(
        Bootstrap.meanInterval(xs, 0.95, 2000, 42), Bootstrap.meanInterval(xs, 0.95, 2000, 42));
    assertEquals(
        Bootstrap.bcaMeanInterval(xs, 0.95, 2000, 42),
        Bootstrap.bcaMeanInterval(xs, 0.95, 2000, 42));
    assertNotEquals(
        Bootstrap.meanInterval(xs, 0.95, 2000, 42), Bootstrap.meanInterval(xs, 0.95, 2000, 43));
  }

  @Test
  void shouldCollapseToThePointForConstantData() {
    double[] xs = {0.3, 0.3, 0.3};
    assertEquals(new Interval(0.3, 0.3), Bootstrap.meanInterval(xs, 0.95, 100, 1));
    assertEquals(new Interval(0.3, 0.3), Bootstrap.bcaMeanInterval(xs, 0.95, 100, 1));
    assertEquals(new Interval(7, 7), Bootstrap.meanInterval(new double[] {7}, 0.95, 100, 1));
  }

  @Test
  void shouldGiveExactBoundsWhenTheTailsFallOnAtoms() {
    // Means of two draws from {0, 1} are 0, 1/2, 1 with probabilities 1/4, 1/2, 1/4: the 2.5%
    // and 97.5% points fall well inside the atoms at 0 and 1.
    assertEquals(new Interval(0, 1), Bootstrap.meanInterval(new double[] {0, 1}, 0.95, 100_000, 8));
    // Means of four draws from {0, 0, 0, 1} are k/4 with k ~ Binomial(4, 1/4): P(0) = 81/256
    // covers the 2.5% point; P(k <= 2) = 243/256 = 0.949 < 0.975 < P(k <= 3) = 0.996, so the
    // upper bound is 3/4.
    assertEquals(
        new Interval(0, 0.75), Bootstrap.meanInterval(new double[] {0, 0, 0, 1}, 0.95, 100_000, 8));
  }

  @Test
  void shouldResampleEachValueUniformly() {
    // For {0, 1}: P(mean = 1/2) = 1/2. With 100,000 resamples the share is 0.5 +- 0.0016 (one
    // standard error); allow five.
    double[] means = Bootstrap.sortedReplicateMeans(new double[] {0, 1}, 100_000, 21);
    int halves = 0;
    for (double mean : means) {
      if (mean == 0.5) {
        halves++;
      }
    }
    assertEquals(0.5, halves / 100_000.0, 5 * 0.0016);
  }

  @Test
  void shouldReproduceTheSampleMeanBitForBitWhenEveryValueIsDrawnOnce() {
    // A replicate is sum(count_i * x_i) / n in index order; with all counts 1 that is the plain
    // sum, which the BCa bias correction compares against with < and <=.
    double[] xs = {0.1, 0.7, 0.2};
    double[] means = Bootstrap.sortedReplicateMeans(xs, 20_000, 3);
    double plain = (0.1 + 0.7 + 0.2) / 3;
    int exact = 0;
    for (double mean : means) {
      if (mean == plain) {
        exact++;
      }
    }
    // 3! / 3^3 = 2/9 of resamples draw each value once; nothing else has this mean.
    assertEquals(2.0 / 9, exact / 20_000.0, 0.015);
  }

  @Test
  void shouldCoverTheTrueMeanOfNormalDataAboutNinetyFivePercentOfTheTime() {
    // 2,000 data sets of 100 N(mu, 1) values. The percentile interval is about the z interval
    // with the biased (n) standard deviation, so its coverage is about P(|t_99| < 1.96 *
    // sqrt(0.99)) = 0.946; one standard error of the observed share is 0.005.
    SplittableRandom data = new SplittableRandom(20240601);
    int percentileCovers = 0;
    int bcaCovers = 0;
    int datasets = 2000;
    for (int d = 0; d < datasets; d++) {
      double mu = 10 * data.nextDouble();
      double[] xs = gaussian(data, 100, mu);
      if (Bootstrap.meanInterval(xs, 0.95, 1000, d).contains(mu)) {
        percentileCovers++;
      }
      if (Bootstrap.bcaMeanInterval(xs, 0.95, 1000, d).contains(mu)) {
        bcaCovers++;
      }
    }
    assertEquals(0.946, percentileCovers / (double) datasets, 0.015);
    assertEquals(0.946, bcaCovers / (double) datasets, 0.015);
  }

  @Test
  void shouldNarrowWithMoreDataAndWidenWithConfidence() {
    SplittableRandom data = new SplittableRandom(17);
    double[] big = gaussian(data, 1600, 0);
    double[] small = Arrays.copyOf(big, 100);
    Interval smallInterval = Bootstrap.meanInterval(small, 0.95, 2000, 1);
    Interval bigInterval = Bootstrap.meanInterval(big, 0.95, 2000, 1);
    // The width scales like 1/sqrt(n): 16 times the data, about a quarter of the width.
    assertEquals(0.25, bigInterval.width() / smallInterval.width(), 0.05);
    Interval wider = Bootstrap.meanInterval(small, 0.99, 2000, 1);
    assertTrue(wider.lower() < smallInterval.lower() && smallInterval.upper() < wider.upper());
  }

  @Test
  void shouldShiftTheBcaIntervalTowardsTheLongTailOnAverage() {
    // For right-skewed data the acceleration is positive and most bootstrap means fall below the
    // sample mean (z0 > 0), so BCa reads higher percentiles than the plain method. Single data
    // sets can go the other way through Monte Carlo noise in z0; the average over 50 cannot.
    SplittableRandom data = new SplittableRandom(99);
    double lowerShift = 0;
    double upperShift = 0;
    for (int d = 0; d < 50; d++) {
      double[] xs = exponential(data, 30);
      Interval percentile = Bootstrap.meanInterval(xs, 0.95, 4000, d);
      Interval bca = Bootstrap.bcaMeanInterval(xs, 0.95, 4000, d);
      assertTrue(Bootstrap.acceleration(xs, Means.mean(xs)) > 0);
      lowerShift += bca.lower() - percentile.lower();
      upperShift += bca.upper() - percentile.upper();
    }
    assertTrue(lowerShift > 0 && upperShift > 0, lowerShift + ", " + upperShift);
  }

  @Test
  void shouldRaiseBothLevelsForPositiveAccelerationOrBias() {
    double[] replicates = new double[999];
    for (int i = 0; i < replicates.length; i++) {
      replicates[i] = i + 1;
    }
    Interval plain = Bootstrap.bcaInterval(replicates, 500, 0, 0.95);
    // z0 = 0, a > 0: z / (1 - a z) exceeds z for z = -1.96 and for z = +1.96.
    Interval accelerated = Bootstrap.bcaInterval(replicates, 500, 0.05, 0.95);
    // a = 0, estimate above the median: z0 > 0 adds 2 z0 to both quantiles.
    Interval biased = Bootstrap.bcaInterval(replicates, 600, 0, 0.95);
    for (Interval shifted : new Interval[] {accelerated, biased}) {
      assertTrue(shifted.lower() > plain.lower() && shifted.upper() > plain.upper());
    }
    // And negative acceleration lowers them.
    Interval decelerated = Bootstrap.bcaInterval(replicates, 500, -0.05, 0.95);
    assertTrue(decelerated.lower() < plain.lower() && decelerated.upper() < plain.upper());
  }

  @Test
  void shouldEqualThePercentileIntervalWithoutBiasOrAcceleration() {
    // Replicates 1..999 around an estimate of 500: z0 = 0 and with a = 0 the levels are the
    // plain 2.5% and 97.5%.
    double[] replicates = new double[999];
    for (int i = 0; i < replicates.length; i++) {
      replicates[i] = i + 1;
    }
    Interval bca = Bootstrap.bcaInterval(replicates, 500, 0, 0.95);
    assertEquals(Percentiles.ofSorted(replicates, 0.025), bca.lower(), 1e-12);
    assertEquals(Percentiles.ofSorted(replicates, 0.975), bca.upper(), 1e-12);
  }

  @Test
  void shouldApplyEfronsAdjustedLevels() {
    // Replicates 1..1000, estimate 400.5: 400 below, so z0 = Phi^-1(0.4); a = 0.05. The levels
    // Phi(z0 + (z0 + z)/(1 - a (z0 + z))) are 0.0123479631678130 and 0.946571518555554 (mpmath,
    // 50 digits), and replicate i sits at rank i - 1, so each bound is 1 + 999 * level.
    double[] replicates = new double[1000];
    for (int i = 0; i < replicates.length; i++) {
      replicates[i] = i + 1;
    }
    Interval bca = Bootstrap.bcaInterval(replicates, 400.5, 0.05, 0.95);
    assertEquals(13.3356152046452, bca.lower(), 1e-11);
    assertEquals(946.6249470369986, bca.upper(), 1e-11);
    Interval bca90 = Bootstrap.bcaInterval(replicates, 400.5, 0.05, 0.90);
    assertEquals(24.4373947933216, bca90.lower(), 1e-11);
    assertEquals(893.0281863074509, bca90.upper(), 1e-11);
  }

  @Test
  void shouldKeepTheBiasCorrectionFiniteWhenEveryReplicateIsOnOneSide() {
    double[] replicates = {2, 3, 4, 5};
    Interval bca = Bootstrap.bcaInterval(replicates, 1, 0, 0.95);
    assertTrue(Double.isFinite(bca.lower()) && bca.lower() >= 2 && bca.upper() <= 5);
  }

  @Test
  void shouldComputeTheJackknifeAccelerationOfTheMean() {
    // {0, 0, 0, 3}: deviations -3/4 (three times) and 9/4; sum d^2 = 27/4, sum d^3 = 81/8, so
    // a = (81/8) / (6 (27/4)^(3/2)) = 1 / (6 sqrt(3)).
    assertEquals(
        1 / (6 * Math.sqrt(3)), Bootstrap.acceleration(new double[] {0, 0, 0, 3}, 0.75), 1e-16);
    // And it is Efron's jackknife formula sum(u^3) / (6 (sum u^2)^(3/2)), u = mean of the
    // leave-one-out means minus each of them.
    SplittableRandom random = new SplittableRandom(4);
    for (int trial = 0; trial < 100; trial++) {
      double[] xs = exponential(random, 3 + random.nextInt(50));
      int n = xs.length;
      double total = 0;
      for (double x : xs) {
        total += x;
      }
      double[] leaveOneOut = new double[n];
      double average = 0;
      for (int i = 0; i < n; i++) {
        leaveOneOut[i] = (total - xs[i]) / (n - 1);
        average += leaveOneOut[i] / n;
      }
      double squares = 0;
      double cubes = 0;
      for (double theta : leaveOneOut) {
        double u = average - theta;
        squares += u * u;
        cubes += u * u * u;
      }
      double jackknife = cubes / (6 * Math.pow(squares, 1.5));
      assertEquals(jackknife, Bootstrap.acceleration(xs, total / n), 1e-10);
    }
  }

  @Test
  void shouldRejectInvalidArguments() {
    double[] xs = {1, 2, 3};
    assertMessage("xs", () -> Bootstrap.meanInterval(new double[0], 0.95, 100, 1));
    assertMessage("xs", () -> Bootstrap.meanInterval(null, 0.95, 100, 1));
    assertMessage("xs", () -> Bootstrap.bcaMeanInterval(new double[] {1, Double.NaN}, 0.95, 9, 1));
    assertMessage("confidence", () -> Bootstrap.meanInterval(xs, 1.0, 100, 1));
    assertMessage("confidence", () -> Bootstrap.bcaMeanInterval(xs, -0.5, 100, 1));
    assertMessage("resamples", () -> Bootstrap.meanInterval(xs, 0.95, 0, 1));
    assertMessage("resamples", () -> Bootstrap.bcaMeanInterval(xs, 0.95, -3, 1));
  }
}
