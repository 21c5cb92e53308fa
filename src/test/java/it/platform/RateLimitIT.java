package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Rate limits: the test server (pom.xml) limits the route "it-probe" (/api/v1/ratelimit-probe, a
 * path no other test calls) to 3 requests a minute, and everything else far beyond what the tests
 * send.
 */
class RateLimitIT {

  @Test
  void shouldAnswer429WithRetryAfterOnceTheBurstIsSpent() {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = Api.exchange(Api.request("/ratelimit-probe").GET());
      assertEquals(404, r.statusCode(), "request " + i + " passes the limit: " + r.body());
      assertEquals("3", r.headers().firstValue("RateLimit-Limit").orElse(null));
      assertEquals(
          Integer.toString(2 - i), r.headers().firstValue("RateLimit-Remaining").orElse(null));
      assertEquals("3;w=60", r.headers().firstValue("RateLimit-Policy").orElse(null));
    }
    HttpResponse<String> refused = Api.exchange(Api.request("/ratelimit-probe").GET());
    assertEquals(429, refused.statusCode(), refused.body());
    assertTrue(
        refused
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"));
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 20, "one request every 20 s: " + retryAfter);
    assertEquals("0", refused.headers().firstValue("RateLimit-Remaining").orElse(null));
    JsonObject p = (JsonObject) Api.parse(refused.body());
    assertEquals("https://llmtestbench.dev/problems/rate-limited", p.getString("type"));
    assertEquals(429, p.getInt("status"));

    // Refusals are counted per route, refused credentials in all.
    HttpResponse<String> bad =
        Api.exchange(Api.request("/datasets").header("Authorization", "Bearer ltb_not-a-key"));
    assertEquals(401, bad.statusCode());
    String metrics = Api.exchange(Api.request(Api.BASE + "/metrics?scope=application")).body();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l -> l.startsWith("ltb_rate_limited_total{") && l.contains("route=\"it-probe\"")),
        metrics);
    assertTrue(metrics.contains("ltb_authentication_failures_total"), metrics);

    // Other routes have their own buckets; health is never limited.
    assertEquals(200, Api.get("/datasets?limit=1").status());
    HttpResponse<String> health = Api.exchange(Api.request(Api.BASE + "/health/ready").GET());
    assertEquals(200, health.statusCode());
    assertFalse(health.headers().firstValue("RateLimit-Limit").isPresent());
  }
}
