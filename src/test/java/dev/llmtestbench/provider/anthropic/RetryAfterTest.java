package dev.llmtestbench.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retry-After as RFC 9110 section 10.2.3 defines it: delay-seconds or an HTTP-date. */
class RetryAfterTest {

  private static final Clock NOW =
      Clock.fixed(Instant.parse("2025-10-21T07:28:00Z"), ZoneOffset.UTC);

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "17, 17000",
    "' 5 ', 5000",
    "1.5, 1500",
    "'Tue, 21 Oct 2025 07:28:30 GMT', 30000",
    "'Tue, 21 Oct 2025 07:27:00 GMT', 0"
  })
  void shouldReadSecondsAndHttpDates(String header, long millis) {
    assertEquals(millis, RetryAfter.millis(Optional.of(header), NOW));
  }

  @ParameterizedTest
  @CsvSource({"-1", "soon", "1e3", "NaN", "0x10", "'Tuesday, 21-Oct-25 07:28:30'"})
  void shouldIgnoreUnreadableValues(String header) {
    assertNull(RetryAfter.millis(Optional.of(header), NOW));
  }

  @Test
  void shouldReturnNullWithoutHeader() {
    assertNull(RetryAfter.millis(Optional.empty(), NOW));
    assertNull(RetryAfter.millis(Optional.of(" "), NOW));
  }
}
