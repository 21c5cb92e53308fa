package dev.llmtestbench.evaluation.stats;

import static dev.llmtestbench.evaluation.stats.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConsistencyTest {

  private static final boolean T = true;
  private static final boolean F = false;

  private static List<Boolean> repeats(Boolean... outcomes) {
    return Arrays.asList(outcomes);
  }

  @Test
  void shouldCountCasesWhoseRepeatsAllAgree() {
    // All pass, mixed, all fail: 2 of 3 cases agree.
    List<List<Boolean>> cases = List.of(repeats(T, T, T), repeats(T, F, T), repeats(F, F));
    assertEquals(2.0 / 3, Consistency.score(cases));
  }

  @Test
  void shouldAverageTheShareOfAgreeingPairsPerCase() {
    // T,T,T: 3 of 3 pairs; T,F,T: only the two passes agree, 1 of 3; F,F: 1 of 1.
    // (1 + 1/3 + 1) / 3 = 7/9.
    List<List<Boolean>> cases = List.of(repeats(T, T, T), repeats(T, F, T), repeats(F, F));
    assertEquals(7.0 / 9, Consistency.meanPairwiseAgreement(cases), 1e-15);
  }

  @Test
  void shouldGivePartialCreditForOneDissentingRepeat() {
    // 9 passes and 1 failure: C(9,2) = 36 of C(10,2) = 45 pairs agree.
    List<Boolean> case1 = new ArrayList<>(Collections.nCopies(9, T));
    case1.add(F);
    assertEquals(0.0, Consistency.score(List.of(case1)));
    assertEquals(0.8, Consistency.meanPairwiseAgreement(List.of(case1)), 1e-15);
  }

  @Test
  void shouldFindNoAgreementBetweenOnePassAndOneFailure() {
    assertEquals(0.0, Consistency.meanPairwiseAgreement(List.of(repeats(T, F))));
    assertEquals(1.0 / 3, Consistency.meanPairwiseAgreement(List.of(repeats(T, F, T, F))), 1e-15);
  }

  @Test
  void shouldMatchBruteForcePairCountingAndBoundTheScore() {
    SplittableRandom random = new SplittableRandom(9);
    for (int trial = 0; trial < 300; trial++) {
      List<List<Boolean>> cases = new ArrayList<>();
      int caseCount = 1 + random.nextInt(20);
      double expected = 0;
      for (int c = 0; c < caseCount; c++) {
        List<Boolean> outcomes = new ArrayList<>();
        int k = 2 + random.nextInt(8);
        double bias = random.nextDouble();
        for (int r = 0; r < k; r++) {
          outcomes.add(random.nextDouble() < bias);
        }
        int agree = 0;
        for (int i = 0; i < k; i++) {
          for (int j = i + 1; j < k; j++) {
            if (outcomes.get(i).equals(outcomes.get(j))) {
              agree++;
            }
          }
        }
        expected += (double) agree / (k * (k - 1) / 2);
        cases.add(outcomes);
      }
      double pairwise = Consistency.meanPairwiseAgreement(cases);
      double score = Consistency.score(cases);
      assertEquals(expected / caseCount, pairwise, 1e-12);
      // All-agreeing cases score 1 in both; any other case still scores at least 0 pairwise.
      assertTrue(score >= 0 && score <= pairwise + 1e-12 && pairwise <= 1);
    }
  }

  @Test
  void shouldRejectInvalidArguments() {
    assertMessage("repeatsPerCase", () -> Consistency.score(null));
    assertMessage("repeatsPerCase", () -> Consistency.score(List.of()));
    assertMessage("repeatsPerCase[1]", () -> Consistency.score(List.of(repeats(T, T), repeats(T))));
    assertMessage(
        "repeatsPerCase[0][1]", () -> Consistency.meanPairwiseAgreement(List.of(repeats(T, null))));
    List<List<Boolean>> withNullCase = new ArrayList<>();
    withNullCase.add(null);
    assertMessage("repeatsPerCase[0]", () -> Consistency.meanPairwiseAgreement(withNullCase));
  }

  @Test
  void shouldEstimatePassAtKUnbiasedlyAsInTheHumanEvalPaper() {
    // n = 5 samples, c = 2 correct, k = 2: 1 - C(3,2)/C(5,2) = 1 - 3/10 = 0.7.
    assertEquals(0.7, Consistency.passAtK(new int[] {2}, new int[] {5}, 2), 1e-15);
    // k = 1 is c / n; k = n is "any pass".
    assertEquals(0.4, Consistency.passAtK(new int[] {2}, new int[] {5}, 1), 1e-15);
    assertEquals(1.0, Consistency.passAtK(new int[] {2}, new int[] {5}, 5));
    assertEquals(0.5, Consistency.passAtK(new int[] {0, 4}, new int[] {5, 5}, 3), 1e-15);
    // pass^2 for c = 2 of 5: C(2,2)/C(5,2) = 0.1; pass^1 is c / n.
    assertEquals(0.1, Consistency.passAllK(new int[] {2}, new int[] {5}, 2), 1e-15);
    assertEquals(0.4, Consistency.passAllK(new int[] {2}, new int[] {5}, 1), 1e-15);
    assertEquals(0.0, Consistency.passAllK(new int[] {2}, new int[] {5}, 3));
  }

  @Test
  void shouldAgreeBetweenListsAndCounts() {
    List<List<Boolean>> cases = List.of(repeats(T, T, T), repeats(T, F, T), repeats(F, F));
    int[] passes = {3, 2, 0};
    int[] sizes = {3, 3, 2};
    assertEquals(Consistency.score(cases), Consistency.score(passes, sizes));
    assertEquals(
        Consistency.meanPairwiseAgreement(cases), Consistency.meanPairwiseAgreement(passes, sizes));
    assertMessage("passes[0]", () -> Consistency.score(new int[] {4}, new int[] {3}));
    assertMessage("repeats[0]", () -> Consistency.score(new int[] {1}, new int[] {1}));
    assertMessage("k must", () -> Consistency.passAtK(new int[] {1}, new int[] {3}, 0));
    assertMessage("passes", () -> Consistency.passAtK(new int[] {1}, new int[] {3, 3}, 1));
  }
}
