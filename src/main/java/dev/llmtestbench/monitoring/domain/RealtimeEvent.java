package dev.llmtestbench.monitoring.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened, on a topic ({@code benchmark.started}, {@code benchmark.progress},
 * {@code test.completed}, {@code benchmark.completed}), optionally about one run.
 */
public record RealtimeEvent(
    String topic, UUID sessionId, Map<String, Object> payload, Instant timestamp) {

  public static final String BENCHMARK_STARTED = "benchmark.started";
  public static final String BENCHMARK_PROGRESS = "benchmark.progress";
  public static final String TEST_COMPLETED = "test.completed";
  public static final String BENCHMARK_COMPLETED = "benchmark.completed";

  public static RealtimeEvent of(String topic, UUID sessionId, Map<String, Object> payload) {
    return new RealtimeEvent(topic, sessionId, payload, Instant.now());
  }
}
