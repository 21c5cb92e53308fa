package dev.llmtestbench.benchmark.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EndedRunCacheTest {

  private final AtomicInteger loads = new AtomicInteger();

  private static EndedRunCache cache(long maxBytes, long ttlSeconds) {
    EndedRunCache c = new EndedRunCache();
    c.maxBytes = maxBytes;
    c.ttlSeconds = ttlSeconds;
    return c;
  }

  private EndedRunCache.Answer read(EndedRunCache c, UUID run, String key, boolean ended) {
    return c.answer(
        run, key, () -> new EndedRunCache.Read(Map.of("n", loads.incrementAndGet()), ended));
  }

  private static String body(EndedRunCache.Answer a) {
    return new String(a.body(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldKeepEndedRunsOnlyAndAnswerTheSameBytes() {
    EndedRunCache c = cache(1 << 20, 60);
    UUID ended = UUID.randomUUID();
    UUID running = UUID.randomUUID();
    EndedRunCache.Answer first = read(c, ended, "a", true);
    EndedRunCache.Answer second = read(c, ended, "a", true);
    assertEquals(1, loads.get());
    assertArrayEquals(first.body(), second.body());
    assertEquals(first.etag(), second.etag());
    assertTrue(first.etag().matches("\"[A-Za-z0-9_-]{27}\""), first.etag());
    assertEquals(
        "{\"n\":2}", body(read(c, UUID.randomUUID(), "a", true)), "another run, same read");
    loads.set(1);

    read(c, running, "a", false);
    read(c, running, "a", false);
    assertEquals(3, loads.get(), "a running run is read every time");
    assertEquals("{\"n\":4}", body(read(c, running, "b", false)));
  }

  @Test
  void shouldMatchIfNoneMatchByItsEtagOnly() {
    String etag = "\"abc\"";
    assertTrue(EndedRunCache.matches(etag, etag));
    assertTrue(EndedRunCache.matches("\"x\", W/" + etag, etag));
    assertTrue(EndedRunCache.matches("*", etag));
    assertFalse(EndedRunCache.matches("\"x\"", etag));
    assertFalse(EndedRunCache.matches("abc", etag));
  }

  @Test
  void shouldForgetARunOnAnyOfItsEvents() {
    EndedRunCache c = cache(1 << 20, 60);
    UUID run = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    read(c, run, "a", true);
    read(c, run, "b", true);
    read(c, other, "a", true);
    assertEquals(3, c.size());
    c.onEvent(RealtimeEvent.of(RealtimeEvent.BENCHMARK_STARTED, run, Map.of()));
    assertEquals(1, c.size());
    read(c, run, "a", true);
    assertEquals(4, loads.get(), "read again after the event");
    c.onEvent(RealtimeEvent.of(RealtimeEvent.METRICS_SYSTEM, null, Map.of()));
    assertEquals(2, c.size());
  }

  @Test
  void shouldStayWithinItsBytesDroppingTheLeastRecentlyUsed() {
    // Each body is {"n":k} (7 bytes): 30 bytes hold four.
    EndedRunCache c = cache(30, 60);
    UUID run = UUID.randomUUID();
    for (String key : new String[] {"a", "b", "c", "d"}) {
      read(c, run, key, true);
    }
    read(c, run, "a", true); // a becomes the most recently used
    read(c, run, "e", true); // drops b
    assertEquals(4, c.size());
    assertEquals(5, loads.get());
    read(c, run, "a", true);
    assertEquals(5, loads.get(), "a stayed");
    read(c, run, "b", true);
    assertEquals(6, loads.get(), "b was dropped");
  }

  @Test
  void shouldExpireAfterItsTtlAndBeOffAtZeroBytes() {
    EndedRunCache expired = cache(1 << 20, 0);
    UUID run = UUID.randomUUID();
    read(expired, run, "a", true);
    read(expired, run, "a", true);
    assertEquals(2, loads.get());
    EndedRunCache off = cache(0, 60);
    read(off, run, "a", true);
    read(off, run, "a", true);
    assertEquals(4, loads.get());
    assertEquals(0, off.size());
  }

  @Test
  void shouldStopTrackingRunsWhoseEntriesWereDroppedOrExpired() {
    EndedRunCache c = cache(30, 60);
    for (int i = 0; i < 10; i++) {
      read(c, UUID.randomUUID(), "a", true);
    }
    assertEquals(4, c.size());
    assertEquals(4, c.cachedRuns(), "runs dropped for bytes are no longer tracked");
    EndedRunCache expiring = cache(1 << 20, 0);
    UUID run = UUID.randomUUID();
    read(expiring, run, "a", true);
    read(expiring, run, "a", true);
    assertEquals(1, expiring.cachedRuns(), "the expired entry was replaced, counted once");
    expiring.forget(run);
    assertEquals(0, expiring.cachedRuns());
    assertEquals(0, expiring.size());
  }

  @Test
  void shouldNotKeepAnAnswerLoadedBeforeAnEventOfItsRun() {
    EndedRunCache c = cache(1 << 20, 60);
    UUID run = UUID.randomUUID();
    // The run is restarted while its ended state is being read: that answer must not be kept.
    c.answer(
        run,
        "a",
        () -> {
          c.onEvent(RealtimeEvent.of(RealtimeEvent.BENCHMARK_STARTED, run, Map.of()));
          return new EndedRunCache.Read(Map.of("n", loads.incrementAndGet()), true);
        });
    assertEquals(0, c.size());
    read(c, run, "a", true);
    assertEquals(1, c.size(), "the next read is kept");
  }
}
