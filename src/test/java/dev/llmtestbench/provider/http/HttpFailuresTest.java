package dev.llmtestbench.provider.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retry-After parsing (RFC 9110 section 10.2.3) and error text clean-up. */
class HttpFailuresTest {

  private static final Clock NOW =
      Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "120|120000",
        "0|0",
        "1.5|1500",
        "Wed, 21 Oct 2015 07:28:30 GMT|30000",
        "Wed, 21 Oct 2015 07:27:00 GMT|0"
      })
  void shouldReadRetryAfterAsSecondsOrHttpDate(String value, long millis) {
    assertEquals(millis, HttpFailures.retryAfterMillis(headers(value), NOW));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"soon", "-5", "''"})
  void shouldIgnoreUnreadableRetryAfter(String value) {
    assertNull(HttpFailures.retryAfterMillis(headers(value), NOW));
  }

  @Test
  void shouldIgnoreAMissingRetryAfter() {
    assertNull(HttpFailures.retryAfterMillis(HttpHeaders.of(Map.of(), (a, b) -> true), NOW));
  }

  @Test
  void shouldScrubTheSecretFlattenAndTruncateDetail() {
    String detail = HttpFailures.detail("bad\n key  sk-123 " + "x".repeat(600), "sk-123");

    assertTrue(detail.startsWith("bad key **** xxx"), detail);
    assertEquals(303, detail.length());
    assertEquals("(empty body)", HttpFailures.detail("  ", null));
  }

  private static HttpHeaders headers(String retryAfter) {
    return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
  }
}
