package dev.llmtestbench.evaluation.stats;

import static dev.llmtestbench.evaluation.stats.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedTest {

  private static void assertRelative(double expected, double actual, double tolerance) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), () -> "expected " + expected);
  }

  // McNemar

  @Test
  void shouldComputeTheExactMcNemarPValueByHand() {
    // b = 1, c = 9: P(X <= 1) for X ~ Bin(10, 1/2) is (C(10,0) + C(10,1)) / 2^10 = 11/1024;
    // two-sided, 22/1024 = 0.021484375 (a dyadic fraction, so exact in double).
    assertEquals(22.0 / 1024, Paired.mcnemar(50, 1, 9, 40));
    assertEquals(22.0 / 1024, Paired.mcnemar(50, 9, 1, 40));
    // b = 0, c = 5: 2 / 2^5.
    assertEquals(0.0625, Paired.mcnemar(0, 0, 5, 0));
    // The largest exact case, 24 discordant pairs, b = 5: C(24, 0..5) = 1, 24, 276, 2024,
    // 10626, 42504 sum to 55455, so p = 2 * 55455 / 2^24.
    assertEquals(110910.0 / (1 << 24), Paired.mcnemar(0, 5, 19, 0));
  }

  @Test
  void shouldMatchAgrestisPresidentialApprovalExample() {
    // Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), Table 8.1: approval
    // of the President in two surveys of the same 1,600 people, 794 approve-approve, 150
    // approve-disapprove, 86 disapprove-approve, 570 disapprove-disapprove. R's
    // mcnemar.test(matrix(c(794, 86, 150, 570), 2)) (its help page example) prints
    // "McNemar's chi-squared = 16.818, df = 1, p-value = 4.115e-05": (|150 - 86| - 1)^2 / 236.
    double p = Paired.mcnemar(794, 150, 86, 570);
    assertEquals(4.115e-05, p, 0.0005e-05);
    // erfc(sqrt(3969 / 236 / 2)) in mpmath at 50 digits.
    assertRelative(4.1145622813459456e-05, p, 1e-14);
  }

  @Test
  void shouldSwitchToTheCorrectedChiSquareAtTwentyFiveDiscordantPairs() {
    // b = 5, c = 20: (15 - 1)^2 / 25 = 7.84, P(chi2_1 > 7.84) = 0.005110260660855866 (mpmath).
    // The exact test would give 2 * 68406 / 2^25 = 0.00408; the approximation is conservative.
    assertRelative(0.005110260660855866, Paired.mcnemar(0, 5, 20, 0), 1e-14);
    assertEquals(25, Paired.MCNEMAR_EXACT_BELOW);
  }

  @Test
  void shouldIgnoreConcordantPairs() {
    for (int concordant = 0; concordant < 1000; concordant += 97) {
      assertEquals(Paired.mcnemar(0, 3, 11, 0), Paired.mcnemar(concordant, 3, 11, 2 * concordant));
      assertEquals(Paired.mcnemar(0, 30, 11, 0), Paired.mcnemar(concordant, 30, 11, concordant));
    }
  }

  @Test
  void shouldReturnOneWithoutEvidence() {
    assertEquals(1.0, Paired.mcnemar(10, 0, 0, 10));
    assertEquals(1.0, Paired.mcnemar(10, 7, 7, 10));
    // Where R's uncorrected-for-sign (|b - c| - 1)^2 would still give 0.025 and p = 0.87.
    assertEquals(1.0, Paired.mcnemar(10, 20, 20, 10));
    assertEquals(1.0, Paired.mcnemar(10, 20, 21, 10));
  }

  @Test
  void shouldBeSymmetricBoundedAndMonotoneInTheImbalance() {
    for (int total = 1; total <= 80; total++) {
      double previous = 1;
      for (int b = total / 2; b >= 0; b--) {
        double p = Paired.mcnemar(0, b, total - b, 0);
        assertEquals(p, Paired.mcnemar(0, total - b, b, 0));
        assertTrue(p > 0 && p <= 1);
        // The more lopsided the discordant pairs, the smaller p.
        assertTrue(p <= previous, "not monotone at total " + total);
        previous = p;
      }
    }
  }

  // Sign test

  @Test
  void shouldComputeTheSignTestByHandDroppingTies() {
    // 8 cases where A wins, 2 where B wins, 2 ties: n = 10, k = 2,
    // 2 (C(10,0) + C(10,1) + C(10,2)) / 2^10 = 2 * 56 / 1024 = 0.109375.
    double[] a = {0.9, 0.8, 1, 1, 0.7, 0.6, 0.9, 0.5, 0.2, 0.1, 0.5, 0.5};
    double[] b = {0.1, 0.2, 0, 0, 0.3, 0.4, 0.5, 0.4, 0.9, 0.8, 0.5, 0.5};
    assertEquals(0.109375, Paired.signTest(a, b));
    assertEquals(0.109375, Paired.signTest(b, a));
    assertEquals(0.109375, Paired.signTest(8, 2));
  }

  @Test
  void shouldReturnOneWhenEveryCaseTies() {
    assertEquals(1.0, Paired.signTest(new double[] {1, 2}, new double[] {1, 2}));
    assertEquals(1.0, Paired.signTest(0, 0));
  }

  @Test
  void shouldMatchExactIntegerSumsForLargeSamples() {
    // 2 sum_{i<=k} C(n, i) / 2^n with Python's arbitrary-precision integers, rounded to double.
    assertRelative(0.04658552770494739, Paired.signTest(4900, 5100), 1e-14);
    assertRelative(0.0015823598788515956, Paired.signTest(49500, 50500), 1e-14);
    assertRelative(0.5291572940801932, Paired.signTest(49900, 50100), 1e-14);
    assertRelative(0.04560829986538208, Paired.signTest(499000, 501000), 1e-14);
    assertRelative(8.600341645714696e-220, Paired.signTest(45000, 55000), 1e-12);
    // Within the exact range the result is the correctly rounded sum.
    assertEquals(0.0017305360849763176, Paired.signTest(450, 550));
  }

  @Test
  void shouldAgreeBetweenTheExactAndTheFloatingPointBinomialSums() {
    for (int n = 2; n <= Paired.EXACT_BINOMIAL_LIMIT; n = n * 3 / 2 + 1) {
      for (int k = 0; 2 * k < n; k += Math.max(1, n / 40)) {
        double exact = Paired.exactTwoSided(k, n);
        double approximate = Paired.approximateTwoSided(k, n);
        if (exact > 1e-300) {
          assertRelative(exact, approximate, 1e-12);
        }
      }
    }
  }

  // Permutation test

  @Test
  void shouldReturnOneWhenAllDifferencesAreZero() {
    double[] a = {0.5, 1, 0};
    assertEquals(1.0, Paired.permutationTest(a, a.clone(), 999, 1));
  }

  @Test
  void shouldApproachTheExactPermutationPValue() {
    // All five differences positive: only all-plus and all-minus reach |sum| = 15, p = 2/32.
    // One standard error with 99,999 resamples is 0.00077; allow four.
    double[] a = {1, 2, 3, 4, 5};
    double[] b = {0, 0, 0, 0, 0};
    assertEquals(0.0625, Paired.permutationTest(a, b, 99_999, 7), 4 * 0.00077);
  }

  @Test
  void shouldNeverReturnZero() {
    // 30 positive differences: the exact p is 2^-29, far below what 9,999 resamples can see, so
    // none reaches the observed sum and the +1 correction gives 1 / 10,000.
    double[] a = new double[30];
    double[] b = new double[30];
    for (int i = 0; i < 30; i++) {
      a[i] = 1 + i;
    }
    assertEquals(1.0 / 10_000, Paired.permutationTest(a, b, 9_999, 3));
  }

  @Test
  void shouldTreatMathematicallyEqualSumsAsTies() {
    // d = {0.2, 0.4, 0.5, -0.6}, observed sum 0.5. Exactly, 12 of the 16 sign patterns reach
    // |sum| >= 0.5, so p = 0.75. In floating point the observed sum is 0.5000000000000001, but
    // the two tying patterns +0.2 +0.4 -0.5 +0.6 and its mirror give -+0.4999999999999999;
    // counted strictly, p would be 0.625.
    double[] a = {0.2, 0.4, 0.5, -0.6};
    double[] b = {0, 0, 0, 0};
    assertEquals(0.75, Paired.permutationTest(a, b, 99_999, 5), 0.01);
  }

  @Test
  void shouldMatchExhaustiveEnumerationOnSmallSamples() {
    SplittableRandom random = new SplittableRandom(12);
    for (int trial = 0; trial < 10; trial++) {
      int n = 12;
      double[] a = new double[n];
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(0, 11) / 10.0;
        b[i] = random.nextInt(0, 11) / 10.0;
      }
      double[] d = new double[n];
      double observed = 0;
      for (int i = 0; i < n; i++) {
        d[i] = a[i] - b[i];
        observed += d[i];
      }
      int extreme = 0;
      for (int mask = 0; mask < 1 << n; mask++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += (mask >> i & 1) == 0 ? d[i] : -d[i];
        }
        if (Math.abs(sum) >= Math.abs(observed) - 1e-9) {
          extreme++;
        }
      }
      double exact = extreme / (double) (1 << n);
      double estimate = Paired.permutationTest(a, b, 49_999, trial);
      double standardError = Math.sqrt(exact * (1 - exact) / 50_000);
      assertEquals(exact, estimate, 4 * standardError + 1e-4, "trial " + trial);
    }
  }

  @Test
  void shouldGiveTheSamePValueWhenRunsSwapAndStayInRange() {
    SplittableRandom random = new SplittableRandom(13);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(40);
      double[] a = new double[n];
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = random.nextDouble();
        b[i] = random.nextDouble() < 0.3 ? a[i] : random.nextDouble();
      }
      int resamples = 1 + random.nextInt(500);
      double p = Paired.permutationTest(a, b, resamples, trial);
      assertEquals(p, Paired.permutationTest(b, a, resamples, trial));
      assertTrue(p >= 1.0 / (resamples + 1) && p <= 1);
      double sign = Paired.signTest(a, b);
      assertEquals(sign, Paired.signTest(b, a));
      assertTrue(sign > 0 && sign <= 1);
    }
  }

  @Test
  void shouldRejectAtTheNominalRateUnderTheNullHypothesis() {
    // 2,000 pairs of runs that differ only by noise symmetric around 0: about 5% of p-values
    // fall at or below 0.05 (one standard error 0.0049; allow three).
    SplittableRandom random = new SplittableRandom(2024);
    int rejections = 0;
    for (int trial = 0; trial < 2000; trial++) {
      double[] a = new double[30];
      double[] b = new double[30];
      for (int i = 0; i < 30; i++) {
        double base = random.nextDouble();
        a[i] = base + random.nextGaussian();
        b[i] = base + random.nextGaussian();
      }
      if (Paired.permutationTest(a, b, 999, trial) <= 0.05) {
        rejections++;
      }
    }
    assertEquals(0.05, rejections / 2000.0, 0.015);
  }

  // Bootstrap of the difference

  @Test
  void shouldBootstrapTheMeanOfTheDifferences() {
    double[] a = {0.9, 0.4, 0.7, 1.0, 0.3, 0.8, 0.6};
    double[] b = {0.5, 0.4, 0.2, 0.9, 0.1, 0.8, 0.7};
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    assertEquals(
        Bootstrap.meanInterval(d, 0.9, 5000, 77), Paired.bootstrapDifference(a, b, 0.9, 5000, 77));
  }

  @Test
  void shouldNegateTheIntervalWhenRunsSwap() {
    SplittableRandom random = new SplittableRandom(31);
    for (int trial = 0; trial < 50; trial++) {
      double[] a = new double[20];
      double[] b = new double[20];
      for (int i = 0; i < 20; i++) {
        a[i] = random.nextDouble();
        b[i] = random.nextDouble();
      }
      Interval ab = Paired.bootstrapDifference(a, b, 0.95, 1000, trial);
      Interval ba = Paired.bootstrapDifference(b, a, 0.95, 1000, trial);
      assertEquals(-ab.upper(), ba.lower(), 1e-12);
      assertEquals(-ab.lower(), ba.upper(), 1e-12);
    }
  }

  @Test
  void shouldCollapseWhenEveryCaseImprovesEqually() {
    double[] b = {0, 1, 2, 3};
    double[] a = {1, 2, 3, 4};
    assertEquals(new Interval(1, 1), Paired.bootstrapDifference(a, b, 0.95, 100, 1));
  }

  @Test
  void shouldRejectInvalidArguments() {
    double[] two = {1, 2};
    assertMessage("bothPass", () -> Paired.mcnemar(-1, 0, 0, 0));
    assertMessage("onlyA", () -> Paired.mcnemar(0, -1, 0, 0));
    assertMessage("onlyB", () -> Paired.mcnemar(0, 0, -1, 0));
    assertMessage("bothFail", () -> Paired.mcnemar(0, 0, 0, -1));
    assertMessage("aWins", () -> Paired.signTest(-1, 0));
    assertMessage("bWins", () -> Paired.signTest(0, -1));
    assertMessage("aWins + bWins", () -> Paired.signTest(Integer.MAX_VALUE, 1));
    assertMessage("a and b", () -> Paired.signTest(two, new double[] {1}));
    assertMessage("a", () -> Paired.signTest(new double[0], new double[0]));
    assertMessage("b[1]", () -> Paired.permutationTest(two, new double[] {1, Double.NaN}, 9, 1));
    assertMessage("resamples", () -> Paired.permutationTest(two, two, 0, 1));
    assertMessage(
        "a[0] - b[0]",
        () -> Paired.permutationTest(new double[] {1e308}, new double[] {-1e308}, 9, 1));
    assertMessage("confidence", () -> Paired.bootstrapDifference(two, two, 2, 100, 1));
    assertMessage("b", () -> Paired.bootstrapDifference(two, null, 0.95, 100, 1));
  }
}
