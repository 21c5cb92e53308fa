package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.RunSummary;
import dev.llmtestbench.benchmark.domain.SummaryStatistics;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Computes run summaries: the database aggregates results into counts, sums and per-case arrays
 * (three queries), and {@link SummaryStatistics} adds standard errors and intervals. Memory is
 * bounded by the number of test cases, not of results: about four numbers per (target, case) and
 * one per (target, metric, case), plus one bootstrap buffer of {@code resamples} doubles.
 */
@ApplicationScoped
public class RunSummaries {

  @Inject ResultRepository results;

  @Inject
  @ConfigProperty(name = "ltb.summary.bootstrap-resamples", defaultValue = "2000")
  int resamples;

  @Inject
  @ConfigProperty(name = "ltb.summary.bootstrap-seed", defaultValue = "42")
  long seed;

  private SummaryStatistics statistics;

  @PostConstruct
  void init() {
    statistics = new SummaryStatistics(Math.max(1, resamples), seed);
  }

  /** The summary of a run's results so far. */
  public RunSummary summarize(UUID runId, int total) {
    return statistics.summarize(
        total, results.totals(runId), results.cases(runId), results.metricCases(runId));
  }

  /** The calculator, with the configured resamples and seed, for comparisons. */
  public SummaryStatistics statistics() {
    return statistics;
  }
}
