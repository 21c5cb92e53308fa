package dev.llmtestbench.monitoring.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The seeds' Prometheus metrics for benchmarks, tests and provider calls ({@code llm_*} names;
 * counters gain the {@code _total} suffix and timers {@code _seconds} on export).
 */
@ApplicationScoped
public class BenchmarkMetrics {

  @Inject MetricRegistry registry;

  private final AtomicInteger activeBenchmarks = new AtomicInteger();
  private volatile boolean gaugeRegistered;

  public void benchmarkStarted() {
    ensureGauge();
    registry.counter("llm_benchmark").inc();
    activeBenchmarks.incrementAndGet();
  }

  public void benchmarkEnded(String status, Duration duration) {
    ensureGauge();
    activeBenchmarks.updateAndGet(v -> Math.max(0, v - 1));
    registry
        .timer(
            Metadata.builder()
                .withName("llm_benchmark_duration")
                .withUnit(MetricUnits.SECONDS)
                .build(),
            new Tag("status", status))
        .update(duration);
  }

  /** One executed test case: its status, and the provider call it made. */
  public void testCompleted(
      String status,
      String provider,
      String model,
      double latencyMs,
      String errorType,
      Integer promptTokens,
      Integer completionTokens) {
    registry.counter("llm_test", new Tag("status", status)).inc();
    Duration latency = Duration.ofNanos((long) (latencyMs * 1_000_000));
    registry
        .timer(
            Metadata.builder().withName("llm_test_duration").withUnit(MetricUnits.SECONDS).build(),
            new Tag("status", status))
        .update(latency);
    registry.counter("llm_provider_requests", new Tag("provider", provider)).inc();
    if (errorType != null) {
      registry
          .counter(
              "llm_provider_errors",
              new Tag("provider", provider),
              new Tag("error_type", errorType))
          .inc();
      return;
    }
    registry
        .timer(
            Metadata.builder()
                .withName("llm_provider_latency")
                .withUnit(MetricUnits.SECONDS)
                .build(),
            new Tag("provider", provider),
            new Tag("model", model))
        .update(latency);
    if (promptTokens != null) {
      registry
          .counter(
              "llm_provider_tokens",
              new Tag("provider", provider),
              new Tag("model", model),
              new Tag("type", "prompt"))
          .inc(promptTokens);
    }
    if (completionTokens != null) {
      registry
          .counter(
              "llm_provider_tokens",
              new Tag("provider", provider),
              new Tag("model", model),
              new Tag("type", "completion"))
          .inc(completionTokens);
    }
  }

  private void ensureGauge() {
    if (!gaugeRegistered) {
      synchronized (this) {
        if (!gaugeRegistered) {
          registry.gauge("llm_active_benchmarks", activeBenchmarks, AtomicInteger::get);
          gaugeRegistered = true;
        }
      }
    }
  }
}
