package dev.llmtestbench.provider.resilience;

import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened during one guarded call: attempts, retries, 429s, time spent in backoff and in the
 * concurrency queue, and the kinds of the failed attempts; safe to read while the call runs.
 *
 * <p>Queue and backoff time are not part of a provider's latency; they are kept here so a benchmark
 * can report them separately.
 */
public final class CallStats {

  private int attempts;
  private int retries;
  private int rateLimited;
  private long backoffNanos;
  private long queuedNanos;
  private final List<Kind> errorKinds = new ArrayList<>(4);

  /** How many attempts were sent to the provider. */
  public synchronized int attempts() {
    return attempts;
  }

  /** How many retries were scheduled after failed attempts. */
  public synchronized int retries() {
    return retries;
  }

  /** How many attempts were answered with {@code RATE_LIMITED}. */
  public synchronized int rateLimited() {
    return rateLimited;
  }

  /** The total backoff scheduled before retries, including waits a server asked for. */
  public synchronized long backoffNanos() {
    return backoffNanos;
  }

  /** The total time spent waiting for a concurrency permit (never counted as latency). */
  public synchronized long queuedNanos() {
    return queuedNanos;
  }

  /** The kinds of the failed attempts, oldest first. */
  public synchronized List<Kind> errorKinds() {
    return List.copyOf(errorKinds);
  }

  /** The kind of the latest failed attempt, or null when none failed. */
  public synchronized Kind lastErrorKind() {
    return errorKinds.isEmpty() ? null : errorKinds.get(errorKinds.size() - 1);
  }

  synchronized void attemptStarted() {
    attempts++;
  }

  synchronized void attemptFailed(Kind kind) {
    errorKinds.add(kind);
    if (kind == Kind.RATE_LIMITED) {
      rateLimited++;
    }
  }

  synchronized void retryScheduled(long delayNanos) {
    retries++;
    backoffNanos += delayNanos;
  }

  synchronized void queued(long nanos) {
    queuedNanos += nanos;
  }

  @Override
  public synchronized String toString() {
    return "CallStats[attempts="
        + attempts
        + ", retries="
        + retries
        + ", rateLimited="
        + rateLimited
        + ", backoffMs="
        + backoffNanos / 1_000_000
        + ", queuedMs="
        + queuedNanos / 1_000_000
        + ", errorKinds="
        + errorKinds
        + "]";
  }
}
