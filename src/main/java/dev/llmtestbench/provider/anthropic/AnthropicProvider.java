package dev.llmtestbench.provider.anthropic;

import dev.llmtestbench.provider.anthropic.MessageStream.MalformedStreamException;
import dev.llmtestbench.provider.anthropic.MessageStream.StreamErrorException;
import dev.llmtestbench.provider.anthropic.MessagesResponse.ModelPage;
import dev.llmtestbench.provider.http.ProviderHttpClients;
import dev.llmtestbench.provider.http.TimedBodySubscriber;
import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A {@link Provider} for the Anthropic Messages API ({@code POST /v1/messages}, streamed or not)
 * and its model listing ({@code GET /v1/models}).
 *
 * <p>Settings read from {@link ProviderConfig#settings()}: {@code anthropic-version} (the {@code
 * anthropic-version} header, default {@value #DEFAULT_API_VERSION}), {@code default-max-tokens}
 * (the required {@code max_tokens} when a request sets none, default 1024) and {@code
 * max-context-tokens} (reported by {@link #capabilities}, default 200000). Request options {@code
 * top_p} and {@code top_k} are sent as the API's sampling parameters; other options are ignored.
 */
public final class AnthropicProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "anthropic";

  /** The Anthropic API endpoint used when none is configured. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");

  /** The API version sent unless the {@code anthropic-version} setting names another. */
  public static final String DEFAULT_API_VERSION = "2023-06-01";

  static final String SETTING_API_VERSION = "anthropic-version";
  static final String SETTING_DEFAULT_MAX_TOKENS = "default-max-tokens";
  static final String SETTING_MAX_CONTEXT_TOKENS = "max-context-tokens";
  static final int DEFAULT_MAX_TOKENS = 1024;
  static final int DEFAULT_CONTEXT_TOKENS = 200_000;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_DETAIL_CHARS = 300;
  // The listing holds a few dozen models; the bound only stops a server that pages forever.
  private static final int MAX_MODEL_PAGES = 20;

  private final ProviderConfig config;
  private final URI messagesUri;
  private final URI modelsUri;
  private final Duration defaultTimeout;
  private final String apiVersion;
  private final int defaultMaxTokens;
  private final int maxContextTokens;
  private final Map<String, String> headers;
  private final MessagesBody body;
  private final HttpClient client;
  private final Clock clock = Clock.systemUTC();

  /** Creates the adapter with the HTTP client's own executor. */
  public AnthropicProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates the adapter whose HTTP client runs its callbacks on {@code executor} (e.g. a managed
   * executor in the container); null means the client's default, which needs no shutdown.
   *
   * @throws IllegalArgumentException naming a base URL, setting or header that cannot be used
   */
  public AnthropicProvider(ProviderConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    URI base = config.baseUrl() == null ? DEFAULT_BASE_URL : config.baseUrl();
    this.messagesUri = apiUri(base, "messages");
    this.modelsUri = apiUri(base, "models");
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.apiVersion = config.setting(SETTING_API_VERSION, DEFAULT_API_VERSION).strip();
    if (apiVersion.isEmpty()) {
      throw new IllegalArgumentException("setting anthropic-version must not be blank");
    }
    this.defaultMaxTokens = positiveSetting(config, SETTING_DEFAULT_MAX_TOKENS, DEFAULT_MAX_TOKENS);
    this.maxContextTokens =
        positiveSetting(config, SETTING_MAX_CONTEXT_TOKENS, DEFAULT_CONTEXT_TOKENS);
    this.headers = requestHeaders(config, apiVersion);
    // Fails now, not on the first call, when a configured header is one the JDK client forbids.
    HttpRequest.Builder probe = HttpRequest.newBuilder(messagesUri);
    headers.forEach(probe::setHeader);
    this.body = new MessagesBody(config.name());
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

  @Override
  public String apiVersion() {
    return apiVersion;
  }

  /**
   * Every current Claude model streams, reads images and calls tools; none takes audio, returns log
   * probabilities or embeds. JSON mode stays false: only schema-bound JSON outputs exist.
   */
  @Override
  public Capabilities capabilities(String model) {
    return new Capabilities(true, true, false, true, false, false, false, false, maxContextTokens);
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.messages().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
      }
      int maxTokens = request.maxTokens() == null ? defaultMaxTokens : request.maxTokens();
      if (maxTokens < 1) {
        throw new ProviderException(
            Kind.BAD_REQUEST, name() + ": maxTokens must be at least 1, was " + maxTokens);
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      String json = body.build(request, model(request), maxTokens);
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(messagesUri)
              .timeout(timeout)
              .header("content-type", "application/json")
              .header("accept", request.stream() ? "text/event-stream" : "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json));
      headers.forEach(builder::setHeader);
      httpRequest = builder.build();
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new ProviderException(
              Kind.BAD_REQUEST,
              name() + ": cannot build the request: " + describe(e),
              null,
              0L,
              e));
    }
    return request.stream() ? stream(httpRequest, timeout) : single(httpRequest, timeout);
  }

  private CompletableFuture<Completion> single(HttpRequest httpRequest, Duration timeout) {
    return exchange(
        httpRequest,
        timeout,
        System.nanoTime(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
        new CompletableFuture<>(),
        (response, latency) -> {
          String text = response.body() == null ? "" : response.body();
          try {
            return MessagesResponse.parseMessage(text, latency);
          } catch (RuntimeException e) {
            throw invalid(e, text, response.statusCode(), latency);
          }
        });
  }

  private CompletableFuture<Completion> stream(HttpRequest httpRequest, Duration timeout) {
    long start = System.nanoTime();
    CompletableFuture<Completion> outcome = new CompletableFuture<>();
    // An error event or unreadable data ends the call at once instead of waiting for the body.
    MessageStream events = new MessageStream(start, outcome::completeExceptionally);
    BodyHandler<String> handler =
        info ->
            info.statusCode() / 100 == 2
                ? BodySubscribers.fromLineSubscriber(
                    events, ignored -> "", StandardCharsets.UTF_8, null)
                : BodySubscribers.ofString(StandardCharsets.UTF_8);
    return exchange(
        httpRequest,
        timeout,
        start,
        handler,
        outcome,
        (response, latency) -> events.completion(latency));
  }

  /**
   * Sends one request and completes with what {@code reader} makes of a 2xx answer; any failure
   * becomes a {@link ProviderException}. The deadline covers the whole exchange, body included,
   * since {@link HttpRequest#timeout} only bounds the wait for the response headers.
   *
   * @param outcome completed here, or earlier by whoever reads the body as it arrives
   */
  private <T> CompletableFuture<T> exchange(
      HttpRequest httpRequest,
      Duration timeout,
      long start,
      BodyHandler<String> handler,
      CompletableFuture<T> outcome,
      BiFunction<HttpResponse<String>, Long, T> reader) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<String>> call;
    AtomicLong bodyReadAt = new AtomicLong();
    try {
      call = client.sendAsync(httpRequest, TimedBodySubscriber.timed(handler, bodyReadAt));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          failure(e, httpRequest, timeout, System.nanoTime() - start));
    }
    call.whenComplete(
        (response, error) -> {
          long latency = TimedBodySubscriber.elapsed(bodyReadAt, start);
          if (error != null) {
            outcome.completeExceptionally(error);
            return;
          }
          try {
            if (response.statusCode() / 100 != 2) {
              throw httpError(response, latency);
            }
            outcome.complete(reader.apply(response, latency));
          } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
          }
        });
    outcome
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                result.complete(value);
                return;
              }
              // Also ends a stream that is still sending after an error event.
              call.cancel(true);
              result.completeExceptionally(
                  failure(error, httpRequest, timeout, System.nanoTime() - start));
            });
    // A cancelled run should not leave its HTTP exchanges running.
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled()) {
            call.cancel(true);
            outcome.cancel(false);
          }
        });
    return result;
  }

  /** The models {@code GET /v1/models} lists, following its pages. */
  @Override
  public CompletableFuture<List<ModelInfo>> listModels() {
    CompletableFuture<List<ModelInfo>> result = new CompletableFuture<>();
    fetchModels(null, new ArrayList<>(), 1, result);
    return result;
  }

  private void fetchModels(
      String afterId, List<ModelInfo> models, int page, CompletableFuture<List<ModelInfo>> result) {
    CompletableFuture<ModelPage> call;
    try {
      String query = "limit=1000";
      if (afterId != null) {
        query += "&after_id=" + URLEncoder.encode(afterId, StandardCharsets.UTF_8);
      }
      String base = modelsUri.toString();
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(base + (base.contains("?") ? "&" : "?") + query))
              .timeout(defaultTimeout)
              .header("accept", "application/json")
              .GET();
      headers.forEach(builder::setHeader);
      call =
          exchange(
              builder.build(),
              defaultTimeout,
              System.nanoTime(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
              new CompletableFuture<>(),
              (response, latency) -> {
                String text = response.body() == null ? "" : response.body();
                try {
                  return MessagesResponse.parseModels(text);
                } catch (RuntimeException e) {
                  throw invalid(e, text, response.statusCode(), latency);
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(
          new ProviderException(
              Kind.BAD_REQUEST, name() + ": cannot list models: " + describe(e), null, 0L, e));
      return;
    }
    call.whenComplete(
        (modelPage, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
            return;
          }
          models.addAll(modelPage.models());
          if (modelPage.nextAfterId() != null && page < MAX_MODEL_PAGES) {
            fetchModels(modelPage.nextAfterId(), models, page + 1, result);
          } else {
            result.complete(List.copyOf(models));
          }
        });
  }

  private String model(CompletionRequest request) {
    if (request.model() != null && !request.model().isBlank()) {
      return request.model();
    }
    if (config.models().isEmpty()) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": the request names no model and none is configured");
    }
    return config.models().get(0);
  }

  private ProviderException httpError(HttpResponse<String> response, long latency) {
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    String type = MessagesResponse.errorType(text);
    String detail = MessagesResponse.errorDetail(text);
    if (detail == null) {
      detail = text.isBlank() ? "(empty body)" : text;
    }
    String requestId = response.headers().firstValue("request-id").orElse(null);
    return new ProviderException(
        kindOf(status, type),
        name()
            + " returned HTTP "
            + status
            + ": "
            + safeDetail(detail)
            + (requestId == null ? "" : " (request-id " + safeDetail(requestId) + ")"),
        status,
        latency,
        RetryAfter.millis(response.headers().firstValue("retry-after"), clock),
        null);
  }

  /**
   * The failure kind of an HTTP error, where Anthropic's own error type can overrule the status.
   */
  static Kind kindOf(int status, String errorType) {
    // Overload is the server's trouble whatever status a gateway put on it.
    if ("overloaded_error".equals(errorType)) {
      return Kind.SERVER_ERROR;
    }
    if (status == 401 || status == 403) {
      return Kind.UNAUTHORIZED;
    } else if (status == 429) {
      return Kind.RATE_LIMITED;
    } else if (status == 408 || status == 504) {
      return Kind.TIMEOUT;
    } else if (status >= 400 && status < 500) {
      return Kind.BAD_REQUEST;
    } else if (status >= 500 && status < 600) {
      // 529 (overloaded) included: retryable like any server error.
      return Kind.SERVER_ERROR;
    }
    // Redirects are not followed (they would turn the POST into a GET): the answer is unusable.
    return Kind.INVALID_RESPONSE;
  }

  private ProviderException invalid(RuntimeException e, String text, int status, long latency) {
    return new ProviderException(
        Kind.INVALID_RESPONSE,
        name() + " returned an invalid response (" + describe(e) + "): " + safeDetail(text),
        status,
        latency,
        e);
  }

  private ProviderException failure(
      Throwable error, HttpRequest httpRequest, Duration timeout, long latency) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ProviderException e) {
      return e;
    }
    if (cause instanceof StreamErrorException e) {
      Kind kind = MessagesResponse.kindOfErrorType(e.error().type());
      return new ProviderException(
          kind == null ? Kind.SERVER_ERROR : kind,
          name() + " stream failed with an error event: " + safeDetail(e.getMessage()),
          200,
          latency,
          null);
    }
    if (cause instanceof MalformedStreamException e) {
      return new ProviderException(
          Kind.INVALID_RESPONSE,
          name() + " returned an invalid stream: " + safeDetail(e.getMessage()),
          200,
          latency,
          e);
    }
    String endpoint = withoutQuery(httpRequest.uri());
    Kind kind;
    String message;
    if (cause instanceof HttpConnectTimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out connecting to " + endpoint;
    } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out after " + timeout.toMillis() + " ms";
    } else if (cause instanceof ConnectException) {
      kind = Kind.NETWORK;
      message = name() + " could not connect to " + endpoint;
    } else {
      kind = Kind.NETWORK;
      String what = cause instanceof IOException ? "failed" : "failed unexpectedly";
      message = name() + " request to " + endpoint + " " + what + ": " + describe(cause);
    }
    return new ProviderException(kind, safeDetail(message), null, latency, cause);
  }

  private String safeDetail(String text) {
    String detail = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      detail = detail.replace(config.apiKey(), "****");
    }
    return detail.length() <= MAX_DETAIL_CHARS
        ? detail
        : detail.substring(0, MAX_DETAIL_CHARS) + "...";
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    String type = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static Map<String, String> requestHeaders(ProviderConfig config, String apiVersion) {
    // Case-insensitive so a configured header (e.g. a gateway's own auth) replaces a default one.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("anthropic-version", apiVersion);
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      headers.put("x-api-key", config.apiKey());
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  private static int positiveSetting(ProviderConfig config, String key, int fallback) {
    String value = config.setting(key, null);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        "setting " + key + " must be a positive integer, was '" + value + "'");
  }

  /**
   * {@code {base}/v1/{resource}}, keeping any query of the base URL (some gateways carry keys
   * there); a base that already ends in {@code /v1} is not given a second one.
   */
  static URI apiUri(URI baseUrl, String resource) {
    if (baseUrl == null
        || baseUrl.getHost() == null
        || !("http".equalsIgnoreCase(baseUrl.getScheme())
            || "https".equalsIgnoreCase(baseUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http(s) URL such as " + DEFAULT_BASE_URL);
    }
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    if (!path.endsWith("/v1")) {
      path += "/v1";
    }
    String query = baseUrl.getRawQuery() == null ? "" : "?" + baseUrl.getRawQuery();
    return URI.create(
        baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + path + "/" + resource + query);
  }

  private static String withoutQuery(URI uri) {
    // Error messages leave out user info and the query, which some gateways use for keys.
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return uri.getScheme() + "://" + uri.getHost() + port + uri.getRawPath();
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
