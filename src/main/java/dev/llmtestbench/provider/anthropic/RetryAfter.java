package dev.llmtestbench.provider.anthropic;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads an HTTP {@code Retry-After} value (RFC 9110: delay in seconds or an HTTP date). */
final class RetryAfter {

  private static final Pattern SECONDS = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

  private RetryAfter() {}

  /** The wait in milliseconds, or null when the header is absent or unreadable. */
  static Long millis(Optional<String> header, Clock clock) {
    if (header.isEmpty() || header.get().isBlank()) {
      return null;
    }
    String value = header.get().strip();
    if (SECONDS.matcher(value).matches()) {
      // RFC 9110 allows whole seconds only; a fraction is accepted since some gateways send one.
      double seconds = Double.parseDouble(value);
      return (long) Math.ceil(seconds * 1000);
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      long millis = Duration.between(clock.instant(), at.toInstant()).toMillis();
      return Math.max(0L, millis);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
