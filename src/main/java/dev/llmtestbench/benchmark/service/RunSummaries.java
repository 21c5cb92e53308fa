package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.RunSummary;
import dev.llmtestbench.benchmark.domain.SummaryStatistics;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Computes run summaries: the database aggregates results into counts, sums and per-case arrays
 * (three queries), and {@link SummaryStatistics} adds standard errors and intervals. Memory is
 * bounded by the number of test cases, not of results: about four numbers per (target, case) and
 * one per (target, metric, case), plus one bootstrap buffer of {@code resamples} doubles.
 *
 * <p>Summaries of running runs are read far more often than they change meaningfully (every client
 * polling a run asks for one), and each costs three aggregate queries and a bootstrap. {@link
 * #live} therefore computes one at most once per {@code ltb.summary.live-max-age-ms} per run, and
 * concurrent readers of a run wait for the one computation under way rather than repeating it.
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

  @Inject
  @ConfigProperty(name = "ltb.summary.live-max-age-ms", defaultValue = "1000")
  long liveMaxAgeMs;

  @Inject
  @ConfigProperty(name = "ltb.summary.live-bootstrap-resamples", defaultValue = "200")
  int liveResamples;

  private SummaryStatistics statistics;
  private SummaryStatistics liveStatistics;
  private final Map<UUID, Live> live = new ConcurrentHashMap<>();

  /** A run's live summary and when it was computed. */
  private record Live(long computedAtNanos, CompletableFuture<RunSummary> summary) {}

  @PostConstruct
  void init() {
    statistics = new SummaryStatistics(Math.max(1, resamples), seed);
    liveStatistics = new SummaryStatistics(Math.max(1, Math.min(liveResamples, resamples)), seed);
  }

  /** The summary of a run's results so far. */
  public RunSummary summarize(UUID runId, int total) {
    return summarize(statistics, runId, total);
  }

  private RunSummary summarize(SummaryStatistics with, UUID runId, int total) {
    return with.summarize(
        total, results.totals(runId), results.cases(runId), results.metricCases(runId));
  }

  /**
   * The summary of a running run, computed at most once per {@code ltb.summary.live-max-age-ms}: it
   * may lag the results by that much. Ended runs have their stored summary instead.
   */
  public RunSummary live(UUID runId, int total) {
    if (liveMaxAgeMs <= 0) {
      return summarize(liveStatistics, runId, total);
    }
    long maxAge = liveMaxAgeMs * 1_000_000L;
    while (true) {
      long now = System.nanoTime();
      Live current = live.get(runId);
      if (current != null && now - current.computedAtNanos() < maxAge) {
        try {
          return current.summary().join();
        } catch (CompletionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
      if (live.size() > 1024) {
        live.values().removeIf(l -> now - l.computedAtNanos() >= maxAge);
      }
      Live mine = new Live(now, new CompletableFuture<>());
      boolean won =
          current == null
              ? live.putIfAbsent(runId, mine) == null
              : live.replace(runId, current, mine);
      if (!won) {
        continue; // another reader is computing it: wait for theirs
      }
      try {
        RunSummary summary = summarize(liveStatistics, runId, total);
        mine.summary().complete(summary);
        return summary;
      } catch (RuntimeException e) {
        live.remove(runId, mine);
        mine.summary().completeExceptionally(e);
        throw e;
      }
    }
  }

  /** Forgets a run's live summary (its stored one takes over when it ends). */
  public void forget(UUID runId) {
    live.remove(runId);
  }

  /** The calculator, with the configured resamples and seed, for comparisons. */
  public SummaryStatistics statistics() {
    return statistics;
  }
}
