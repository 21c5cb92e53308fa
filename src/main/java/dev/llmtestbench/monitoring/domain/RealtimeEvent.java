package dev.llmtestbench.monitoring.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened, on a topic ({@code benchmark.started}, {@code benchmark.progress},
 * {@code test.completed}, {@code benchmark.completed}, {@code metrics.*}, {@code alerts.*}),
 * optionally about one run.
 */
public record RealtimeEvent(
    String topic, UUID sessionId, Map<String, Object> payload, Instant timestamp) {

  public static final String BENCHMARK_STARTED = "benchmark.started";
  public static final String BENCHMARK_PROGRESS = "benchmark.progress";
  public static final String TEST_COMPLETED = "test.completed";
  public static final String BENCHMARK_COMPLETED = "benchmark.completed";
  public static final String METRICS_BENCHMARK = "metrics.benchmark";
  public static final String METRICS_SYSTEM = "metrics.system";
  public static final String ALERTS_BENCHMARK_FAILED = "alerts.benchmark_failed";
  public static final String ALERTS_ERROR_RATE = "alerts.error_rate";
  public static final String ALERTS_CIRCUIT_OPEN = "alerts.circuit_open";

  public static RealtimeEvent of(String topic, UUID sessionId, Map<String, Object> payload) {
    return new RealtimeEvent(topic, sessionId, payload, Instant.now());
  }
}
