package dev.llmtestbench.provider.resilience;

import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.util.Arrays;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A count-based circuit breaker over the last {@code breakerRequestVolume} attempt outcomes.
 *
 * <p>Every state change starts a new generation; an outcome reported with a ticket from an older
 * generation is dropped, so attempts sent before the breaker opened (or closed) cannot skew the
 * fresh window or the trial count. Transitions are queued under the lock and published by the guard
 * outside it, so listeners never run while the breaker is locked.
 */
final class CircuitBreaker {

  /** How an attempt ended, as far as the breaker is concerned. */
  enum Outcome {
    SUCCESS,
    FAILURE,
    /** Says nothing about the provider's health: client errors, rate limits, cancellations. */
    IGNORED
  }

  /** Permission to send one attempt. */
  record Ticket(long generation, boolean trial) {}

  /** A ticket, or the reason there is none. */
  record Admission(Ticket ticket, ProviderException rejection) {}

  record Transition(CircuitState from, CircuitState to) {}

  private final String provider;
  private final int failureThreshold;
  private final long delayNanos;
  private final int successThreshold;
  private final boolean[] window;
  private final Queue<Transition> transitions = new ConcurrentLinkedQueue<>();

  private CircuitState state = CircuitState.CLOSED;
  private long generation;
  private int size;
  private int next;
  private int failures;
  private long openedAt;
  private String openReason = "";
  private int trialsInFlight;
  private int trialSuccesses;

  CircuitBreaker(String provider, ResiliencePolicy policy) {
    this.provider = provider;
    this.window = new boolean[policy.breakerRequestVolume()];
    // The small epsilon keeps 0.3 * 10 = 3.0000000000000004 from demanding a fourth failure.
    this.failureThreshold =
        Math.max(1, (int) Math.ceil(policy.breakerFailureRatio() * window.length - 1e-9));
    this.delayNanos = policy.breakerDelay().toNanos();
    this.successThreshold = policy.breakerSuccessThreshold();
  }

  synchronized CircuitState state(long now) {
    halfOpenIfDue(now);
    return state;
  }

  /**
   * Whether an attempt may go now; with {@code reserve} a half-open breaker also counts it as one
   * of its trial attempts (without, this is only a fail-fast check before queueing).
   */
  synchronized Admission admit(long now, boolean reserve) {
    halfOpenIfDue(now);
    switch (state) {
      case OPEN:
        long remaining = Math.max(0, delayNanos - (now - openedAt));
        return new Admission(
            null,
            new ProviderException(
                Kind.CIRCUIT_OPEN,
                provider
                    + " circuit breaker open since "
                    + seconds(now - openedAt)
                    + " ago "
                    + openReason
                    + "; retrying after "
                    + seconds(remaining)
                    + ".",
                null,
                0L,
                (remaining + 999_999) / 1_000_000,
                null));
      case HALF_OPEN:
        if (trialsInFlight + trialSuccesses >= successThreshold) {
          return new Admission(
              null,
              new ProviderException(
                  Kind.CIRCUIT_OPEN,
                  provider
                      + " circuit breaker half-open: "
                      + trialsInFlight
                      + " trial call(s) under way, "
                      + trialSuccesses
                      + " of "
                      + successThreshold
                      + " succeeded; retry shortly."));
        }
        if (reserve) {
          trialsInFlight++;
        }
        return new Admission(new Ticket(generation, true), null);
      default:
        return new Admission(new Ticket(generation, false), null);
    }
  }

  synchronized void record(Ticket ticket, Outcome outcome, long now) {
    if (ticket.generation() != generation) {
      return;
    }
    if (ticket.trial()) {
      trialsInFlight--;
      if (outcome == Outcome.SUCCESS && ++trialSuccesses >= successThreshold) {
        moveTo(CircuitState.CLOSED);
      } else if (outcome == Outcome.FAILURE) {
        open(now, "after a failed trial call");
      }
      return;
    }
    if (outcome == Outcome.IGNORED) {
      return;
    }
    boolean failed = outcome == Outcome.FAILURE;
    if (size == window.length) {
      if (window[next]) {
        failures--;
      }
    } else {
      size++;
    }
    window[next] = failed;
    next = (next + 1) % window.length;
    if (failed) {
      failures++;
    }
    if (size == window.length && failures >= failureThreshold) {
      open(now, "after " + failures + " failures of the last " + size + " calls");
    }
  }

  /** The transitions since the last call, oldest first. */
  Transition pollTransition() {
    return transitions.poll();
  }

  private void halfOpenIfDue(long now) {
    if (state == CircuitState.OPEN && now - openedAt >= delayNanos) {
      moveTo(CircuitState.HALF_OPEN);
    }
  }

  private void open(long now, String reason) {
    openedAt = now;
    openReason = reason;
    moveTo(CircuitState.OPEN);
  }

  private void moveTo(CircuitState to) {
    transitions.add(new Transition(state, to));
    state = to;
    generation++;
    trialsInFlight = 0;
    trialSuccesses = 0;
    size = 0;
    next = 0;
    failures = 0;
    Arrays.fill(window, false);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
