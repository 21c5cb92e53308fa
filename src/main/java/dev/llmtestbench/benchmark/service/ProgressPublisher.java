package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.CallDetails;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.service.Alerts;
import dev.llmtestbench.monitoring.service.BenchmarkMetrics;
import dev.llmtestbench.monitoring.service.EventBus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Announces committed results: one {@code test.completed} per result, then one {@code
 * benchmark.progress} whose count comes from the database, so it is right across partitions.
 */
@ApplicationScoped
public class ProgressPublisher {

  @Inject EventBus bus;
  @Inject ResultRepository results;
  @Inject BenchmarkMetrics metrics;
  @Inject Alerts alerts;

  private static final Logger LOG = Logger.getLogger(ProgressPublisher.class.getName());

  private final Map<UUID, RunStats> locks = new ConcurrentHashMap<>();

  /** The last commit of each run whose progress is to be published: its total and last test. */
  private record Pending(int total, String lastTest) {}

  private final Map<UUID, Pending> counts = new ConcurrentHashMap<>();
  private final Set<UUID> queued = ConcurrentHashMap.newKeySet();

  /** One thread, so that a run's progress events (and its end) are published in order. */
  private final ExecutorService lane =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "ltb-progress");
            t.setDaemon(true);
            return t;
          });

  /** What this server wrote for a run so far, for {@code metrics.benchmark} and alerts. */
  static final class RunStats {
    final long startNanos = System.nanoTime();
    long results;
    long passed;
    long errors;
    double latencyMs;
    double cost;
    boolean errorAlerted;
  }

  public void committed(UUID runId, int total, List<ResultRecord> written) {
    for (ResultRecord r : written) {
      CallDetails d = r.call();
      if (d.cacheStats() != null) {
        metrics.cache(d.cacheHit());
      }
      metrics.testCompleted(r.status(), r.durationMs());
      // An answer from the cache is no provider call: its figures would count a call twice.
      if (!d.cacheHit()) {
        metrics.providerCall(
            r.provider(),
            r.model(),
            r.durationMs(),
            r.errorType(),
            r.promptTokens(),
            r.completionTokens());
      }
      if (d.totalCost() != null && d.totalCost() > 0) {
        metrics.providerCost(r.provider(), r.model(), d.totalCost());
      }
    }
    // Partitions commit concurrently; counting and publishing under one lock keeps the
    // progress a client sees monotonic.
    RunStats stats = locks.computeIfAbsent(runId, k -> new RunStats());
    synchronized (stats) {
      for (ResultRecord r : written) {
        stats.results++;
        if (r.passed()) {
          stats.passed++;
        }
        if (r.errorType() != null) {
          stats.errors++;
        }
        stats.latencyMs += r.durationMs();
        if (r.call().totalCost() != null) {
          stats.cost += r.call().totalCost();
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("event", "TestCompleted");
        p.put("session_id", runId.toString());
        p.put("test_id", r.testId());
        p.put("item_key", r.itemKey());
        p.put("provider", r.provider());
        p.put("model", r.model());
        p.put("status", r.status());
        p.put("passed", r.passed());
        p.put("score", r.score());
        p.put("duration_ms", r.durationMs());
        p.put("attempts", r.call().attempts());
        p.put("cost", r.call().totalCost());
        p.put("cache_hit", r.call().cacheHit());
        bus.publish(RealtimeEvent.of(RealtimeEvent.TEST_COMPLETED, runId, p));
      }
      publishMetrics(runId, stats);
    }
    String lastTest = written.isEmpty() ? null : written.get(written.size() - 1).testId();
    counts.put(runId, new Pending(total, lastTest));
    if (queued.add(runId)) {
      inOrder(() -> publishProgress(runId));
    }
  }

  /**
   * Runs {@code task} on the progress lane, after the progress already queued: a run's {@code
   * benchmark.completed} goes this way so that it follows the run's last {@code
   * benchmark.progress}.
   */
  public void inOrder(Runnable task) {
    try {
      lane.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "Could not publish a run's live event: " + e, e);
            }
          });
    } catch (RejectedExecutionException e) {
      task.run(); // shutting down
    }
  }

  /**
   * Counts a run's results in the database and publishes {@code benchmark.progress}. This runs on
   * the progress lane, after the chunk's transaction has ended: counting inside its completion
   * would take a second pooled connection while the chunk's is still held, and with many runs at
   * once the partitions exhausted the pool waiting on each other. Commits of the same run that
   * arrive while a count is queued share it; a single lane keeps each run's counts monotonic.
   */
  private void publishProgress(UUID runId) {
    queued.remove(runId);
    Pending pending = counts.get(runId);
    if (pending == null) {
      return;
    }
    int completed = results.count(runId);
    int total = pending.total();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("event", "BenchmarkProgress");
    p.put("session_id", runId.toString());
    p.put("completed", completed);
    p.put("total", total);
    p.put("current_test", pending.lastTest());
    p.put("progress_percent", total == 0 ? 100.0 : Math.round(1000.0 * completed / total) / 10.0);
    bus.publish(RealtimeEvent.of(RealtimeEvent.BENCHMARK_PROGRESS, runId, p));
  }

  @PreDestroy
  void stop() {
    lane.shutdown();
  }

  /**
   * One {@code metrics.benchmark} MetricUpdate per figure, over the results this server wrote for
   * the run; and the run's error-rate alert the first time its rate passes the threshold.
   */
  private void publishMetrics(UUID runId, RunStats s) {
    if (s.results == 0) {
      return;
    }
    double seconds = Math.max(1e-3, (System.nanoTime() - s.startNanos) / 1e9);
    double errorRate = (double) s.errors / s.results;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("pass_rate", (double) s.passed / s.results);
    figures.put("error_rate", errorRate);
    figures.put("latency_ms_mean", s.latencyMs / s.results);
    figures.put("cost_usd", s.cost);
    figures.put("tests_per_second", s.results / seconds);
    for (Map.Entry<String, Double> f : figures.entrySet()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("event", "MetricUpdate");
      p.put("session_id", runId.toString());
      p.put("metric_name", f.getKey());
      p.put("value", f.getValue());
      p.put("results", s.results);
      bus.publish(RealtimeEvent.of(RealtimeEvent.METRICS_BENCHMARK, runId, p));
    }
    if (!s.errorAlerted
        && s.results >= alerts.errorRateMinResults()
        && errorRate > alerts.errorRateThreshold()) {
      s.errorAlerted = true;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("error_rate", errorRate);
      details.put("threshold", alerts.errorRateThreshold());
      details.put("results", s.results);
      details.put("errors", s.errors);
      alerts.raise(
          RealtimeEvent.ALERTS_ERROR_RATE,
          "warning",
          runId,
          String.format(
              java.util.Locale.ROOT,
              "%d of %d calls failed (%.0f%%, above %.0f%%).",
              s.errors,
              s.results,
              100 * errorRate,
              100 * alerts.errorRateThreshold()),
          details);
    }
  }

  public void forget(UUID runId) {
    locks.remove(runId);
    // Only the count seen now: a run restarted at once may have committed again before this runs,
    // and that newer count must still be published.
    Pending seen = counts.get(runId);
    if (seen != null) {
      inOrder(() -> counts.computeIfPresent(runId, (k, v) -> v == seen ? null : v));
    }
  }
}
