package dev.llmtestbench.benchmark.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.benchmark.domain.RunSummary.MetricSummary;
import dev.llmtestbench.benchmark.domain.RunSummary.RepeatConsistency;
import dev.llmtestbench.benchmark.domain.RunSummary.TargetSummary;
import dev.llmtestbench.benchmark.domain.SummaryInputs.Cases;
import dev.llmtestbench.benchmark.domain.SummaryInputs.MetricCases;
import dev.llmtestbench.benchmark.domain.SummaryInputs.Totals;
import dev.llmtestbench.evaluation.stats.Bootstrap;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryStatisticsTest {

  private static final SummaryStatistics STATS = new SummaryStatistics(2000, 42);

  private static Totals totals(String model, int results, int passed) {
    return new Totals(
        model == null ? null : "sim",
        model,
        results,
        passed,
        results - passed,
        0,
        0.625,
        10.0,
        20.0,
        30.0,
        null,
        1,
        2,
        3,
        0.5,
        0,
        0,
        2,
        40,
        0.001);
  }

  private static Cases cases(String model, double[] means, int[] repeats, int[] passes) {
    return new Cases("sim", model, means, repeats, passes, new double[means.length]);
  }

  @Test
  void shouldComputeWilsonAndStandardErrorsByHand() {
    double[] means = {1, 0.5, 0, 1};
    RunSummary s =
        STATS.summarize(
            4,
            List.of(totals(null, 4, 3), totals("a", 4, 3)),
            List.of(cases("a", means, new int[] {1, 1, 1, 1}, new int[] {1, 1, 0, 1})),
            List.of());
    TargetSummary a = s.targets().get(0);
    // Wilson 3/4 at 95%: (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n) = [0.3006,
    // 0.9544].
    assertEquals(0.30064, a.passRateLower(), 1e-5);
    assertEquals(0.95441, a.passRateUpper(), 1e-5);
    assertEquals(Math.sqrt(0.75 * 0.25 / 4), a.passRateStdErr(), 1e-15);
    // Case means 1, .5, 0, 1: squared deviations sum to .6875, s^2 = .6875/3, SE = s / 2.
    assertEquals(Math.sqrt(0.6875 / 3) / 2, a.meanScoreStdErr(), 1e-12);
    assertEquals(4, a.cases());
    assertEquals(30.0, a.latencyP99Ms());
    assertNull(a.consistency(), "single repeats have no consistency");
    assertEquals(2000, s.method().bootstrapResamples());
    assertEquals(42, s.method().bootstrapSeed());
  }

  @Test
  void shouldGiveTheSameSeededBcaIntervalEveryTime() {
    double[] means = {1, 0.5, 0, 1, 0.25, 0.75, 1, 0};
    Cases c = cases("a", means, new int[8], new int[8]);
    java.util.Arrays.fill(c.repeats(), 1);
    RunSummary first = STATS.summarize(8, List.of(totals("a", 8, 4)), List.of(c), List.of());
    RunSummary second = STATS.summarize(8, List.of(totals("a", 8, 4)), List.of(c), List.of());
    TargetSummary a = first.targets().get(0);
    assertEquals(a.meanScoreLower(), second.targets().get(0).meanScoreLower());
    assertEquals(a.meanScoreUpper(), second.targets().get(0).meanScoreUpper());
    var expected = Bootstrap.bcaMeanInterval(means, 0.95, 2000, 42);
    assertEquals(expected.lower(), a.meanScoreLower());
    assertEquals(expected.upper(), a.meanScoreUpper());
    assertTrue(a.meanScoreLower() < 0.5625 && 0.5625 < a.meanScoreUpper());
  }

  @Test
  void shouldScoreConsistencyOfRepeatsByHand() {
    // Three cases run three times: all pass, all fail, one pass of three.
    Cases c =
        new Cases(
            "sim",
            "a",
            new double[] {1, 0, 1.0 / 3},
            new int[] {3, 3, 3},
            new int[] {3, 0, 1},
            new double[] {0, 0, 0.6});
    RepeatConsistency r = SummaryStatistics.consistency(c);
    assertEquals(3, r.cases());
    assertEquals(3, r.k());
    assertEquals(2.0 / 3, r.consistentShare(), 1e-15);
    // Agreeing pairs: 3/3, 3/3 and C(2,2)=1 of 3: (1 + 1 + 1/3) / 3 = 7/9.
    assertEquals(7.0 / 9, r.pairwiseAgreement(), 1e-15);
    assertEquals(0.2, r.meanScoreStdDev(), 1e-15);
    // pass@3: a case passes if any repeat does (2 of 3); pass^3: if all do (1 of 3).
    assertEquals(2.0 / 3, r.passAtK(), 1e-15);
    assertEquals(1.0 / 3, r.passAllK(), 1e-15);
  }

  @Test
  void shouldSummarizeMetricsPerTargetAndOverall() {
    RunSummary s =
        STATS.summarize(
            4,
            List.of(totals(null, 4, 2), totals("a", 2, 1), totals("b", 2, 1)),
            List.of(),
            List.of(
                new MetricCases("sim", "a", "rouge-l", 2, 1, new double[] {0.5, 0.7}),
                new MetricCases("sim", "b", "rouge-l", 2, 2, new double[] {0.9, 0.9})));
    MetricSummary a = s.targets().get(0).metrics().get(0);
    assertEquals("rouge-l", a.metric());
    assertEquals(0.6, a.mean(), 1e-15);
    // sd of (.5, .7) is .1 sqrt(2); SE = sd / sqrt(2) = .1.
    assertEquals(0.1, a.stdErr(), 1e-12);
    assertEquals(0.5, a.passRate());
    assertTrue(a.meanLower() <= 0.6 && 0.6 <= a.meanUpper());
    MetricSummary overall = s.overall().metrics().get(0);
    assertEquals(4, overall.results());
    assertEquals(3, overall.passed());
    assertEquals(4, overall.cases());
    assertEquals(0.75, overall.mean(), 1e-15);
    MetricSummary b = s.targets().get(1).metrics().get(0);
    assertEquals(0.9, b.meanLower());
    assertEquals(0.9, b.meanUpper());
  }

  @Test
  void shouldLeaveIntervalsOutForEmptyOrSingleCaseRuns() {
    RunSummary empty = STATS.summarize(10, List.of(), List.of(), List.of());
    assertEquals(0, empty.completed());
    assertNull(empty.overall().passRate());
    assertNull(empty.overall().meanScoreLower());
    RunSummary one =
        STATS.summarize(
            1,
            List.of(totals("a", 1, 1)),
            List.of(cases("a", new double[] {1}, new int[] {1}, new int[] {1})),
            List.of());
    assertNull(one.targets().get(0).meanScoreStdErr());
    assertNull(one.targets().get(0).meanScoreLower());
  }
}
