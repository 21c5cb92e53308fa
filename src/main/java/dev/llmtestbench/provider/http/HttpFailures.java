package dev.llmtestbench.provider.http;

import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns HTTP statuses and transport errors into {@link ProviderException}s, as the SPI asks: the
 * shared rules of adapters whose providers have no error format of their own worth parsing.
 */
public final class HttpFailures {

  private static final int MAX_DETAIL_CHARS = 300;

  private HttpFailures() {}

  public static Kind kindOf(int status) {
    if (status == 401 || status == 403) {
      return Kind.UNAUTHORIZED;
    } else if (status == 429) {
      return Kind.RATE_LIMITED;
    } else if (status == 408 || status == 504) {
      return Kind.TIMEOUT;
    } else if (status >= 400 && status < 500) {
      return Kind.BAD_REQUEST;
    } else if (status >= 500 && status < 600) {
      return Kind.SERVER_ERROR;
    }
    // Redirects are not followed (they would turn a POST into a GET), so anything else is unusable.
    return Kind.INVALID_RESPONSE;
  }

  /** An error answer: its kind from the status, its text from the body, its Retry-After. */
  public static ProviderException httpError(
      String name, int status, String message, HttpHeaders headers, long latency, String secret) {
    return new ProviderException(
        kindOf(status),
        name + " returned HTTP " + status + ": " + detail(message, secret),
        status,
        latency,
        retryAfterMillis(headers, Clock.systemUTC()),
        null);
  }

  /**
   * The wait a {@code Retry-After} header asks for, in milliseconds: delay-seconds or an HTTP date
   * (RFC 9110 section 10.2.3); null when absent or unreadable.
   */
  public static Long retryAfterMillis(HttpHeaders headers, Clock clock) {
    Optional<String> value = headers == null ? Optional.empty() : headers.firstValue("Retry-After");
    if (value.isEmpty() || value.get().isBlank()) {
      return null;
    }
    String text = value.get().strip();
    try {
      // Some gateways send fractions ("1.5"); the RFC allows only whole seconds, so round up.
      double seconds = Double.parseDouble(text);
      if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
        return null;
      }
      return (long) Math.ceil(seconds * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0L, Duration.between(clock.instant(), when.toInstant()).toMillis());
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /** A failure before any HTTP answer: timeouts, refused connections, resets. */
  public static ProviderException transportFailure(
      String name, Throwable error, Duration timeout, long latency, String endpoint) {
    Throwable cause = unwrap(error);
    Kind kind;
    String message;
    if (cause instanceof HttpConnectTimeoutException) {
      kind = Kind.TIMEOUT;
      message = name + " timed out connecting to " + endpoint;
    } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      kind = Kind.TIMEOUT;
      message = name + " timed out after " + timeout.toMillis() + " ms";
    } else if (cause instanceof ConnectException) {
      kind = Kind.NETWORK;
      message = name + " could not connect to " + endpoint;
    } else {
      kind = Kind.NETWORK;
      String what = cause instanceof IOException ? "failed" : "failed unexpectedly";
      message = name + " request to " + endpoint + " " + what + ": " + describe(cause);
    }
    return new ProviderException(kind, message, null, latency, cause);
  }

  public static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Text fit for a message: one line, at most 300 characters, the API key replaced by stars. */
  public static String detail(String text, String secret) {
    String detail = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    if (secret != null && !secret.isBlank()) {
      detail = detail.replace(secret, "****");
    }
    if (detail.isEmpty()) {
      return "(empty body)";
    }
    return detail.length() <= MAX_DETAIL_CHARS
        ? detail
        : detail.substring(0, MAX_DETAIL_CHARS) + "...";
  }

  public static String describe(Throwable error) {
    String message = error.getMessage();
    String type = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
