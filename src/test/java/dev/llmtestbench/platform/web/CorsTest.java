package dev.llmtestbench.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CorsTest {

  @Test
  void offWithoutOrigins() {
    Cors cors = Cors.from(k -> null);
    assertFalse(cors.enabled());
    assertTrue(cors.actual("https://a.example").isEmpty());
  }

  @Test
  void listedOriginsOnly() {
    Cors cors =
        Cors.from(
            Map.of("ltb.cors.allowed-origins", "https://a.example/, https://b.example:8443")::get);
    assertTrue(cors.allows("https://a.example"));
    assertTrue(cors.allows("HTTPS://B.EXAMPLE:8443"));
    assertFalse(cors.allows("https://b.example"));
    assertFalse(cors.allows("null"));

    Map<String, String> pre = cors.preflight("https://a.example", "DELETE", "Authorization");
    assertEquals("https://a.example", pre.get("Access-Control-Allow-Origin"));
    assertEquals("600", pre.get("Access-Control-Max-Age"));
    assertNull(pre.get("Access-Control-Allow-Credentials"));
    assertNull(cors.preflight("https://a.example", "TRACE", null));
    assertNull(cors.preflight("https://a.example", "POST", "X-Custom"));
    assertNull(cors.preflight("https://c.example", "GET", null));
    assertTrue(
        cors.actual("https://a.example")
            .get("Access-Control-Expose-Headers")
            .contains("Retry-After"));
  }

  @Test
  void wildcardEchoesTheOriginWithCredentials() {
    Cors any = Cors.from(Map.of("ltb.cors.allowed-origins", "*")::get);
    assertEquals("*", any.actual("https://x.example").get("Access-Control-Allow-Origin"));
    Cors creds =
        Cors.from(
            Map.of("ltb.cors.allowed-origins", "*", "ltb.cors.allow-credentials", "true")::get);
    Map<String, String> h = creds.actual("https://x.example");
    assertEquals("https://x.example", h.get("Access-Control-Allow-Origin"));
    assertEquals("true", h.get("Access-Control-Allow-Credentials"));
  }

  @Test
  void preflightNeedsOriginAndRequestedMethod() {
    assertTrue(Cors.isPreflight("OPTIONS", "https://a", "POST"));
    assertFalse(Cors.isPreflight("OPTIONS", "https://a", null));
    assertFalse(Cors.isPreflight("GET", "https://a", "POST"));
  }
}
