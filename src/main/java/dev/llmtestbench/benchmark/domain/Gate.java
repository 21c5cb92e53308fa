package dev.llmtestbench.benchmark.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run must reach for CI to pass it: a minimum pass rate and mean score (0–1), a maximum
 * total cost in US dollars, and per-metric minimum means (e.g. {@code {"rouge-l": 0.5}}). Null
 * fields are not checked.
 */
public record Gate(
    Double minPassRate, Double minMeanScore, Double maxCost, Map<String, Double> minMetrics) {

  public Gate {
    minMetrics = minMetrics == null ? Map.of() : Map.copyOf(minMetrics);
  }

  /** The run's verdict: whether it passed and, for every check it missed, why. */
  public record Verdict(boolean passed, List<String> reasons) {}

  /** Problems with the gate itself, as field/message pairs for a 400 answer. */
  public List<String[]> problems() {
    List<String[]> problems = new ArrayList<>();
    unit("gate.minPassRate", minPassRate, problems);
    unit("gate.minMeanScore", minMeanScore, problems);
    if (maxCost != null && !(maxCost >= 0)) {
      problems.add(new String[] {"gate.maxCost", "must be 0 or more US dollars"});
    }
    minMetrics.forEach((metric, min) -> unit("gate.minMetrics." + metric, min, problems));
    return problems;
  }

  private static void unit(String field, Double value, List<String[]> problems) {
    if (value != null && !(value >= 0 && value <= 1)) {
      problems.add(new String[] {field, "must be between 0 and 1"});
    }
  }

  /** Checks the run's overall figures and per-metric mean scores against the gate. */
  public Verdict check(RunSummary.TargetSummary overall, Map<String, Double> metricMeans) {
    List<String> reasons = new ArrayList<>();
    if (minPassRate != null) {
      double rate = overall.passRate() == null ? 0 : overall.passRate();
      if (rate < minPassRate) {
        reasons.add(String.format("pass rate %.4f is below the minimum %.4f", rate, minPassRate));
      }
    }
    if (minMeanScore != null) {
      double mean = overall.meanScore() == null ? 0 : overall.meanScore();
      if (mean < minMeanScore) {
        reasons.add(String.format("mean score %.4f is below the minimum %.4f", mean, minMeanScore));
      }
    }
    if (maxCost != null && overall.totalCost() > maxCost) {
      reasons.add(
          String.format(
              "total cost $%.6f is above the maximum $%.6f", overall.totalCost(), maxCost));
    }
    minMetrics.forEach(
        (metric, min) -> {
          Double mean = metricMeans.get(metric);
          if (mean == null) {
            reasons.add("metric '" + metric + "' was not scored in this run");
          } else if (mean < min) {
            reasons.add(
                String.format(
                    "metric '%s' mean %.4f is below the minimum %.4f", metric, mean, min));
          }
        });
    return new Verdict(reasons.isEmpty(), List.copyOf(reasons));
  }
}
