package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.benchmark.domain.RunSummary.MetricSummary;
import dev.llmtestbench.benchmark.domain.RunSummary.RepeatConsistency;
import dev.llmtestbench.benchmark.domain.RunSummary.TargetSummary;
import dev.llmtestbench.benchmark.domain.SummaryInputs.Cases;
import dev.llmtestbench.benchmark.domain.SummaryInputs.MetricCases;
import dev.llmtestbench.benchmark.domain.SummaryInputs.Totals;
import dev.llmtestbench.evaluation.stats.Bootstrap;
import dev.llmtestbench.evaluation.stats.Consistency;
import dev.llmtestbench.evaluation.stats.Interval;
import dev.llmtestbench.evaluation.stats.Means;
import dev.llmtestbench.evaluation.stats.Proportions;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a run's aggregates into its summary with honest uncertainty.
 *
 * <p>Pass rates get a Wilson interval over results and the binomial standard error {@code sqrt(p (1
 * - p) / n)}. Mean scores are estimated over test cases, not results: a case's repeats are averaged
 * first, because repeats of one case are not independent draws. The standard error is then the
 * sample standard deviation of the case means over the square root of their number, and the
 * interval a BCa bootstrap ({@link Bootstrap#bcaMeanInterval}) over the case means with a fixed
 * seed, so the same results always give the same summary. The whole-run figures treat each
 * (provider/model, case) pair as one case. Cases run at least twice also get a consistency score.
 */
public final class SummaryStatistics {

  /** The coverage of every interval in a summary. */
  public static final double CONFIDENCE = 0.95;

  private final int resamples;
  private final long seed;

  /**
   * @param resamples bootstrap resamples per interval, at least 1 (2,000 or more for BCa)
   * @param seed the bootstrap seed
   */
  public SummaryStatistics(int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be at least 1, was " + resamples);
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  /** How this calculator computes intervals, as recorded in each summary. */
  public RunSummary.Method method() {
    return new RunSummary.Method(CONFIDENCE, "wilson", "bca-bootstrap-over-cases", resamples, seed);
  }

  /**
   * Builds the summary.
   *
   * @param total the run's planned items
   * @param totals one row per provider/model and one with a null provider for the whole run
   * @param cases per provider/model, its per-case figures
   * @param metrics per provider/model and metric, its per-case figures
   */
  public RunSummary summarize(
      int total, List<Totals> totals, List<Cases> cases, List<MetricCases> metrics) {
    computed.set(new IdentityHashMap<>());
    try {
      return summarizeOnce(total, totals, cases, metrics);
    } finally {
      computed.remove();
    }
  }

  private RunSummary summarizeOnce(
      int total, List<Totals> totals, List<Cases> cases, List<MetricCases> metrics) {
    Totals whole =
        totals.stream()
            .filter(t -> t.provider() == null)
            .findFirst()
            .orElse(
                new Totals(
                    null, null, 0, 0, 0, 0, null, null, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0,
                    0));
    List<TargetSummary> targets = new ArrayList<>();
    for (Totals t : totals) {
      if (t.provider() == null) {
        continue;
      }
      Cases c =
          cases.stream()
              .filter(x -> sameTarget(x.provider(), x.model(), t))
              .findFirst()
              .orElse(null);
      List<MetricCases> m =
          metrics.stream().filter(x -> sameTarget(x.provider(), x.model(), t)).toList();
      targets.add(target(t, c, m));
    }
    TargetSummary overall = target(whole, concat(cases), combineByMetric(metrics));
    return new RunSummary(total, whole.results(), overall, targets, null, method());
  }

  private static boolean sameTarget(String provider, String model, Totals t) {
    return Objects.equals(provider, t.provider()) && Objects.equals(model, t.model());
  }

  TargetSummary target(Totals t, Cases c, List<MetricCases> metrics) {
    Interval wilson =
        t.results() == 0 ? null : Proportions.wilson(t.passed(), t.results(), CONFIDENCE);
    Double passRate = t.results() == 0 ? null : (double) t.passed() / t.results();
    int caseCount = c == null ? 0 : c.meanScores().length;
    Double stdErr = caseCount < 2 ? null : Means.standardError(c.meanScores());
    Interval meanInterval = caseCount < 2 ? null : meanInterval(c.meanScores());
    return new TargetSummary(
        t.provider(),
        t.model(),
        t.results(),
        t.passed(),
        t.failed(),
        t.errors(),
        passRate,
        t.meanScore(),
        t.latencyP50Ms(),
        t.latencyP95Ms(),
        t.promptTokens(),
        t.completionTokens(),
        t.totalTokens(),
        t.totalCost(),
        t.timeToFirstTokenP50Ms(),
        t.retries(),
        t.cacheHits(),
        wilson == null ? null : wilson.lower(),
        wilson == null ? null : wilson.upper(),
        stdErr,
        meanInterval == null ? null : meanInterval.lower(),
        meanInterval == null ? null : meanInterval.upper(),
        t.latencyP99Ms(),
        passRate == null ? null : proportionStdErr(t.passed(), t.results()),
        c == null ? null : caseCount,
        metrics.stream().map(this::metric).toList(),
        c == null ? null : consistency(c),
        t.gradingCalls(),
        t.gradingTokens(),
        t.gradingCost());
  }

  /** The figures of one metric. */
  MetricSummary metric(MetricCases m) {
    Interval wilson = Proportions.wilson(m.passed(), m.results(), CONFIDENCE);
    double[] means = m.caseMeans();
    boolean spread = means.length >= 2;
    Interval interval = spread ? meanInterval(means) : null;
    return new MetricSummary(
        m.metric(),
        m.results(),
        means.length,
        m.passed(),
        m.results() == 0 ? 0 : (double) m.passed() / m.results(),
        proportionStdErr(m.passed(), m.results()),
        wilson.lower(),
        wilson.upper(),
        means.length == 0 ? 0 : Means.mean(means),
        spread ? Means.standardError(means) : null,
        spread ? interval.lower() : null,
        spread ? interval.upper() : null);
  }

  /** The consistency of the cases run at least twice, or null when there are none. */
  static RepeatConsistency consistency(Cases c) {
    int repeated = 0;
    int k = Integer.MAX_VALUE;
    for (int r : c.repeats()) {
      if (r >= 2) {
        repeated++;
        k = Math.min(k, r);
      }
    }
    if (repeated == 0) {
      return null;
    }
    int[] passes = new int[repeated];
    int[] repeats = new int[repeated];
    double sdSum = 0;
    for (int i = 0, j = 0; i < c.repeats().length; i++) {
      if (c.repeats()[i] >= 2) {
        passes[j] = c.passes()[i];
        repeats[j] = c.repeats()[i];
        sdSum += c.scoreStdDevs()[i];
        j++;
      }
    }
    return new RepeatConsistency(
        repeated,
        k,
        Consistency.score(passes, repeats),
        Consistency.meanPairwiseAgreement(passes, repeats),
        sdSum / repeated,
        Consistency.passAtK(passes, repeats, k),
        Consistency.passAllK(passes, repeats, k));
  }

  /** The BCa bootstrap interval of a mean, with this calculator's resamples and seed. */
  public Interval meanInterval(double[] xs) {
    Map<double[], Interval> memo = computed.get();
    if (memo == null) {
      return Bootstrap.bcaMeanInterval(xs, CONFIDENCE, resamples, seed);
    }
    return memo.computeIfAbsent(xs, v -> Bootstrap.bcaMeanInterval(v, CONFIDENCE, resamples, seed));
  }

  /**
   * Intervals computed during one {@link #summarize} call, by array identity: a run with one target
   * has the same arrays for that target and for the whole run, and the bootstrap costs about 5 ns
   * per resample and case, so this halves the work of the common case.
   */
  private final ThreadLocal<Map<double[], Interval>> computed = new ThreadLocal<>();

  static double proportionStdErr(int successes, int n) {
    if (n == 0) {
      return 0;
    }
    double p = (double) successes / n;
    return Math.sqrt(p * (1 - p) / n);
  }

  /** All targets' cases as one list, each (target, case) pair one case. */
  private static Cases concat(List<Cases> cases) {
    if (cases.isEmpty()) {
      return null;
    }
    if (cases.size() == 1) {
      return cases.get(0); // The same arrays, so the interval is computed once (see meanInterval).
    }
    int n = cases.stream().mapToInt(c -> c.meanScores().length).sum();
    double[] means = new double[n];
    int[] repeats = new int[n];
    int[] passes = new int[n];
    double[] sds = new double[n];
    int at = 0;
    for (Cases c : cases) {
      int len = c.meanScores().length;
      System.arraycopy(c.meanScores(), 0, means, at, len);
      System.arraycopy(c.repeats(), 0, repeats, at, len);
      System.arraycopy(c.passes(), 0, passes, at, len);
      System.arraycopy(c.scoreStdDevs(), 0, sds, at, len);
      at += len;
    }
    return new Cases(null, null, means, repeats, passes, sds);
  }

  /** Each metric over all targets, in metric name order. */
  private static List<MetricCases> combineByMetric(List<MetricCases> metrics) {
    Map<String, List<MetricCases>> byMetric = new TreeMap<>();
    for (MetricCases m : metrics) {
      byMetric.computeIfAbsent(m.metric(), k -> new ArrayList<>()).add(m);
    }
    Map<String, MetricCases> combined = new LinkedHashMap<>();
    byMetric.forEach(
        (metric, parts) -> {
          if (parts.size() == 1) {
            combined.put(metric, parts.get(0));
            return;
          }
          int results = 0;
          int passed = 0;
          int n = 0;
          for (MetricCases p : parts) {
            results += p.results();
            passed += p.passed();
            n += p.caseMeans().length;
          }
          double[] means = new double[n];
          int at = 0;
          for (MetricCases p : parts) {
            System.arraycopy(p.caseMeans(), 0, means, at, p.caseMeans().length);
            at += p.caseMeans().length;
          }
          combined.put(metric, new MetricCases(null, null, metric, results, passed, means));
        });
    return List.copyOf(combined.values());
  }
}
