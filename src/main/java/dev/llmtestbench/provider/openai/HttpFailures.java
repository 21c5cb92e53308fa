package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.ProviderException.Kind;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpHeaders;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How OpenAI-protocol services report failures: status codes, error bodies, retry hints. */
final class HttpFailures {

  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  private HttpFailures() {}

  static Kind kindOf(int status) {
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
    // Redirects are not followed (they would turn the POST into a GET), so any other status is
    // unusable.
    return Kind.INVALID_RESPONSE;
  }

  /**
   * The kind for an error answer: by status, except that a 429 saying the service is overloaded or
   * out of capacity (Mistral: "Service tier capacity exceeded for this model.") is a server
   * problem, not the caller's rate limit.
   */
  static Kind kindOf(int status, String body) {
    if (status == 429) {
      String said = (errorType(body) + " " + errorMessage(body)).toLowerCase(Locale.ROOT);
      if (said.contains("overloaded")
          || said.contains("capacity exceeded")
          || said.contains("capacity_exceeded")) {
        return Kind.SERVER_ERROR;
      }
    }
    return kindOf(status);
  }

  /**
   * The service's own words from an error body: OpenAI and Azure nest them under {@code error},
   * Mistral puts {@code message} at the top (sometimes an object with validation {@code detail}),
   * FastAPI-based servers answer {@code detail}. Falls back to the raw body.
   */
  static String errorMessage(String body) {
    try {
      JsonObject root = Wire.readObject(body);
      JsonValue error = root.get("error");
      if (error instanceof JsonObject object) {
        String text = describe(object.get("message"));
        if (text != null) {
          return text;
        }
      }
      if (error instanceof JsonString text) {
        return text.getString();
      }
      for (String key : List.of("message", "detail")) {
        String text = describe(root.get(key));
        if (text != null) {
          return text;
        }
      }
    } catch (RuntimeException notJson) {
      // Proxies and gateways answer errors in plain text or HTML: fall through to the raw body.
    }
    return body.isBlank() ? "(empty body)" : body;
  }

  /** The {@code type} or {@code code} of an error body, or null. */
  static String errorType(String body) {
    try {
      JsonObject root = Wire.readObject(body);
      JsonObject error = Wire.object(root, "error");
      JsonObject holder = error != null ? error : root;
      String type = Wire.string(holder, "type");
      String code = Wire.string(holder, "code");
      return type == null ? code : code == null ? type : type + "/" + code;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** The {@code error.code} of an error body, or null (Azure says {@code content_filter}). */
  static String errorCode(String body) {
    try {
      return Wire.string(Wire.object(Wire.readObject(body), "error"), "code");
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  // A message may be text, or (Mistral, FastAPI) an object or list of validation details.
  private static String describe(JsonValue value) {
    if (value instanceof JsonString text) {
      return text.getString();
    }
    if (value instanceof JsonObject object) {
      String detail = describe(object.get("detail"));
      return detail != null ? detail : object.toString();
    }
    if (value instanceof JsonArray items && !items.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (JsonValue item : items) {
        if (item instanceof JsonObject problem && Wire.string(problem, "msg") != null) {
          JsonArray loc = Wire.array(problem, "loc");
          parts.add((loc == null ? "" : joinLocation(loc) + ": ") + Wire.string(problem, "msg"));
        } else {
          parts.add(item instanceof JsonString s ? s.getString() : item.toString());
        }
      }
      return String.join("; ", parts);
    }
    return null;
  }

  private static String joinLocation(JsonArray loc) {
    List<String> parts = new ArrayList<>();
    for (JsonValue part : loc) {
      parts.add(part instanceof JsonString s ? s.getString() : part.toString());
    }
    return String.join(".", parts);
  }

  /**
   * How long the answer asks callers to wait, in milliseconds, or null: {@code retry-after-ms}
   * (Azure, OpenAI), then {@code Retry-After} in seconds or as an HTTP date, then, for a 429,
   * OpenAI's {@code x-ratelimit-reset-requests}/{@code -tokens} (durations such as {@code 6m0s}) of
   * the limit that is exhausted.
   */
  static Long retryAfterMillis(HttpHeaders headers, int status, long nowMillis) {
    Long millis = number(headers.firstValue("retry-after-ms").orElse(null), 1);
    if (millis != null) {
      return millis;
    }
    String retryAfter = headers.firstValue("retry-after").orElse(null);
    if (retryAfter != null) {
      Long seconds = number(retryAfter, 1000);
      if (seconds != null) {
        return seconds;
      }
      try {
        ZonedDateTime when =
            ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0L, when.toInstant().toEpochMilli() - nowMillis);
      } catch (DateTimeParseException unparsable) {
        // Neither form: ignore the header rather than guess.
      }
    }
    if (status != 429) {
      return null;
    }
    Long requests = goDuration(headers.firstValue("x-ratelimit-reset-requests").orElse(null));
    Long tokens = goDuration(headers.firstValue("x-ratelimit-reset-tokens").orElse(null));
    boolean requestsOut =
        "0".equals(headers.firstValue("x-ratelimit-remaining-requests").orElse(""));
    boolean tokensOut = "0".equals(headers.firstValue("x-ratelimit-remaining-tokens").orElse(""));
    if (requestsOut != tokensOut) {
      return requestsOut ? requests : tokens;
    }
    // Both or neither exhausted: waiting for the later reset is the safe choice.
    if (requests == null) {
      return tokens;
    }
    return tokens == null ? requests : Math.max(requests, tokens);
  }

  private static Long number(String text, long scale) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      double value = Double.parseDouble(text.strip());
      return value < 0 || Double.isNaN(value) ? null : Math.round(value * scale);
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  // OpenAI writes resets as Go durations: "1s", "6m0s", "20ms", "1h2m3.5s".
  static Long goDuration(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Matcher matcher = GO_DURATION.matcher(text.strip());
    double millis = 0;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        return null;
      }
      double value = Double.parseDouble(matcher.group(1));
      millis +=
          switch (matcher.group(2)) {
            case "h" -> value * 3_600_000;
            case "m" -> value * 60_000;
            case "s" -> value * 1000;
            default -> value;
          };
      end = matcher.end();
    }
    return end == 0 || end != text.strip().length() ? null : Math.round(millis);
  }
}
