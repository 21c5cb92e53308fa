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
  private final java.util.Map<String, java.util.concurrent.atomic.DoubleAdder> costs =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean gaugeRegistered;

  /** Runs executing on this server now. */
  public int activeBenchmarks() {
    return activeBenchmarks.get();
  }

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

  /** One executed test case, however it was answered. */
  public void testCompleted(String status, double latencyMs) {
    registry.counter("llm_test", new Tag("status", status)).inc();
    registry
        .timer(
            Metadata.builder().withName("llm_test_duration").withUnit(MetricUnits.SECONDS).build(),
            new Tag("status", status))
        .update(nanos(latencyMs));
  }

  private static Duration nanos(double ms) {
    return Duration.ofNanos((long) (ms * 1_000_000));
  }

  /** One call a provider answered (or failed): requests, errors, latency and tokens. */
  public void providerCall(
      String provider,
      String model,
      double latencyMs,
      String errorType,
      Integer promptTokens,
      Integer completionTokens) {
    Duration latency = nanos(latencyMs);
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

  /** Gauges of a provider's guard: its concurrency limit and breaker state (0 closed). */
  public void providerGuard(
      String provider,
      java.util.function.IntSupplier concurrencyLimit,
      java.util.function.IntSupplier circuitState) {
    registry.gauge(
        "llm_provider_concurrency_limit",
        concurrencyLimit,
        java.util.function.IntSupplier::getAsInt,
        new Tag("provider", provider));
    registry.gauge(
        "llm_provider_circuit_state",
        circuitState,
        java.util.function.IntSupplier::getAsInt,
        new Tag("provider", provider));
  }

  public void providerRetry(String provider, String errorType) {
    registry
        .counter(
            "llm_provider_retries", new Tag("provider", provider), new Tag("error_type", errorType))
        .inc();
  }

  public void providerRateLimited(String provider) {
    registry.counter("llm_provider_rate_limited", new Tag("provider", provider)).inc();
  }

  public void providerRejected(String provider) {
    registry.counter("llm_provider_circuit_rejected", new Tag("provider", provider)).inc();
  }

  /** The response cache answered (hit) or the provider was called (miss). */
  public void cache(boolean hit) {
    registry.counter(hit ? "llm_provider_cache_hits" : "llm_provider_cache_misses").inc();
  }

  /** The evaluation cache answered a model-graded assertion (hit) or it was graded (miss). */
  public void evaluationCache(boolean hit) {
    registry.counter(hit ? "llm_evaluation_cache_hits" : "llm_evaluation_cache_misses").inc();
  }

  /**
   * What calls cost, in US dollars, as the seeds' {@code llm_provider_cost_total}: a running sum
   * exported as a gauge, because MicroProfile counters only count whole numbers.
   */
  public void providerCost(String provider, String model, double usd) {
    costs
        .computeIfAbsent(
            provider + "\u0000" + model,
            k -> {
              java.util.concurrent.atomic.DoubleAdder sum =
                  new java.util.concurrent.atomic.DoubleAdder();
              registry.gauge(
                  "llm_provider_cost_total",
                  sum,
                  java.util.concurrent.atomic.DoubleAdder::sum,
                  new Tag("provider", provider),
                  new Tag("model", model));
              return sum;
            })
        .add(usd);
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
