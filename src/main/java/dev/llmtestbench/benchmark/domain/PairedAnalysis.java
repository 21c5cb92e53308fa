package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.benchmark.domain.Comparisons.PassRateChange;
import dev.llmtestbench.benchmark.domain.Comparisons.ScoreChange;
import dev.llmtestbench.evaluation.stats.Interval;
import dev.llmtestbench.evaluation.stats.Means;
import dev.llmtestbench.evaluation.stats.Multiple;
import dev.llmtestbench.evaluation.stats.Paired;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics of a candidate against a baseline over matched (test case, repeat) pairs.
 *
 * <ul>
 *   <li>Pass/fail: McNemar's test on the 2×2 table ({@link Paired#mcnemar}: exact binomial below 25
 *       discordant pairs, continuity-corrected chi-square from 25), and a paired bootstrap interval
 *       of the pass-rate difference.
 *   <li>Scores (the case score and each named metric): the mean paired difference with a paired
 *       bootstrap interval ({@link Paired#bootstrapDifference}) and a paired sign-flip permutation
 *       test ({@link Paired#permutationTest}, {@value #PERMUTATION_RESAMPLES} resamples). The
 *       metrics' p-values are adjusted together by Holm's method ({@link Multiple#holmBonferroni}).
 *   <li>Verdict: {@code regressed} when fewer pairs pass in the candidate and McNemar's p-value is
 *       below alpha; {@code improved} in the other direction; else {@code no-significant-change}.
 * </ul>
 *
 * <p>Intervals have coverage 1 − alpha, so an interval that excludes 0 agrees with a test at alpha.
 * Every random draw is seeded: the same pairs always give the same answer.
 */
public final class PairedAnalysis {

  /** Sign flips of the permutation tests: p-values down to 1e-4. */
  public static final int PERMUTATION_RESAMPLES = 9_999;

  public static final String REGRESSED = "regressed";
  public static final String IMPROVED = "improved";
  public static final String NO_CHANGE = "no-significant-change";

  private final double alpha;
  private final int resamples;
  private final long seed;

  /**
   * @param alpha the significance level, strictly between 0 and 1
   * @param resamples bootstrap resamples per interval
   * @param seed the seed of every bootstrap and permutation
   */
  public PairedAnalysis(double alpha, int resamples, long seed) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be strictly between 0 and 1, was " + alpha);
    }
    this.alpha = alpha;
    this.resamples = resamples;
    this.seed = seed;
  }

  public double confidence() {
    return 1 - alpha;
  }

  /** Pass rates, their difference and McNemar's test from the 2×2 table of matched pairs. */
  public PassRateChange passRate(int bothPass, int regressions, int improvements, int bothFail) {
    int n = bothPass + regressions + improvements + bothFail;
    if (n == 0) {
      throw new IllegalArgumentException("no pairs to compare");
    }
    // Only the per-pair differences matter to the bootstrap of their mean, so the table suffices.
    double[] baseline = new double[n];
    double[] candidate = new double[n];
    int i = 0;
    for (int k = 0; k < bothPass; k++, i++) {
      baseline[i] = 1;
      candidate[i] = 1;
    }
    for (int k = 0; k < regressions; k++, i++) {
      baseline[i] = 1;
    }
    for (int k = 0; k < improvements; k++, i++) {
      candidate[i] = 1;
    }
    Interval delta = Paired.bootstrapDifference(candidate, baseline, confidence(), resamples, seed);
    int discordant = regressions + improvements;
    return new PassRateChange(
        (double) (bothPass + regressions) / n,
        (double) (bothPass + improvements) / n,
        (double) (improvements - regressions) / n,
        delta.lower(),
        delta.upper(),
        bothPass,
        regressions,
        improvements,
        bothFail,
        discordant < 25 ? "mcnemar-exact" : "mcnemar-chi-square-corrected",
        Paired.mcnemar(bothPass, regressions, improvements, bothFail));
  }

  /** The paired difference of one score (metric null for the case score), not yet adjusted. */
  public ScoreChange score(String metric, double[] baseline, double[] candidate) {
    Interval delta = Paired.bootstrapDifference(candidate, baseline, confidence(), resamples, seed);
    double p = Paired.permutationTest(candidate, baseline, PERMUTATION_RESAMPLES, seed);
    double b = Means.mean(baseline);
    double c = Means.mean(candidate);
    return new ScoreChange(
        metric,
        baseline.length,
        b,
        c,
        c - b,
        delta.lower(),
        delta.upper(),
        "paired-permutation",
        p,
        null,
        p < alpha);
  }

  /** The metrics' changes with Holm-adjusted p-values; significant means adjusted p < alpha. */
  public List<ScoreChange> holm(List<ScoreChange> metrics) {
    if (metrics.isEmpty()) {
      return List.of();
    }
    double[] adjusted =
        Multiple.holmBonferroni(metrics.stream().mapToDouble(ScoreChange::pValue).toArray());
    List<ScoreChange> out = new ArrayList<>();
    for (int i = 0; i < adjusted.length; i++) {
      ScoreChange m = metrics.get(i);
      out.add(
          new ScoreChange(
              m.metric(),
              m.pairs(),
              m.baseline(),
              m.candidate(),
              m.delta(),
              m.deltaLower(),
              m.deltaUpper(),
              m.test(),
              m.pValue(),
              adjusted[i],
              adjusted[i] < alpha));
    }
    return out;
  }

  /** The verdict from the pass/fail table: regressed, improved or no-significant-change. */
  public String verdict(PassRateChange p) {
    if (p.pValue() < alpha && p.regressions() > p.improvements()) {
      return REGRESSED;
    }
    if (p.pValue() < alpha && p.improvements() > p.regressions()) {
      return IMPROVED;
    }
    return NO_CHANGE;
  }

  /** One sentence saying why the verdict is what it is. */
  public String reason(PassRateChange p) {
    String table =
        String.format(
            "%d case(s) passed in the baseline and fail in the candidate, %d the other way;"
                + " pass rate %.4f -> %.4f (%+.4f), McNemar p = %.4g",
            p.regressions(),
            p.improvements(),
            p.baseline(),
            p.candidate(),
            p.candidate() - p.baseline(),
            p.pValue());
    return switch (verdict(p)) {
      case REGRESSED -> table + " < alpha " + alpha + ": the candidate regressed.";
      case IMPROVED -> table + " < alpha " + alpha + ": the candidate improved.";
      default -> table + " >= alpha " + alpha + ": no significant change in pass rate.";
    };
  }
}
