package dev.llmtestbench.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  private static final long S = 1_000_000_000L;

  @Test
  void allowsTheBurstThenOneRequestPerInterval() {
    AtomicLong now = new AtomicLong(1_000 * S);
    Gcra g = new Gcra(now::get);
    Gcra.Limit limit = new Gcra.Limit(3, 60 * S); // one every 20 s, 3 at once

    assertEquals(2, g.acquire("a", limit).remaining());
    assertEquals(1, g.acquire("a", limit).remaining());
    Gcra.Decision third = g.acquire("a", limit);
    assertTrue(third.allowed());
    assertEquals(0, third.remaining());
    assertEquals(60, third.resetSeconds());

    Gcra.Decision refused = g.acquire("a", limit);
    assertFalse(refused.allowed());
    assertEquals(20, refused.retryAfterSeconds());
    // Other callers have their own bucket.
    assertTrue(g.acquire("b", limit).allowed());

    now.addAndGet(19 * S);
    assertFalse(g.acquire("a", limit).allowed());
    assertEquals(1, g.acquire("a", limit).retryAfterSeconds());
    now.addAndGet(1 * S);
    assertTrue(g.acquire("a", limit).allowed());
    assertFalse(g.acquire("a", limit).allowed());

    // A full minute later the whole burst is back.
    now.addAndGet(60 * S);
    for (int i = 0; i < 3; i++) {
      assertTrue(g.acquire("a", limit).allowed(), "request " + i);
    }
    assertFalse(g.acquire("a", limit).allowed());
  }

  @Test
  void refusedRequestsDoNotConsume() {
    AtomicLong now = new AtomicLong(0);
    Gcra g = new Gcra(now::get);
    Gcra.Limit limit = new Gcra.Limit(1, 10 * S);
    assertTrue(g.acquire("k", limit).allowed());
    for (int i = 0; i < 100; i++) {
      assertFalse(g.acquire("k", limit).allowed());
    }
    now.addAndGet(10 * S);
    assertTrue(g.acquire("k", limit).allowed());
  }

  @Test
  void sweepForgetsFullBuckets() {
    AtomicLong now = new AtomicLong(0);
    Gcra g = new Gcra(now::get);
    Gcra.Limit limit = new Gcra.Limit(10, 10 * S);
    g.acquire("x", limit);
    g.acquire("y", limit);
    g.sweep();
    assertEquals(2, g.size());
    now.addAndGet(2 * S);
    g.sweep();
    assertEquals(0, g.size());
  }

  @Test
  void parsesLimits() {
    assertEquals(new Gcra.Limit(100, 60 * S), RateLimits.parse("100/1m"));
    assertEquals(new Gcra.Limit(10, 30 * S), RateLimits.parse(" 10 / 30s "));
    assertEquals(new Gcra.Limit(5, 3600 * S), RateLimits.parse("5/h"));
    assertEquals(new Gcra.Limit(2, 500_000_000L), RateLimits.parse("2/500ms"));
    assertThrows(IllegalArgumentException.class, () -> RateLimits.parse("100"));
    assertThrows(IllegalArgumentException.class, () -> RateLimits.parse("0/1m"));
    assertThrows(IllegalArgumentException.class, () -> RateLimits.parse("ten/1m"));
  }

  @Test
  void routesFromConfiguration() {
    RateLimits defaults = RateLimits.from(k -> null);
    assertEquals(new Gcra.Limit(1200, 60 * S), defaults.defaultLimit());
    assertEquals("auth", defaults.routeOf("POST", "/api/v1/auth/login").name());
    assertEquals("writes", defaults.routeOf("DELETE", "/api/v1/datasets/x").name());
    assertNull(defaults.routeOf("GET", "/api/v1/datasets"));
    assertNull(defaults.routeOf("POST", "/graphql"));
    assertTrue(defaults.exempt("/health/ready"));
    assertTrue(defaults.exempt("/health"));
    assertFalse(defaults.exempt("/healthy"));

    Map<String, String> cfg =
        Map.of(
            "ltb.ratelimit.default", "50/1s",
            "ltb.ratelimit.routes", "exports, auth",
            "ltb.ratelimit.route.exports.path", "/api/v1/results/export",
            "ltb.ratelimit.route.exports.limit", "2/1m",
            "ltb.ratelimit.route.auth.limit", "5/1m");
    RateLimits custom = RateLimits.from(cfg::get);
    assertEquals(new Gcra.Limit(50, S), custom.defaultLimit());
    RateLimits.Route exports = custom.routeOf("POST", "/api/v1/results/export");
    assertEquals(new Gcra.Limit(2, 60 * S), exports.limit());
    assertTrue(exports.methods().isEmpty());
    RateLimits.Route auth = custom.routeOf("POST", "/api/v1/auth/login");
    assertEquals(new Gcra.Limit(5, 60 * S), auth.limit());
    assertNull(custom.routeOf("GET", "/api/v1/auth/me"), "built-in methods kept");

    assertTrue(RateLimits.from(Map.of("ltb.ratelimit.routes", "none")::get).routes().isEmpty());
    assertThrows(
        IllegalArgumentException.class,
        () -> RateLimits.from(Map.of("ltb.ratelimit.routes", "mine")::get));
  }
}
