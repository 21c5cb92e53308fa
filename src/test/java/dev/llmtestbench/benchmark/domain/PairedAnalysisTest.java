package dev.llmtestbench.benchmark.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.benchmark.domain.Comparisons.PassRateChange;
import dev.llmtestbench.benchmark.domain.Comparisons.ScoreChange;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedAnalysisTest {

  private static final PairedAnalysis AT_5 = new PairedAnalysis(0.05, 2000, 42);

  @Test
  void shouldFlagARegressionWithTheExactMcNemarTest() {
    // 9 cases passed only in the baseline, 1 only in the candidate: the exact McNemar p-value is
    // 2 (C(10,0) + C(10,1)) / 2^10 = 22/1024 = 0.0215 (statsmodels mcnemar(exact=True) gives the
    // same binomial tail).
    PassRateChange p = AT_5.passRate(50, 9, 1, 40);
    assertEquals(22.0 / 1024, p.pValue());
    assertEquals("mcnemar-exact", p.test());
    assertEquals(0.59, p.baseline(), 1e-15);
    assertEquals(0.51, p.candidate(), 1e-15);
    assertEquals(-0.08, p.delta(), 1e-15);
    assertTrue(
        p.deltaLower() < -0.08 && -0.08 < p.deltaUpper() && p.deltaUpper() < 0, p.toString());
    assertEquals(PairedAnalysis.REGRESSED, AT_5.verdict(p));
    assertTrue(AT_5.reason(p).contains("regressed"));
    // At alpha 0.01 the same table is not significant.
    PairedAnalysis at1 = new PairedAnalysis(0.01, 2000, 42);
    assertEquals(PairedAnalysis.NO_CHANGE, at1.verdict(at1.passRate(50, 9, 1, 40)));
    // The other way round it is an improvement with the same p-value.
    PassRateChange reverse = AT_5.passRate(50, 1, 9, 40);
    assertEquals(p.pValue(), reverse.pValue());
    assertEquals(PairedAnalysis.IMPROVED, AT_5.verdict(reverse));
    assertEquals(0.08, reverse.delta(), 1e-15);
  }

  @Test
  void shouldUseTheCorrectedChiSquareFromTwentyFiveDiscordantPairs() {
    // Agresti's presidential approval table (794, 150, 86, 570): (|150 - 86| - 1)^2 / 236 =
    // 16.818, p = 4.115e-5 as R's mcnemar.test prints.
    PassRateChange p = AT_5.passRate(794, 150, 86, 570);
    assertEquals("mcnemar-chi-square-corrected", p.test());
    assertEquals(4.115e-5, p.pValue(), 0.001e-5);
    assertEquals(PairedAnalysis.REGRESSED, AT_5.verdict(p));
  }

  @Test
  void shouldTestPairedScoresAndPointTheWayOfTheChange() {
    double[] baseline = {1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0.5};
    double[] candidate = {0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.5};
    ScoreChange s = AT_5.score(null, baseline, candidate);
    assertEquals(0.9, s.baseline(), 1e-15);
    assertEquals(0.1, s.candidate(), 1e-15);
    assertEquals(-0.8, s.delta(), 1e-15);
    // Exact sign-flip p-value: 2 of 2^8 patterns reach |sum| = 8: 1/128 = 0.0078.
    assertEquals(1.0 / 128, s.pValue(), 0.004);
    assertTrue(s.deltaUpper() < 0);
    ScoreChange same = AT_5.score("m", baseline, baseline);
    assertEquals(1.0, same.pValue());
    assertFalse(same.significant());
  }

  @Test
  void shouldAdjustMetricPValuesByHolm() {
    ScoreChange a = new ScoreChange("a", 10, 0, 0, 0, 0, 0, "t", 0.01, null, true);
    ScoreChange b = new ScoreChange("b", 10, 0, 0, 0, 0, 0, "t", 0.04, null, true);
    List<ScoreChange> adjusted = AT_5.holm(List.of(a, b));
    // Sorted p: 0.01 x 2 = 0.02, then max(0.02, 0.04 x 1) = 0.04.
    assertEquals(0.02, adjusted.get(0).pValueHolm(), 1e-15);
    assertEquals(0.04, adjusted.get(1).pValueHolm(), 1e-15);
    assertTrue(adjusted.get(1).significant());
    ScoreChange c = new ScoreChange("c", 10, 0, 0, 0, 0, 0, "t", 0.03, null, true);
    List<ScoreChange> notBoth = AT_5.holm(List.of(b, c));
    // 0.03 x 2 = 0.06 >= 0.05: neither survives, though each alone would.
    assertFalse(notBoth.get(0).significant());
    assertFalse(notBoth.get(1).significant());
    assertEquals(0.06, notBoth.get(1).pValueHolm(), 1e-15);
  }

  @Test
  void shouldRejectAnAlphaOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> new PairedAnalysis(0, 100, 1));
    assertThrows(IllegalArgumentException.class, () -> new PairedAnalysis(1, 100, 1));
  }
}
