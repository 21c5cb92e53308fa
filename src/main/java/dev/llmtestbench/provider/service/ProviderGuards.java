package dev.llmtestbench.provider.service;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.service.BenchmarkMetrics;
import dev.llmtestbench.monitoring.service.EventBus;
import dev.llmtestbench.provider.resilience.CircuitState;
import dev.llmtestbench.provider.resilience.ProviderGuard;
import dev.llmtestbench.provider.resilience.ResilienceListener;
import dev.llmtestbench.provider.resilience.ResiliencePolicy;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * One guard per provider instance (retries, circuit breaker, adaptive concurrency limit), with its
 * policy from {@code ltb.providers.<name>.*} keys, else {@code ltb.providers.default.*}, else
 * {@link ResiliencePolicy#DEFAULTS}. What the guards do becomes metrics and {@code provider.*}
 * events.
 *
 * <p>MicroProfile Fault Tolerance annotations do not fit here: their policies belong to an
 * annotated method (so every provider would share one breaker) and {@code @Retry} cannot wait for a
 * provider's {@code Retry-After}.
 */
@ApplicationScoped
public class ProviderGuards {

  private static final Logger LOG = Logger.getLogger(ProviderGuards.class.getName());

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject BenchmarkMetrics metrics;
  @Inject EventBus bus;

  // Keyed by instance: a provider registered again under the same name gets a fresh guard.
  private final Map<Provider, ProviderGuard> guards = new ConcurrentHashMap<>();

  public ProviderGuard guard(RegisteredProvider p) {
    return guards.computeIfAbsent(p.provider(), k -> create(p.name()));
  }

  /** The guard of a provider, if it has made calls. */
  public Optional<ProviderGuard> existing(RegisteredProvider p) {
    return Optional.ofNullable(guards.get(p.provider()));
  }

  private ProviderGuard create(String name) {
    Config config = ConfigProvider.getConfig();
    ResiliencePolicy policy =
        ResiliencePolicy.from(
            key ->
                config
                    .getOptionalValue("ltb.providers." + name + "." + key, String.class)
                    .or(
                        () ->
                            config.getOptionalValue("ltb.providers.default." + key, String.class)));
    ProviderGuard guard = new ProviderGuard(name, policy, scheduler, new Listener());
    metrics.providerGuard(name, guard::concurrencyLimit, () -> guard.state().ordinal());
    LOG.fine(() -> "Guard for " + name + ": " + policy);
    return guard;
  }

  /** Turns guard events into metrics and real-time events. */
  private final class Listener implements ResilienceListener {

    @Override
    public void onRetry(String provider, int attempt, Duration delay, ProviderException cause) {
      metrics.providerRetry(provider, cause.kind().name().toLowerCase(java.util.Locale.ROOT));
      publish(
          "provider.retry",
          provider,
          Map.of(
              "attempt", attempt,
              "delay_ms", delay.toMillis(),
              "error_type", cause.kind().name().toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public void onRateLimited(String provider, int newLimit) {
      metrics.providerRateLimited(provider);
      publish("provider.rate_limited", provider, Map.of("concurrency_limit", newLimit));
    }

    @Override
    public void onBreakerStateChange(String provider, CircuitState from, CircuitState to) {
      publish("provider.circuit", provider, Map.of("from", from.name(), "to", to.name()));
    }

    @Override
    public void onRejected(String provider) {
      metrics.providerRejected(provider);
    }

    private void publish(String topic, String provider, Map<String, Object> data) {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("provider", provider);
      payload.putAll(data);
      bus.publish(RealtimeEvent.of(topic, null, payload));
    }
  }
}
