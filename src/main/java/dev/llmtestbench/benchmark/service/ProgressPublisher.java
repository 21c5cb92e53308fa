package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.CallDetails;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.service.Alerts;
import dev.llmtestbench.monitoring.service.BenchmarkMetrics;
import dev.llmtestbench.monitoring.service.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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

  private final Map<UUID, RunStats> locks = new ConcurrentHashMap<>();

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
      int completed = results.count(runId);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("event", "BenchmarkProgress");
      p.put("session_id", runId.toString());
      p.put("completed", completed);
      p.put("total", total);
      p.put("current_test", written.isEmpty() ? null : written.get(written.size() - 1).testId());
      p.put("progress_percent", total == 0 ? 100.0 : Math.round(1000.0 * completed / total) / 10.0);
      bus.publish(RealtimeEvent.of(RealtimeEvent.BENCHMARK_PROGRESS, runId, p));
      publishMetrics(runId, stats);
    }
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
  }
}
