package dev.llmtestbench.monitoring.ws;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import java.util.List;

/**
 * Topic names and subscription patterns ({@code benchmark.progress}, {@code benchmark.*}, {@code
 * *}).
 */
public final class Topics {

  public static final List<String> KNOWN =
      List.of(
          RealtimeEvent.BENCHMARK_STARTED,
          RealtimeEvent.BENCHMARK_PROGRESS,
          RealtimeEvent.TEST_COMPLETED,
          RealtimeEvent.BENCHMARK_COMPLETED,
          RealtimeEvent.METRICS_BENCHMARK,
          RealtimeEvent.METRICS_SYSTEM,
          RealtimeEvent.ALERTS_BENCHMARK_FAILED,
          RealtimeEvent.ALERTS_ERROR_RATE,
          RealtimeEvent.ALERTS_CIRCUIT_OPEN);

  private Topics() {}

  public static boolean matches(String pattern, String topic) {
    if (pattern.equals("*") || pattern.equals(topic)) {
      return true;
    }
    return pattern.endsWith(".*") && topic.startsWith(pattern.substring(0, pattern.length() - 1));
  }

  /** Whether a pattern can ever match: a known topic, a wildcard over one, or a reserved family. */
  public static boolean isValid(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      return false;
    }
    if (pattern.startsWith("metrics.")
        || pattern.startsWith("alerts.")
        || pattern.startsWith("provider.")) {
      return true;
    }
    return KNOWN.stream().anyMatch(t -> matches(pattern, t));
  }
}
