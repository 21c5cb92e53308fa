package dev.llmtestbench.provider.resilience;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An adaptive (AIMD) concurrency limit with a FIFO queue of waiting futures, so no thread ever
 * blocks for a permit.
 *
 * <p>Decrease: a 429 halves the limit (not below the minimum), but only when it answers an attempt
 * granted after the previous cut. The attempts already under way were sent under the old limit, so
 * their 429s say nothing about the new one; without this fence a burst of 16 rate-limited answers
 * would cut 16 to 1 at once (TCP reacts at most once per round trip for the same reason).
 *
 * <p>Increase: after {@code limit} successes in a row the limit grows by one, up to the maximum.
 * Only successes of attempts that started while at least half the limit was in use count: a
 * provider that is never driven near its limit has not shown it can take more, and growing anyway
 * would let a later large run burst far above what the provider tolerated.
 *
 * <p>Across servers: {@link #bounds} narrows the range to this server's share of a cluster-wide
 * maximum, and {@link #cutTo} applies a cut another server made, as a fraction of the maximum, so
 * the same cut relayed several times (or made here too) lowers the limit only once.
 */
final class ConcurrencyLimiter {

  /** What an attempt's end says about the limit. */
  enum Signal {
    SUCCESS,
    RATE_LIMITED,
    /** A server error, timeout or network failure: not a reason to cut, but ends a success run. */
    FAILURE,
    NEUTRAL
  }

  /** One unit of concurrency, released exactly once. */
  final class Permit {
    private final long sequence;
    private final boolean saturated;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(long sequence, boolean saturated) {
      this.sequence = sequence;
      this.saturated = saturated;
    }

    /** Releases the permit with what its attempt showed; returns the limit afterwards. */
    int release(Signal signal) {
      return released.compareAndSet(false, true)
          ? ConcurrencyLimiter.this.release(this, signal)
          : limit();
    }
  }

  // Completing a waiter runs its callbacks, which may start an attempt that finishes at once and
  // releases again: handing completions off through a per-thread queue keeps that from recursing
  // once per queued call.
  private static final ThreadLocal<ArrayDeque<Runnable>> HANDOFFS = new ThreadLocal<>();

  private int min;
  private int max;
  private final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
  private int limit;
  private int inFlight;
  private int successRun;
  private long nextSequence;
  private long cutFence;

  ConcurrencyLimiter(int initial, int min, int max) {
    this.limit = initial;
    this.min = min;
    this.max = max;
  }

  /** A permit now, or a future completed in FIFO order when one frees up; cancel it to leave. */
  CompletableFuture<Permit> acquire() {
    CompletableFuture<Permit> waiter;
    synchronized (this) {
      if (waiters.isEmpty() && inFlight < limit) {
        return CompletableFuture.completedFuture(grant());
      }
      waiter = new CompletableFuture<>();
      waiters.add(waiter);
    }
    waiter.whenComplete(
        (permit, failure) -> {
          if (waiter.isCancelled()) {
            leave(waiter);
          }
        });
    return waiter;
  }

  synchronized int limit() {
    return limit;
  }

  synchronized int max() {
    return max;
  }

  /**
   * Sets new bounds (this server's share of cluster-wide ones) and clamps the limit into them. A
   * lower maximum never takes permits back: attempts under way finish, and new ones wait until the
   * server is under its new limit.
   */
  void bounds(int min, int max) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("need 1 <= min <= max, was " + min + ", " + max);
    }
    List<CompletableFuture<Permit>> woken = new ArrayList<>();
    List<Permit> granted = new ArrayList<>();
    synchronized (this) {
      this.min = min;
      this.max = max;
      limit = Math.max(min, Math.min(max, limit));
      admit(woken, granted);
    }
    complete(woken, granted);
  }

  /**
   * Lowers the limit to {@code fraction} of the maximum (not below the minimum) if it is above
   * that: another server was rate limited by the same provider and cut its own limit to that
   * fraction of its share. Attempts already under way were sent before the cut, so their 429s do
   * not cut again. Returns the limit afterwards.
   */
  synchronized int cutTo(double fraction) {
    if (!(fraction >= 0) || fraction > 1) {
      return limit;
    }
    int target = Math.max(min, (int) Math.floor(fraction * max));
    if (target < limit) {
      limit = target;
      successRun = 0;
      cutFence = nextSequence;
    }
    return limit;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int queued() {
    return waiters.size();
  }

  private synchronized void leave(CompletableFuture<Permit> waiter) {
    waiters.remove(waiter);
  }

  private Permit grant() {
    inFlight++;
    return new Permit(nextSequence++, inFlight * 2 >= limit);
  }

  private int release(Permit permit, Signal signal) {
    List<CompletableFuture<Permit>> woken = new ArrayList<>();
    List<Permit> granted = new ArrayList<>();
    int after;
    synchronized (this) {
      inFlight--;
      adapt(permit, signal);
      admit(woken, granted);
      after = limit;
    }
    complete(woken, granted);
    return after;
  }

  /** Grants permits to the first waiters while under the limit; called holding the lock. */
  private void admit(List<CompletableFuture<Permit>> woken, List<Permit> granted) {
    while (inFlight < limit && !waiters.isEmpty()) {
      woken.add(waiters.poll());
      granted.add(grant());
    }
  }

  /** Hands the granted permits to their waiters; called without the lock. */
  private void complete(List<CompletableFuture<Permit>> woken, List<Permit> granted) {
    for (int i = 0; i < woken.size(); i++) {
      CompletableFuture<Permit> waiter = woken.get(i);
      Permit next = granted.get(i);
      handOff(
          () -> {
            // A waiter cancelled after it left the queue gives its permit straight back.
            if (!waiter.complete(next)) {
              next.release(Signal.NEUTRAL);
            }
          });
    }
  }

  private void adapt(Permit permit, Signal signal) {
    switch (signal) {
      case SUCCESS:
        if (permit.saturated && ++successRun >= limit) {
          successRun = 0;
          limit = Math.min(max, limit + 1);
        }
        break;
      case RATE_LIMITED:
        successRun = 0;
        if (permit.sequence >= cutFence) {
          limit = Math.max(min, limit / 2);
          cutFence = nextSequence;
        }
        break;
      case FAILURE:
        successRun = 0;
        break;
      default:
        break;
    }
  }

  private static void handOff(Runnable task) {
    ArrayDeque<Runnable> pending = HANDOFFS.get();
    if (pending != null) {
      pending.add(task);
      return;
    }
    pending = new ArrayDeque<>();
    HANDOFFS.set(pending);
    try {
      task.run();
      for (Runnable next; (next = pending.poll()) != null; ) {
        next.run();
      }
    } finally {
      HANDOFFS.remove();
    }
  }
}
