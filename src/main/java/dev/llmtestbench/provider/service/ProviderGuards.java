package dev.llmtestbench.provider.service;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.service.BenchmarkMetrics;
import dev.llmtestbench.monitoring.service.EventBus;
import dev.llmtestbench.platform.cluster.ClusterView;
import dev.llmtestbench.platform.cluster.ServerRegistry;
import dev.llmtestbench.provider.resilience.CircuitState;
import dev.llmtestbench.provider.resilience.ClusterShare;
import dev.llmtestbench.provider.resilience.ProviderGuard;
import dev.llmtestbench.provider.resilience.ResilienceListener;
import dev.llmtestbench.provider.resilience.ResiliencePolicy;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * <p>With several servers on one database, a provider's {@code concurrency.max} holds for all of
 * them together: each server's guard gets its {@link ClusterShare} of it among the live servers
 * (recomputed when the {@link ServerRegistry} sees the set change), and a 429 that cuts the limit
 * on one server is relayed with the {@code provider.rate_limited} event (over the {@link
 * dev.llmtestbench.monitoring.service.EventRelay}), so the other servers cut theirs to the same
 * fraction of their share.
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
  @Inject dev.llmtestbench.monitoring.service.Alerts alerts;
  @Inject ServerRegistry registry;

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
    Listener listener = new Listener();
    ProviderGuard guard = new ProviderGuard(name, policy, scheduler, listener);
    listener.guard = guard;
    share(guard, registry.view());
    metrics.providerGuard(name, guard::concurrencyLimit, () -> guard.state().ordinal());
    LOG.fine(() -> "Guard for " + name + ": " + policy);
    return guard;
  }

  /** Gives every guard its share of its cluster-wide maximum among the live servers. */
  void onClusterChange(@Observes ClusterView view) {
    guards.values().forEach(g -> share(g, view));
  }

  private static void share(ProviderGuard guard, ClusterView view) {
    guard.concurrencyShare(
        ClusterShare.of(guard.policy().maxConcurrency(), view.live(), view.self()));
  }

  /** Follows the concurrency cuts that other servers relay (their own events are ignored). */
  void onEvent(@Observes RealtimeEvent event) {
    RelayedCut cut = RelayedCut.from(event, registry.serverId()).orElse(null);
    if (cut == null) {
      return;
    }
    for (ProviderGuard g : guards.values()) {
      if (g.provider().equals(cut.provider())) {
        int before = g.concurrencyLimit();
        int after = g.followCut(cut.fraction());
        if (after < before) {
          LOG.fine(
              () ->
                  "Concurrency limit of "
                      + cut.provider()
                      + " cut "
                      + before
                      + " -> "
                      + after
                      + " after a 429 on server "
                      + cut.server());
        }
      }
    }
  }

  /** Turns guard events into metrics and real-time events. */
  private final class Listener implements ResilienceListener {

    private volatile ProviderGuard guard;

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
      ProviderGuard g = guard;
      // What the other servers follow: the limit as a fraction of this server's share.
      double fraction = g == null ? 1.0 : newLimit / (double) g.concurrencyMax();
      bus.publish(
          RealtimeEvent.of(
              RelayedCut.TOPIC,
              null,
              new RelayedCut(provider, registry.serverId(), newLimit, fraction).payload()));
    }

    @Override
    public void onBreakerStateChange(String provider, CircuitState from, CircuitState to) {
      publish("provider.circuit", provider, Map.of("from", from.name(), "to", to.name()));
      if (to == CircuitState.OPEN) {
        alerts.raise(
            RealtimeEvent.ALERTS_CIRCUIT_OPEN,
            "warning",
            null,
            "The circuit of provider '" + provider + "' opened: its calls fail fast for now.",
            Map.of("provider", provider, "from", from.name()));
      }
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
