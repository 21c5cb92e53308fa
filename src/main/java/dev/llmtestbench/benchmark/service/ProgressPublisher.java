package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.CallDetails;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.monitoring.domain.RealtimeEvent;
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

  private final Map<UUID, Object> locks = new ConcurrentHashMap<>();

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
    synchronized (locks.computeIfAbsent(runId, k -> new Object())) {
      for (ResultRecord r : written) {
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
    }
  }

  public void forget(UUID runId) {
    locks.remove(runId);
  }
}
