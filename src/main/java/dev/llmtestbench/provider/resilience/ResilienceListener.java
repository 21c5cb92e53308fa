package dev.llmtestbench.provider.resilience;

import dev.llmtestbench.provider.spi.ProviderException;
import java.time.Duration;

/**
 * Hears what a {@link ProviderGuard} does, so the application can turn it into metrics and events.
 *
 * <p>Methods run on the thread that caused the event (a caller's, a provider's or the guard's
 * scheduler), never under the guard's locks, so events from different threads may arrive slightly
 * out of order. They should be quick and must not block; an exception they throw is logged and
 * otherwise ignored.
 */
public interface ResilienceListener {

  /** A listener that ignores everything. */
  ResilienceListener NONE = new ResilienceListener() {};

  /**
   * A failed attempt will be followed by attempt number {@code attempt} (2 for the first retry)
   * after {@code delay}.
   */
  default void onRetry(String provider, int attempt, Duration delay, ProviderException cause) {}

  /**
   * An attempt was answered with {@code RATE_LIMITED}; {@code newLimit} is the concurrency limit
   * after it (unchanged when an earlier 429 of the same burst already lowered it).
   */
  default void onRateLimited(String provider, int newLimit) {}

  /** The circuit breaker went from {@code from} to {@code to}. */
  default void onBreakerStateChange(String provider, CircuitState from, CircuitState to) {}

  /** A call (or its retry) was refused without being sent because the breaker is open. */
  default void onRejected(String provider) {}
}
