package dev.llmtestbench.platform.web;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Rate limiting by the generic cell rate algorithm (GCRA), the token bucket expressed as one number
 * per key: the theoretical arrival time (TAT) of the next request. A limit of {@code n} per {@code
 * period} lets a new key send {@code n} requests at once, then one every {@code period / n}.
 * Lock-free (one compare-and-set per request); keys whose bucket is full again are forgotten by
 * {@link #sweep}, so memory follows the number of recently active callers.
 */
public final class Gcra {

  /** A limit: {@code count} requests per {@code periodNanos}, all of them allowed at once. */
  public record Limit(long count, long periodNanos) {
    public Limit {
      if (count < 1 || periodNanos < 1) {
        throw new IllegalArgumentException("a limit needs count >= 1 and a positive period");
      }
    }

    long interval() {
      return Math.max(1, periodNanos / count);
    }

    public long periodSeconds() {
      return Math.max(1, (periodNanos + 999_999_999L) / 1_000_000_000L);
    }
  }

  /**
   * The decision for one request.
   *
   * @param allowed whether it may proceed
   * @param remaining requests still allowed right now after this one
   * @param resetNanos until the bucket is full again
   * @param retryAfterNanos until a refused request would be allowed (0 when allowed)
   */
  public record Decision(boolean allowed, long remaining, long resetNanos, long retryAfterNanos) {
    public long resetSeconds() {
      return ceilSeconds(resetNanos);
    }

    public long retryAfterSeconds() {
      return Math.max(1, ceilSeconds(retryAfterNanos));
    }

    private static long ceilSeconds(long nanos) {
      return (nanos + 999_999_999L) / 1_000_000_000L;
    }
  }

  private final Map<String, AtomicLong> tats = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  public Gcra(LongSupplier nanoClock) {
    this.clock = nanoClock;
  }

  public Decision acquire(String key, Limit limit) {
    long interval = limit.interval();
    long period = interval * limit.count();
    long now = clock.getAsLong();
    AtomicLong tat = tats.computeIfAbsent(key, k -> new AtomicLong(now));
    while (true) {
      long current = tat.get();
      long base = current - now < 0 ? now : current;
      long next = base + interval;
      long ahead = next - now;
      if (ahead > period) {
        // Refused: allowed again once the TAT is within one period of now.
        return new Decision(false, 0, base - now, ahead - period);
      }
      if (tat.compareAndSet(current, next)) {
        return new Decision(true, (period - ahead) / interval, ahead, 0);
      }
    }
  }

  /** Forgets keys whose bucket is full again (indistinguishable from new keys). */
  public void sweep() {
    long now = clock.getAsLong();
    for (Iterator<AtomicLong> it = tats.values().iterator(); it.hasNext(); ) {
      if (it.next().get() - now <= 0) {
        it.remove();
      }
    }
  }

  public int size() {
    return tats.size();
  }
}
