package dev.llmtestbench.provider.resilience;

/** The state of a provider's circuit breaker. */
public enum CircuitState {
  /** Calls go through; attempt outcomes fill the rolling window. */
  CLOSED,
  /** Calls fail at once with {@code CIRCUIT_OPEN} until the breaker delay has passed. */
  OPEN,
  /** A few trial attempts go through; their outcomes close or reopen the breaker. */
  HALF_OPEN
}
