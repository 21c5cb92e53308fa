package dev.llmtestbench.evaluation.stats;

import static dev.llmtestbench.evaluation.stats.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultipleTest {

  @Test
  void shouldAdjustByHand() {
    // Sorted: 0.005 x 4 = 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04, raised to
    // 0.06 to keep the order. Returned in the input order.
    double[] adjusted = Multiple.holmBonferroni(new double[] {0.01, 0.04, 0.03, 0.005});
    assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, adjusted, 1e-15);
  }

  @Test
  void shouldMatchHolmsStepDownRejections() {
    // Holm (1979): reject p(1..i) while p(i) <= alpha / (m - i + 1). With alpha = 0.05 and m = 5,
    // 0.001 <= 0.01 and 0.011 <= 0.0125 are rejected; 0.02 > 0.05/3 stops the procedure, so
    // 0.03 and 0.04 (each below 0.05) are not, unlike unadjusted testing.
    double[] p = {0.04, 0.001, 0.03, 0.011, 0.02};
    double[] adjusted = Multiple.holmBonferroni(p);
    boolean[] rejected = new boolean[p.length];
    for (int i = 0; i < p.length; i++) {
      rejected[i] = adjusted[i] <= 0.05;
    }
    assertArrayEquals(new boolean[] {false, true, false, true, false}, rejected);
    assertEquals(0.005, adjusted[1], 1e-15);
    assertEquals(0.044, adjusted[3], 1e-15);
    assertEquals(0.06, adjusted[4], 1e-15);
  }

  @Test
  void shouldCapAtOneAndKeepTies() {
    assertArrayEquals(
        new double[] {1, 1, 0.6}, Multiple.holmBonferroni(new double[] {0.5, 0.9, 0.2}), 1e-15);
    assertArrayEquals(
        new double[] {0.09, 0.09, 0.09},
        Multiple.holmBonferroni(new double[] {0.03, 0.03, 0.03}),
        1e-15);
  }

  @Test
  void shouldLeaveASingleValueAndAnEmptyArrayAlone() {
    assertArrayEquals(new double[] {0.037}, Multiple.holmBonferroni(new double[] {0.037}));
    assertArrayEquals(new double[0], Multiple.holmBonferroni(new double[0]));
  }

  @Test
  void shouldLieBetweenTheRawValueAndBonferroniAndKeepTheOrder() {
    SplittableRandom random = new SplittableRandom(5);
    for (int trial = 0; trial < 500; trial++) {
      double[] p = new double[1 + random.nextInt(30)];
      for (int i = 0; i < p.length; i++) {
        p[i] = random.nextDouble() * random.nextDouble();
      }
      double[] original = p.clone();
      double[] adjusted = Multiple.holmBonferroni(p);
      assertArrayEquals(original, p, "input modified");
      for (int i = 0; i < p.length; i++) {
        assertTrue(adjusted[i] >= p[i] && adjusted[i] <= 1);
        assertTrue(adjusted[i] <= Math.min(1, p.length * p[i]));
        for (int j = 0; j < p.length; j++) {
          if (p[i] < p[j]) {
            assertTrue(adjusted[i] <= adjusted[j]);
          }
        }
      }
      // Order does not matter: permuting the input permutes the output.
      double[] reversed = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        reversed[i] = p[p.length - 1 - i];
      }
      double[] adjustedReversed = Multiple.holmBonferroni(reversed);
      for (int i = 0; i < p.length; i++) {
        assertEquals(adjusted[i], adjustedReversed[p.length - 1 - i]);
      }
    }
  }

  @Test
  void shouldRejectInvalidArguments() {
    assertMessage("pValues", () -> Multiple.holmBonferroni(null));
    assertMessage("pValues[1]", () -> Multiple.holmBonferroni(new double[] {0.1, 1.2}));
    assertMessage("pValues[0]", () -> Multiple.holmBonferroni(new double[] {Double.NaN}));
  }
}
