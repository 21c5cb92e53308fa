package dev.llmtestbench.provider.spi;

import java.util.Objects;

/** A failed provider call, classified by {@link Kind} so callers can decide to retry or give up. */
public class ProviderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of failure happened. */
  public enum Kind {
    TIMEOUT,
    RATE_LIMITED,
    UNAUTHORIZED,
    BAD_REQUEST,
    SERVER_ERROR,
    NETWORK,
    INVALID_RESPONSE,
    SIMULATED,
    /** The provider or model does not offer the operation (e.g. embeddings, tools). */
    UNSUPPORTED,
    /** Not sent: the provider's circuit breaker is open after repeated failures. */
    CIRCUIT_OPEN
  }

  private final Kind kind;
  private final Integer httpStatus;
  private final long latencyNanos;
  private final Long retryAfterMillis;

  public ProviderException(
      Kind kind, String message, Integer httpStatus, long latencyNanos, Throwable cause) {
    this(kind, message, httpStatus, latencyNanos, null, cause);
  }

  /** A failure whose answer said when to try again (HTTP {@code Retry-After}, in milliseconds). */
  public ProviderException(
      Kind kind,
      String message,
      Integer httpStatus,
      long latencyNanos,
      Long retryAfterMillis,
      Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.httpStatus = httpStatus;
    this.latencyNanos = latencyNanos;
    this.retryAfterMillis = retryAfterMillis;
  }

  /** A failure detected before anything was sent, so with no HTTP status and no latency. */
  public ProviderException(Kind kind, String message) {
    this(kind, message, null, 0L, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the provider answered with, or null when there was no HTTP answer. */
  public Integer httpStatus() {
    return httpStatus;
  }

  /** How long the provider asked callers to wait before retrying, or null if it did not say. */
  public Long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** Whether trying again may succeed: rate limits, timeouts, server and network failures. */
  public boolean retryable() {
    return switch (kind) {
      case RATE_LIMITED, TIMEOUT, SERVER_ERROR, NETWORK -> true;
      default -> false;
    };
  }

  /** The time from sending the request until the failure was known. */
  public long latencyNanos() {
    return latencyNanos;
  }
}
