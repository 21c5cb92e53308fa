package dev.llmtestbench.provider.cohere;

import dev.llmtestbench.provider.http.ProviderHttpClients;
import dev.llmtestbench.provider.http.TimedBodySubscriber;
import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.RerankRequest;
import dev.llmtestbench.provider.spi.RerankResult;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A {@link Provider} for Cohere's API v2: chat (streamed or not, with tools, JSON mode, images and
 * log probabilities), embeddings, reranking and the model listing.
 */
public final class CohereProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "cohere";

  /** Setting: the embedding model when an embedding request names none. */
  public static final String EMBEDDING_MODEL = "embedding-model";

  /** Setting: Cohere's {@code input_type} for embeddings (search_document, search_query, ...). */
  public static final String INPUT_TYPE = "input-type";

  /** Setting: the rerank model when a rerank request names none. */
  public static final String RERANK_MODEL = "rerank-model";

  /** Setting: comma-separated models that take images, replacing the built-in rule. */
  public static final String VISION_MODELS = "vision-models";

  static final String DEFAULT_EMBEDDING_MODEL = "embed-v4.0";
  static final String DEFAULT_INPUT_TYPE = "search_document";
  static final String DEFAULT_RERANK_MODEL = "rerank-v3.5";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_DETAIL_CHARS = 300;
  private static final int MODEL_PAGE_SIZE = 1000;
  private static final int MAX_MODEL_PAGES = 20;
  // RFC 9110 says whole seconds; fractions are tolerated since some gateways send them.
  private static final Pattern DELAY_SECONDS = Pattern.compile("\\d{1,9}(\\.\\d+)?");

  private final ProviderConfig config;
  private final String origin;
  private final String basePath;
  private final String baseQuery;
  private final Duration defaultTimeout;
  private final Map<String, String> headers;
  private final Set<String> visionModels;
  private final HttpClient client;
  // Filled by listModels(), so capabilities() can tell a model's context length without a call.
  private final Map<String, Integer> contextTokens = new ConcurrentHashMap<>();

  /** Creates the adapter with the HTTP client's own executor. */
  public CohereProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates the adapter whose HTTP client runs its callbacks on {@code executor} (e.g. a managed
   * executor in the container); null means the client's default, which needs no shutdown.
   */
  public CohereProvider(ProviderConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    URI base = config.baseUrl();
    if (base == null
        || base.getHost() == null
        || !("http".equalsIgnoreCase(base.getScheme())
            || "https".equalsIgnoreCase(base.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http(s) URL such as https://api.cohere.com");
    }
    this.origin = base.getScheme() + "://" + base.getRawAuthority();
    // Each call names its API version (/v1/models, /v2/chat), so a configured version is dropped.
    String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    this.basePath = path.replaceAll("/v[12]$", "");
    this.baseQuery = base.getRawQuery();
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.headers = requestHeaders(config);
    String vision = config.settings().get(VISION_MODELS);
    this.visionModels =
        blank(vision)
            ? null
            : Arrays.stream(vision.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    // Fails now, not on the first call, when a configured header is one the JDK client forbids.
    HttpRequest.Builder probe = HttpRequest.newBuilder(uri("/v2/chat", null));
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

  @Override
  public String apiVersion() {
    return "v2";
  }

  @Override
  public Capabilities capabilities(String model) {
    return new Capabilities(
        true,
        model == null || isVisionModel(model),
        false,
        true,
        true,
        true,
        true,
        true,
        model == null ? null : contextTokens.get(model));
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.messages().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
      }
      String model = chatModel(request.model());
      timeout = timeout(request.timeout());
      String body = CohereRequests.chat(request, model, isVisionModel(model), name());
      httpRequest =
          post(
              uri("/v2/chat", null),
              body,
              timeout,
              // Errors come as JSON even when the answer would have been a stream.
              request.stream() ? "text/event-stream, application/json" : "application/json");
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(badRequest(e));
    }
    if (request.stream()) {
      return stream(httpRequest, timeout);
    }
    return send(
        httpRequest,
        timeout,
        (root, latency) -> {
          Completion completion = CohereResponses.chat(root, latency);
          if (CohereResponses.FINISH_ERROR.equals(completion.finishReason())) {
            throw new ProviderException(
                Kind.SERVER_ERROR,
                name() + " generation failed (finish_reason ERROR)",
                200,
                latency,
                null);
          }
          return completion;
        });
  }

  @Override
  public CompletableFuture<EmbeddingResult> embed(EmbeddingRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.inputs().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": no texts to embed");
      }
      String model =
          blank(request.model())
              ? setting(EMBEDDING_MODEL, DEFAULT_EMBEDDING_MODEL)
              : request.model();
      timeout = timeout(request.timeout());
      httpRequest =
          post(
              uri("/v2/embed", null),
              CohereRequests.embed(
                  request.inputs(), model, setting(INPUT_TYPE, DEFAULT_INPUT_TYPE)),
              timeout,
              "application/json");
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(badRequest(e));
    }
    int inputs = request.inputs().size();
    return send(
        httpRequest, timeout, (root, latency) -> CohereResponses.embed(root, inputs, latency));
  }

  @Override
  public CompletableFuture<RerankResult> rerank(RerankRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.documents().isEmpty() || blank(request.query())) {
        throw new ProviderException(
            Kind.BAD_REQUEST, name() + ": reranking needs a query and at least one document");
      }
      String model =
          blank(request.model()) ? setting(RERANK_MODEL, DEFAULT_RERANK_MODEL) : request.model();
      timeout = timeout(request.timeout());
      httpRequest =
          post(
              uri("/v2/rerank", null),
              CohereRequests.rerank(model, request.query(), request.documents(), request.topN()),
              timeout,
              "application/json");
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(badRequest(e));
    }
    int documents = request.documents().size();
    return send(
        httpRequest, timeout, (root, latency) -> CohereResponses.rerank(root, documents, latency));
  }

  /** Every page of {@code GET /v1/models}, fetched one after another. */
  @Override
  public CompletableFuture<List<ModelInfo>> listModels() {
    CompletableFuture<List<ModelInfo>> result = new CompletableFuture<>();
    modelPages(null, new ArrayList<>(), 0, result);
    return result;
  }

  /** One model from {@code GET /v1/models}: cheap, and it proves the key works. */
  @Override
  public CompletableFuture<HealthReport> health() {
    long t0 = System.nanoTime();
    return models("page_size=1", new ArrayList<>())
        .handle(
            (next, failure) -> {
              long latency = System.nanoTime() - t0;
              if (failure == null) {
                return new HealthReport(true, latency, "models listed");
              }
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              return new HealthReport(false, latency, cause.getMessage());
            });
  }

  // Completes result itself, so a failure reaches callers as the ProviderException, unwrapped.
  private void modelPages(
      String pageToken, List<ModelInfo> into, int page, CompletableFuture<List<ModelInfo>> result) {
    String query =
        "page_size="
            + MODEL_PAGE_SIZE
            + (pageToken == null
                ? ""
                : "&page_token=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
    models(query, into)
        .whenComplete(
            (next, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
              } else if (next != null && page + 1 < MAX_MODEL_PAGES) {
                modelPages(next, into, page + 1, result);
              } else {
                into.forEach(
                    m -> {
                      if (m.contextTokens() != null) {
                        contextTokens.put(m.id(), m.contextTokens());
                      }
                    });
                result.complete(Collections.unmodifiableList(into));
              }
            });
  }

  private CompletableFuture<String> models(String query, List<ModelInfo> into) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri("/v1/models", query)).timeout(defaultTimeout).GET();
    headers.forEach(builder::setHeader);
    builder.setHeader("Accept", "application/json");
    return send(
        builder.build(), defaultTimeout, (root, latency) -> CohereResponses.models(root, into));
  }

  /** Parses a successful JSON answer; may throw ProviderException or IllegalStateException. */
  private interface Parser<T> {
    T parse(JsonObject root, long latency);
  }

  private <T> CompletableFuture<T> send(HttpRequest request, Duration timeout, Parser<T> parser) {
    CompletableFuture<T> result = new CompletableFuture<>();
    long start = System.nanoTime();
    AtomicLong bodyReadAt = new AtomicLong();
    CompletableFuture<HttpResponse<String>> call;
    try {
      call =
          client.sendAsync(
              request, TimedBodySubscriber.timed(HttpResponse.BodyHandlers.ofString(), bodyReadAt));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure(e, timeout, System.nanoTime() - start));
    }
    call.whenComplete(
        (response, error) -> {
          long latency = TimedBodySubscriber.elapsed(bodyReadAt, start);
          if (error != null) {
            result.completeExceptionally(failure(error, timeout, latency));
            return;
          }
          String body = response.body() == null ? "" : response.body();
          try {
            if (!isSuccess(response.statusCode())) {
              throw httpError(response.statusCode(), response.headers(), body, latency);
            }
            result.complete(parser.parse(CohereJson.readObject(body), latency));
          } catch (ProviderException e) {
            result.completeExceptionally(e);
          } catch (RuntimeException e) {
            // JSON-P reports unreadable input as JsonException, shape problems as
            // IllegalStateException; whatever it is, the caller's future must still complete.
            result.completeExceptionally(
                new ProviderException(
                    Kind.INVALID_RESPONSE,
                    name()
                        + " returned an invalid response ("
                        + describe(e)
                        + "): "
                        + safeDetail(body),
                    response.statusCode(),
                    latency,
                    e));
          }
        });
    guard(result, call, timeout, start);
    return result;
  }

  private CompletableFuture<Completion> stream(HttpRequest request, Duration timeout) {
    CompletableFuture<Completion> result = new CompletableFuture<>();
    long start = System.nanoTime();
    AtomicLong bodyReadAt = new AtomicLong();
    CohereStream events = new CohereStream(start, result, name(), this::safeDetail);
    // Events are parsed as their lines arrive (so time to first token is real); error answers are
    // read whole.
    BodyHandler<String> handler =
        info ->
            isSuccess(info.statusCode())
                ? BodySubscribers.fromLineSubscriber(
                    events, subscriber -> "", StandardCharsets.UTF_8, null)
                : BodySubscribers.ofString(StandardCharsets.UTF_8);
    CompletableFuture<HttpResponse<String>> call;
    try {
      call = client.sendAsync(request, TimedBodySubscriber.timed(handler, bodyReadAt));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure(e, timeout, System.nanoTime() - start));
    }
    call.whenComplete(
        (response, error) -> {
          long latency = TimedBodySubscriber.elapsed(bodyReadAt, start);
          if (error != null) {
            result.completeExceptionally(failure(error, timeout, latency));
          } else if (!isSuccess(response.statusCode())) {
            String body = response.body() == null ? "" : response.body();
            result.completeExceptionally(
                httpError(response.statusCode(), response.headers(), body, latency));
          } else {
            // Normally settled already, by message-end or by the end of the stream.
            events.onComplete();
          }
        });
    guard(result, call, timeout, start);
    return result;
  }

  /**
   * Bounds the whole exchange, body included (HttpRequest.timeout only bounds the wait for the
   * headers), and aborts the HTTP exchange when the result fails or is cancelled.
   */
  private void guard(
      CompletableFuture<?> result, CompletableFuture<?> call, Duration timeout, long start) {
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    deadline
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (ignored, expired) -> {
              if (expired != null) {
                result.completeExceptionally(
                    new ProviderException(
                        Kind.TIMEOUT,
                        name() + " timed out after " + timeout.toMillis() + " ms",
                        null,
                        System.nanoTime() - start,
                        expired));
              }
            });
    result.whenComplete(
        (value, error) -> {
          // Completing the deadline cancels its timer.
          deadline.complete(null);
          if (error != null) {
            call.cancel(true);
          }
        });
  }

  private HttpRequest post(URI uri, String body, Duration timeout, String accept) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    builder.setHeader("Content-Type", "application/json");
    headers.forEach(builder::setHeader);
    builder.setHeader("Accept", accept);
    return builder.build();
  }

  private ProviderException httpError(int status, HttpHeaders headers, String body, long latency) {
    return new ProviderException(
        kindOf(status),
        name() + " returned HTTP " + status + ": " + safeDetail(CohereResponses.errorMessage(body)),
        status,
        latency,
        retryAfterMillis(headers.firstValue("Retry-After").orElse(null), Instant.now()),
        null);
  }

  private ProviderException failure(Throwable error, Duration timeout, long latency) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    Kind kind;
    String message;
    if (cause instanceof HttpConnectTimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out connecting to " + endpointForMessages();
    } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out after " + timeout.toMillis() + " ms";
    } else if (cause instanceof ConnectException) {
      kind = Kind.NETWORK;
      message = name() + " could not connect to " + endpointForMessages();
    } else {
      kind = Kind.NETWORK;
      String what = cause instanceof IOException ? "failed" : "failed unexpectedly";
      message =
          name() + " request to " + endpointForMessages() + " " + what + ": " + describe(cause);
    }
    return new ProviderException(kind, message, null, latency, cause);
  }

  private ProviderException badRequest(RuntimeException e) {
    return new ProviderException(
        Kind.BAD_REQUEST, name() + ": cannot build the request: " + e.getMessage(), null, 0L, e);
  }

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
    // Redirects are not followed (they would turn a POST into a GET), so anything else is unusable.
    return Kind.INVALID_RESPONSE;
  }

  /**
   * A {@code Retry-After} value (delay in seconds, or an HTTP date) in milliseconds from {@code
   * now}; null when absent or unreadable.
   */
  static Long retryAfterMillis(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.strip();
    if (DELAY_SECONDS.matcher(text).matches()) {
      return Math.round(Double.parseDouble(text) * 1000);
    }
    // Otherwise an HTTP date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0L, Duration.between(now, at).toMillis());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private boolean isVisionModel(String model) {
    if (visionModels != null) {
      return visionModels.contains(model);
    }
    // Cohere's image-capable chat models: Command A Vision, Command A+ and Aya Vision.
    String lower = model.toLowerCase(Locale.ROOT);
    return lower.contains("vision") || lower.startsWith("command-a-plus");
  }

  private String chatModel(String requested) {
    if (!blank(requested)) {
      return requested;
    }
    if (config.models().isEmpty()) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": the request names no model and none is configured");
    }
    return config.models().get(0);
  }

  // A setting left blank (e.g. an empty config value) means its default, not an empty model name.
  private String setting(String key, String fallback) {
    String value = config.setting(key, null);
    return blank(value) ? fallback : value.strip();
  }

  private Duration timeout(Duration requested) {
    return isPositive(requested) ? requested : defaultTimeout;
  }

  private URI uri(String path, String query) {
    String joined = baseQuery == null ? query : query == null ? baseQuery : baseQuery + "&" + query;
    return URI.create(origin + basePath + path + (joined == null ? "" : "?" + joined));
  }

  private String endpointForMessages() {
    // Messages leave out user info and the query, which some gateways use for keys.
    URI base = config.baseUrl();
    String port = base.getPort() < 0 ? "" : ":" + base.getPort();
    return base.getScheme() + "://" + base.getHost() + port + basePath;
  }

  private String safeDetail(String text) {
    String detail = text.replaceAll("\\s+", " ").trim();
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

  private static Map<String, String> requestHeaders(ProviderConfig config) {
    // Case-insensitive so a configured header (e.g. a gateway's own auth) replaces a default one.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      headers.put("Authorization", "Bearer " + config.apiKey());
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status <= 299;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
