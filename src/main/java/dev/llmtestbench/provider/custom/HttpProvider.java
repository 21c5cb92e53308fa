package dev.llmtestbench.provider.custom;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JakartaJsonProvider;
import com.jayway.jsonpath.spi.mapper.JakartaMappingProvider;
import dev.llmtestbench.provider.custom.HttpProviderSettings.Mapping;
import dev.llmtestbench.provider.http.HttpFailures;
import dev.llmtestbench.provider.http.ProviderHttpClients;
import dev.llmtestbench.provider.http.TimedBodySubscriber;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Provider} for an in-house HTTP endpoint described by settings, like promptfoo's {@code
 * http} provider: a JSON body template with placeholders, and JSONPaths to the answer's text, token
 * counts and finish reason. See {@link HttpProviderFactory} for the settings.
 *
 * <p>It sends one request per completion and reads one JSON answer: the {@code stream} flag is
 * ignored (no time to first token), and tools, response formats, image or audio parts and log
 * probabilities fail as UNSUPPORTED.
 */
public final class HttpProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "http";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern MODEL = Pattern.compile("\\{\\{\\s*model\\s*}}");
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());
  // JSON-P underneath JSONPath: strict parsing (json-smart, its default, accepts broken JSON).
  private static final Configuration JSONPATH =
      Configuration.builder()
          .jsonProvider(new JakartaJsonProvider())
          .mappingProvider(new JakartaMappingProvider())
          .build();

  private final ProviderConfig config;
  private final HttpProviderSettings settings;
  private final String base;
  private final String baseQuery;
  private final String endpointForMessages;
  private final Duration defaultTimeout;
  private final Map<String, String> headers;
  private final HttpClient client;

  /** Creates the adapter with the HTTP client's own executor. */
  public HttpProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates the adapter whose HTTP client runs its callbacks on {@code executor}; null means the
   * client's default. Throws IllegalArgumentException naming the setting that is wrong.
   */
  public HttpProvider(ProviderConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    URI baseUrl = config.baseUrl();
    if (baseUrl == null
        || baseUrl.getHost() == null
        || !("http".equalsIgnoreCase(baseUrl.getScheme())
            || "https".equalsIgnoreCase(baseUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl is required: an absolute http(s) URL such as https://llm.internal/v1");
    }
    this.settings = HttpProviderSettings.from(config.name(), config.settings());
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    this.base = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + path;
    this.baseQuery = baseUrl.getRawQuery();
    String port = baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort();
    // Messages leave out user info and queries, which gateways sometimes use for credentials.
    this.endpointForMessages = baseUrl.getScheme() + "://" + baseUrl.getHost() + port + path;
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.headers = requestHeaders(config, settings);
    HttpRequest.Builder probe = HttpRequest.newBuilder(endpoint("m"));
    headers.forEach(probe::setHeader);
    this.client = ProviderHttpClients.create(defaultTimeout, executor);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> models() {
    return config.models();
  }

  /**
   * Not checked: an in-house endpoint has no agreed health call, and a completion would cost money,
   * so this reports up without calling it and says so.
   */
  @Override
  public CompletableFuture<HealthReport> health() {
    return CompletableFuture.completedFuture(
        new HealthReport(true, 0L, "not checked: the http adapter has no health call"));
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      checkSupported(request);
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      String model =
          request.model() != null && !request.model().isBlank()
              ? request.model()
              : config.models().isEmpty() ? null : config.models().get(0);
      String body = settings.body().render(values(request, model)).toString();
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(endpoint(model == null ? "" : model))
              .timeout(timeout)
              .method(
                  settings.method(),
                  HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      headers.forEach(builder::setHeader);
      httpRequest = builder.build();
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new ProviderException(
              Kind.BAD_REQUEST,
              name() + ": cannot build the request: " + e.getMessage(),
              null,
              0L,
              e));
    }
    return send(httpRequest, timeout);
  }

  private void checkSupported(CompletionRequest request) {
    if (request == null || request.messages().isEmpty()) {
      throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
    }
    String missing = null;
    if (!request.tools().isEmpty()) {
      missing = "tools";
    } else if (request.responseFormat() != null
        && !ResponseFormat.TEXT.equals(request.responseFormat().type())) {
      missing = "response format " + request.responseFormat().type();
    } else if (request.topLogprobs() != null) {
      missing = "log probabilities";
    } else if (request.messages().stream().anyMatch(m -> !m.parts().isEmpty())) {
      missing = "image or audio parts";
    }
    if (missing != null) {
      throw new ProviderException(
          Kind.UNSUPPORTED, name() + ": the http adapter does not support " + missing);
    }
  }

  /** The placeholder values for one request; see {@link HttpProviderFactory}. */
  private Map<String, JsonValue> values(CompletionRequest request, String model) {
    Map<String, JsonValue> values = new HashMap<>();
    ChatMessage lastUser = null;
    StringJoiner system = new StringJoiner("\n\n");
    JsonArrayBuilder messages = JSON.createArrayBuilder();
    for (ChatMessage message : request.messages()) {
      if ("user".equals(message.role())) {
        lastUser = message;
      } else if ("system".equals(message.role())) {
        system.add(message.content());
      }
      messages.add(
          JSON.createObjectBuilder().add("role", message.role()).add("content", message.content()));
    }
    if (lastUser == null && settings.body().placeholders().contains("prompt")) {
      throw new ProviderException(
          Kind.BAD_REQUEST,
          name() + ": the body uses {{prompt}} but the request has no user message");
    }
    values.put("prompt", lastUser == null ? JsonValue.NULL : Json.createValue(lastUser.content()));
    values.put("system", Json.createValue(system.toString()));
    values.put("model", model == null ? JsonValue.NULL : Json.createValue(model));
    values.put("messages", messages.build());
    values.put(
        "temperature",
        request.temperature() == null
            ? JsonValue.NULL
            : Json.createValue(BigDecimal.valueOf(request.temperature())));
    values.put(
        "max_tokens",
        request.maxTokens() == null ? JsonValue.NULL : Json.createValue(request.maxTokens()));
    return values;
  }

  private CompletableFuture<Completion> send(HttpRequest request, Duration timeout) {
    CompletableFuture<Completion> result = new CompletableFuture<>();
    long start = System.nanoTime();
    AtomicLong bodyReadAt = new AtomicLong();
    CompletableFuture<HttpResponse<String>> exchange;
    try {
      exchange =
          client.sendAsync(
              request,
              TimedBodySubscriber.timed(
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), bodyReadAt));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          HttpFailures.transportFailure(
              name(), e, timeout, System.nanoTime() - start, endpointForMessages));
    }
    // HttpRequest.timeout only bounds the wait for the headers; this also bounds the body.
    exchange
        .copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              long latency = TimedBodySubscriber.elapsed(bodyReadAt, start);
              if (error != null) {
                exchange.cancel(true);
                result.completeExceptionally(
                    HttpFailures.transportFailure(
                        name(), error, timeout, latency, endpointForMessages));
                return;
              }
              try {
                result.complete(toCompletion(response, latency));
              } catch (ProviderException e) {
                result.completeExceptionally(e);
              } catch (RuntimeException e) {
                // Whatever goes wrong here, the caller's future must still complete.
                result.completeExceptionally(
                    new ProviderException(
                        Kind.INVALID_RESPONSE,
                        name() + " response could not be handled: " + HttpFailures.describe(e),
                        response.statusCode(),
                        latency,
                        e));
              }
            });
    // A cancelled run should not leave its HTTP exchange running.
    result.whenComplete(
        (completion, error) -> {
          if (error != null) {
            exchange.cancel(true);
          }
        });
    return result;
  }

  private Completion toCompletion(HttpResponse<String> response, long latency) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status / 100 != 2) {
      throw HttpFailures.httpError(
          name(), status, errorMessage(body), response.headers(), latency, config.apiKey());
    }
    JsonValue root;
    try (JsonReader reader = READER.createReader(new StringReader(body))) {
      root = reader.readValue();
    } catch (RuntimeException e) {
      throw invalid(
          "is not JSON (" + e.getMessage() + "): " + HttpFailures.detail(body, config.apiKey()),
          status,
          latency,
          e);
    }
    String text = read(settings.text(), root, status, latency);
    if (text == null) {
      throw invalid(
          "has no text at "
              + settings.text().setting()
              + " "
              + settings.text().expression()
              + ": "
              + HttpFailures.detail(body, config.apiKey()),
          status,
          latency,
          null);
    }
    Integer prompt = count(settings.promptTokens(), root, status, latency);
    Integer completion = count(settings.completionTokens(), root, status, latency);
    return new Completion(
        text,
        read(settings.finishReason(), root, status, latency),
        prompt,
        completion,
        prompt != null && completion != null ? prompt + completion : null,
        latency,
        null,
        response
            .headers()
            .firstValue("X-Request-Id")
            .orElse(response.headers().firstValue("Request-Id").orElse(null)));
  }

  /**
   * The text at {@code mapping} in {@code root}, or null where it matches nothing or only null.
   * Strings are taken as they are, numbers and booleans as written, objects and arrays as JSON; a
   * path that may match several values (wildcards, filters) joins them.
   */
  private String read(Mapping mapping, JsonValue root, int status, long latency) {
    if (mapping == null) {
      return null;
    }
    Object found;
    try {
      found = mapping.path().read(root, JSONPATH);
    } catch (PathNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      throw invalid(
          "cannot be read at "
              + mapping.setting()
              + " "
              + mapping.expression()
              + ": "
              + e.getMessage(),
          status,
          latency,
          e);
    }
    if (mapping.path().isDefinite()) {
      return textOf(found);
    }
    List<String> parts = new ArrayList<>();
    if (found instanceof Collection<?> items) {
      for (Object item : items) {
        String part = textOf(item);
        if (part != null) {
          parts.add(part);
        }
      }
    } else if (textOf(found) != null) {
      parts.add(textOf(found));
    }
    return parts.isEmpty() ? null : String.join("", parts);
  }

  private Integer count(Mapping mapping, JsonValue root, int status, long latency) {
    String text = read(mapping, root, status, latency);
    if (text == null) {
      return null;
    }
    try {
      return new BigDecimal(text.strip()).intValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw invalid(
          "has no whole number at "
              + mapping.setting()
              + " "
              + mapping.expression()
              + " (found "
              + HttpFailures.detail(text, config.apiKey())
              + ")",
          status,
          latency,
          e);
    }
  }

  private static String textOf(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonValue json) {
      if (json.getValueType() == JsonValue.ValueType.NULL) {
        return null;
      }
      if (json instanceof JsonString string) {
        return string.getString();
      }
      if (json instanceof JsonNumber number) {
        return number.toString();
      }
      return json.toString();
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    // Lists and maps the JSONPath provider built (e.g. from deep scans): back to JSON text.
    return JSONPATH.jsonProvider().toJson(value);
  }

  private ProviderException invalid(String what, int status, long latency, Throwable cause) {
    return new ProviderException(
        Kind.INVALID_RESPONSE, name() + " response " + what, status, latency, cause);
  }

  // The common error shapes: {"error": "..."}, {"error": {"message": "..."}}, {"message"},
  // {"detail"}; plain text or HTML from gateways as it is.
  static String errorMessage(String body) {
    try (JsonReader reader = READER.createReader(new StringReader(body))) {
      JsonObject root = reader.readObject();
      JsonValue error = root.get("error");
      if (error instanceof JsonString text) {
        return text.getString();
      }
      if (error instanceof JsonObject object && object.get("message") instanceof JsonString text) {
        return text.getString();
      }
      for (String key : List.of("message", "detail")) {
        if (root.get(key) instanceof JsonString text) {
          return text.getString();
        }
      }
    } catch (RuntimeException notJson) {
      // Fall through to the raw body.
    }
    return body;
  }

  private URI endpoint(String model) {
    String path = settings.path();
    Matcher matcher = MODEL.matcher(path);
    StringBuilder rendered = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(rendered, Matcher.quoteReplacement(encodeSegment(model)));
    }
    matcher.appendTail(rendered);
    String pathQuery = null;
    String pathOnly = rendered.toString();
    int question = pathOnly.indexOf('?');
    if (question >= 0) {
      pathQuery = pathOnly.substring(question + 1);
      pathOnly = pathOnly.substring(0, question);
    }
    pathOnly = pathOnly.replaceFirst("^/+", "");
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (baseQuery != null && !baseQuery.isEmpty()) {
      query.add(baseQuery);
    }
    if (pathQuery != null && !pathQuery.isEmpty()) {
      query.add(pathQuery);
    }
    return URI.create(base + (pathOnly.isEmpty() ? "" : "/" + pathOnly) + query);
  }

  // Percent-encodes a model name for a path segment, keeping what RFC 3986 allows unencoded there
  // that model names use (letters, digits, "-._~:@").
  static String encodeSegment(String value) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~:@".indexOf(c) >= 0) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(String.format("%02X", c));
      }
    }
    return encoded.toString();
  }

  private static Map<String, String> requestHeaders(
      ProviderConfig config, HttpProviderSettings settings) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    headers.putAll(settings.headers());
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      headers.put(
          settings.authHeader(),
          settings.authScheme().isEmpty()
              ? config.apiKey()
              : settings.authScheme() + " " + config.apiKey());
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
