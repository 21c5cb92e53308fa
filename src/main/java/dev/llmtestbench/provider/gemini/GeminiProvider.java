package dev.llmtestbench.provider.gemini;

import dev.llmtestbench.provider.gemini.GeminiWire.ApiError;
import dev.llmtestbench.provider.gemini.GeminiWire.SchemaFields;
import dev.llmtestbench.provider.http.ProviderHttpClients;
import dev.llmtestbench.provider.http.TimedBodySubscriber;
import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

/**
 * A {@link Provider} for the Google Gemini API (generativelanguage.googleapis.com): {@code
 * generateContent} and its SSE stream, {@code batchEmbedContents} and the model listing, with the
 * key sent in the {@code x-goog-api-key} header so it never appears in a URL.
 */
public final class GeminiProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "gemini";

  /** Setting: the API version path segment, {@code v1beta} unless set. */
  public static final String SETTING_API_VERSION = "api-version";

  /** Setting: the model {@link #embed} uses when the request names none. */
  public static final String SETTING_EMBEDDING_MODEL = "embedding-model";

  /** Setting: the embeddings' {@code taskType} (e.g. {@code RETRIEVAL_DOCUMENT}); unset: none. */
  public static final String SETTING_EMBEDDING_TASK_TYPE = "embedding-task-type";

  /** Setting: the embeddings' {@code outputDimensionality}; unset: the model's full size. */
  public static final String SETTING_EMBEDDING_DIMENSIONS = "embedding-dimensions";

  /**
   * Setting: {@code json-schema} (default) sends tool and response schemas as {@code
   * parametersJsonSchema}/{@code responseJsonSchema}; {@code openapi} as {@code parameters}/{@code
   * responseSchema}, Google's OpenAPI subset, for versions without the former.
   */
  public static final String SETTING_SCHEMA_FIELDS = "schema-fields";

  static final String DEFAULT_API_VERSION = "v1beta";
  static final String DEFAULT_EMBEDDING_MODEL = "gemini-embedding-001";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  // batchEmbedContents takes at most 100 requests per call.
  static final int MAX_EMBED_BATCH = 100;
  private static final int MAX_MODEL_PAGES = 20;
  private static final int MAX_DETAIL_CHARS = 300;
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern MODEL =
      Pattern.compile("(?:(?:models|tunedModels)/)?[A-Za-z0-9][A-Za-z0-9._-]*");

  private final ProviderConfig config;
  private final String base;
  private final String baseQuery;
  private final String baseForMessages;
  private final String apiVersion;
  private final String embeddingModel;
  private final String embeddingTaskType;
  private final Integer embeddingDimensions;
  private final SchemaFields schemaFields;
  private final Duration defaultTimeout;
  private final Map<String, String> headers;
  private final HttpClient client;
  // Filled by listModels(), so capabilities() can report context sizes once they are known.
  private final Map<String, Integer> contextTokens = new ConcurrentHashMap<>();

  /** Creates the adapter with the HTTP client's own executor. */
  public GeminiProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates the adapter whose HTTP client runs its callbacks on {@code executor} (e.g. a managed
   * executor in the container); null means the client's default, which needs no shutdown.
   */
  public GeminiProvider(ProviderConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    URI baseUrl = config.baseUrl();
    if (baseUrl == null
        || baseUrl.getHost() == null
        || !("http".equalsIgnoreCase(baseUrl.getScheme())
            || "https".equalsIgnoreCase(baseUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http(s) URL such as"
              + " https://generativelanguage.googleapis.com");
    }
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    this.base = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + path;
    this.baseQuery = baseUrl.getRawQuery();
    String port = baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort();
    // Messages leave out user info and the query, which gateways sometimes use for secrets.
    this.baseForMessages = baseUrl.getScheme() + "://" + baseUrl.getHost() + port + path;
    this.apiVersion = config.setting(SETTING_API_VERSION, DEFAULT_API_VERSION).strip();
    if (!VERSION.matcher(apiVersion).matches()) {
      throw new IllegalArgumentException(
          SETTING_API_VERSION + " must be a path segment such as v1beta or v1");
    }
    this.embeddingModel = config.setting(SETTING_EMBEDDING_MODEL, DEFAULT_EMBEDDING_MODEL).strip();
    if (!MODEL.matcher(embeddingModel).matches()) {
      throw new IllegalArgumentException(
          SETTING_EMBEDDING_MODEL + " must be a model id such as " + DEFAULT_EMBEDDING_MODEL);
    }
    String taskType = config.setting(SETTING_EMBEDDING_TASK_TYPE, "").strip();
    this.embeddingTaskType = taskType.isEmpty() ? null : taskType;
    this.embeddingDimensions = positiveInt(config.setting(SETTING_EMBEDDING_DIMENSIONS, ""));
    String fields = config.setting(SETTING_SCHEMA_FIELDS, "json-schema").strip();
    if ("json-schema".equalsIgnoreCase(fields)) {
      this.schemaFields = SchemaFields.JSON_SCHEMA;
    } else if ("openapi".equalsIgnoreCase(fields)) {
      this.schemaFields = SchemaFields.OPENAPI;
    } else {
      throw new IllegalArgumentException(
          SETTING_SCHEMA_FIELDS + " must be json-schema or openapi, not '" + fields + "'");
    }
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.headers = requestHeaders(config);
    // Fails now, not on the first call, when a configured header is one the JDK client forbids.
    HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(base));
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
    return apiVersion;
  }

  @Override
  public Capabilities capabilities(String model) {
    if (model == null) {
      return new Capabilities(true, true, true, true, true, true, true, false, null);
    }
    String id = modelId(model);
    Integer context = contextTokens.get(id);
    if (id.contains("embedding")) {
      return new Capabilities(false, false, false, false, false, false, true, false, context);
    }
    return new Capabilities(true, true, true, true, true, true, false, false, context);
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.messages().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
      }
      String model = modelPath(request.model());
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      String body = GeminiWire.generateContentBody(request, schemaFields, name()).toString();
      URI uri =
          request.stream()
              ? uri(model + ":streamGenerateContent", "alt=sse")
              : uri(model + ":generateContent", null);
      httpRequest = post(uri, body, timeout, request.stream());
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
    return request.stream()
        ? stream(httpRequest, timeout)
        : exchange(httpRequest, timeout, this::parseCompletion);
  }

  private Completion parseCompletion(String body, long latency) {
    GeminiWire.Answer answer = new GeminiWire.Answer();
    answer.add(GeminiWire.readObject(body));
    if (!answer.usable()) {
      throw new IllegalStateException("no candidates and no promptFeedback.blockReason");
    }
    return answer.completion(latency, null);
  }

  @Override
  public CompletableFuture<EmbeddingResult> embed(EmbeddingRequest request) {
    String modelPath;
    Duration timeout;
    try {
      if (request == null || request.inputs().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no inputs");
      }
      modelPath =
          modelPath(
              request.model() == null || request.model().isBlank()
                  ? embeddingModel
                  : request.model());
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<EmbeddingResult> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    embedBatch(request.inputs(), 0, modelPath, deadline, new ArrayList<>(), 0L, null, result);
    return result;
  }

  // Batches run one after another, so the caller's concurrency setting stays the only fan-out.
  private void embedBatch(
      List<String> inputs,
      int from,
      String modelPath,
      long deadline,
      List<float[]> vectors,
      long latency,
      Integer tokens,
      CompletableFuture<EmbeddingResult> result) {
    List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + MAX_EMBED_BATCH));
    HttpRequest httpRequest;
    Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
    try {
      if (!isPositive(remaining)) {
        throw new ProviderException(
            Kind.TIMEOUT, name() + " embeddings timed out between batches", null, latency, null);
      }
      String body =
          GeminiWire.batchEmbedBody(modelPath, batch, embeddingTaskType, embeddingDimensions)
              .toString();
      httpRequest = post(uri(modelPath + ":batchEmbedContents", null), body, remaining, false);
    } catch (ProviderException e) {
      result.completeExceptionally(e);
      return;
    }
    CompletableFuture<EmbeddingResult> call =
        exchange(
            httpRequest,
            remaining,
            (body, batchLatency) -> {
              JsonObject response = GeminiWire.readObject(body);
              Integer batchTokens =
                  response.get("usageMetadata") instanceof JsonObject usage
                      ? GeminiWire.integer(usage, "promptTokenCount")
                      : null;
              return new EmbeddingResult(
                  GeminiWire.embeddings(response, batch.size()), batchTokens, batchLatency, null);
            });
    result.whenComplete(
        (done, error) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    call.whenComplete(
        (part, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
            return;
          }
          vectors.addAll(part.vectors());
          long total = latency + part.latencyNanos();
          Integer sum =
              from == 0
                  ? part.promptTokens()
                  : tokens == null || part.promptTokens() == null
                      ? null
                      : tokens + part.promptTokens();
          int next = from + batch.size();
          if (next < inputs.size()) {
            embedBatch(inputs, next, modelPath, deadline, vectors, total, sum, result);
          } else {
            result.complete(new EmbeddingResult(vectors, sum, total, modelId(modelPath)));
          }
        });
  }

  @Override
  public CompletableFuture<List<ModelInfo>> listModels() {
    CompletableFuture<List<ModelInfo>> result = new CompletableFuture<>();
    modelsPage(null, 0, System.nanoTime() + defaultTimeout.toNanos(), new ArrayList<>(), result);
    return result;
  }

  private record ModelPage(List<ModelInfo> models, String nextPageToken) {}

  private void modelsPage(
      String pageToken,
      int page,
      long deadline,
      List<ModelInfo> models,
      CompletableFuture<List<ModelInfo>> result) {
    Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
    if (!isPositive(remaining)) {
      result.completeExceptionally(
          new ProviderException(
              Kind.TIMEOUT, name() + " model listing timed out between pages", null, 0L, null));
      return;
    }
    String query =
        "pageSize=1000"
            + (pageToken == null
                ? ""
                : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri("models", query)).timeout(remaining).GET();
    builder.setHeader("Accept", "application/json");
    headers.forEach(builder::setHeader);
    CompletableFuture<ModelPage> call =
        exchange(builder.build(), remaining, (body, latency) -> parseModels(body));
    result.whenComplete(
        (done, error) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    call.whenComplete(
        (listed, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
            return;
          }
          models.addAll(listed.models());
          if (listed.nextPageToken() != null && page + 1 < MAX_MODEL_PAGES) {
            modelsPage(listed.nextPageToken(), page + 1, deadline, models, result);
          } else {
            result.complete(List.copyOf(models));
          }
        });
  }

  private ModelPage parseModels(String body) {
    JsonObject root = GeminiWire.readObject(body);
    List<ModelInfo> models = new ArrayList<>();
    JsonValue list = root.get("models");
    // An empty listing comes as {} because proto3 JSON omits empty repeated fields.
    if (list != null && !(list instanceof JsonArray)) {
      throw new IllegalStateException("models is not an array");
    }
    if (list instanceof JsonArray array) {
      for (JsonValue value : array) {
        if (!(value instanceof JsonObject model) || GeminiWire.string(model, "name") == null) {
          throw new IllegalStateException("a model has no name");
        }
        String id = modelId(GeminiWire.string(model, "name"));
        String description = GeminiWire.string(model, "description");
        if (description == null) {
          description = GeminiWire.string(model, "displayName");
        }
        Integer context = GeminiWire.integer(model, "inputTokenLimit");
        if (context != null) {
          contextTokens.put(id, context);
        }
        models.add(new ModelInfo(id, description, context));
      }
    }
    String next = GeminiWire.string(root, "nextPageToken");
    return new ModelPage(models, next == null || next.isEmpty() ? null : next);
  }

  /** Reads a response body into a result; runtime exceptions mean the body was unusable. */
  private interface BodyReader<T> {
    T read(String body, long latencyNanos);
  }

  private <T> CompletableFuture<T> exchange(
      HttpRequest httpRequest, Duration timeout, BodyReader<T> reader) {
    CompletableFuture<T> result = new CompletableFuture<>();
    long start = System.nanoTime();
    AtomicLong bodyReadAt = new AtomicLong();
    CompletableFuture<HttpResponse<String>> call;
    try {
      call =
          client.sendAsync(
              httpRequest,
              TimedBodySubscriber.timed(
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), bodyReadAt));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          transportFailure(e, timeout, System.nanoTime() - start, -1));
    }
    // HttpRequest.timeout only bounds the wait for the response headers; this also bounds the body.
    call.copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              long latency = TimedBodySubscriber.elapsed(bodyReadAt, start);
              try {
                if (error != null) {
                  call.cancel(true);
                  throw transportFailure(error, timeout, latency, -1);
                }
                String body = response.body() == null ? "" : response.body();
                int status = response.statusCode();
                if (status < 200 || status > 299) {
                  throw httpFailure(response, body, latency);
                }
                try {
                  result.complete(reader.read(body, latency));
                } catch (ProviderException e) {
                  throw e;
                } catch (RuntimeException e) {
                  // JSON-P reports unreadable input as JsonException, shape problems as
                  // IllegalStateException.
                  throw new ProviderException(
                      Kind.INVALID_RESPONSE,
                      name()
                          + " returned an invalid response ("
                          + e.getMessage()
                          + "): "
                          + safeDetail(body),
                      status,
                      latency,
                      e);
                }
              } catch (ProviderException e) {
                result.completeExceptionally(e);
              } catch (RuntimeException e) {
                // Whatever goes wrong here, the caller's future must still complete.
                result.completeExceptionally(
                    new ProviderException(
                        Kind.INVALID_RESPONSE,
                        name() + " response could not be handled: " + describe(e),
                        null,
                        latency,
                        e));
              }
            });
    // A cancelled run should not leave its HTTP exchanges running.
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    return result;
  }

  private CompletableFuture<Completion> stream(HttpRequest httpRequest, Duration timeout) {
    CompletableFuture<Completion> result = new CompletableFuture<>();
    long start = System.nanoTime();
    AtomicLong bodyReadAt = new AtomicLong();
    GeminiSseSubscriber events =
        new GeminiSseSubscriber(this, start, result::completeExceptionally);
    // Success bodies are read line by line as they arrive; error bodies whole, for their message.
    HttpResponse.BodyHandler<String> handler =
        info ->
            info.statusCode() >= 200 && info.statusCode() < 300
                ? HttpResponse.BodySubscribers.fromLineSubscriber(
                    events, subscriber -> (String) null, StandardCharsets.UTF_8, null)
                : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
    CompletableFuture<HttpResponse<String>> call;
    try {
      call = client.sendAsync(httpRequest, TimedBodySubscriber.timed(handler, bodyReadAt));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          transportFailure(e, timeout, System.nanoTime() - start, 0));
    }
    call.copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              long latency = TimedBodySubscriber.elapsed(bodyReadAt, start);
              if (result.isDone()) {
                return; // the stream itself already failed the call
              }
              try {
                if (error != null) {
                  throw transportFailure(error, timeout, latency, events.events());
                }
                int status = response.statusCode();
                if (status < 200 || status > 299) {
                  throw httpFailure(
                      response, response.body() == null ? "" : response.body(), latency);
                }
                GeminiWire.Answer answer = events.answer();
                if (!answer.finished()) {
                  throw new ProviderException(
                      Kind.INVALID_RESPONSE,
                      name()
                          + " stream ended after "
                          + events.events()
                          + " event(s) without a final chunk (no finishReason)",
                      status,
                      latency,
                      null);
                }
                result.complete(answer.completion(latency, events.timeToFirstTokenNanos()));
              } catch (ProviderException e) {
                result.completeExceptionally(e);
              } catch (RuntimeException e) {
                result.completeExceptionally(
                    new ProviderException(
                        Kind.INVALID_RESPONSE,
                        name() + " stream could not be handled: " + describe(e),
                        null,
                        latency,
                        e));
              }
            });
    // Whether it failed, timed out or was cancelled, nothing more is read from this stream.
    result.whenComplete(
        (completion, error) -> {
          if (error != null) {
            events.cancel();
            call.cancel(true);
          }
        });
    return result;
  }

  /** The failure for an {@code error} object that arrived inside a 200 stream. */
  ProviderException streamFailure(ApiError error, long latency) {
    int code = error.code() == null ? 500 : error.code();
    return new ProviderException(
        kindOf(code, error),
        name()
            + " stream reported error "
            + code
            + (error.status() == null ? "" : " " + error.status())
            + ": "
            + safeDetail(error.message() == null ? "(no message)" : error.message()),
        200,
        latency,
        error.retryDelayMillis(),
        null);
  }

  private ProviderException httpFailure(HttpResponse<?> response, String body, long latency) {
    int status = response.statusCode();
    ApiError error = GeminiWire.apiError(body);
    // The header wins; Google itself states the wait in a RetryInfo detail of the error.
    Long retryAfter = retryAfterMillis(response.headers().firstValue("Retry-After"));
    if (retryAfter == null && error != null) {
      retryAfter = error.retryDelayMillis();
    }
    String detail =
        error != null && error.message() != null
            ? error.message()
            : body.isBlank() ? "(empty body)" : body;
    return new ProviderException(
        kindOf(status, error),
        name()
            + " returned HTTP "
            + status
            + (error != null && error.status() != null ? " " + error.status() : "")
            + ": "
            + safeDetail(detail),
        status,
        latency,
        retryAfter,
        null);
  }

  static Kind kindOf(int status, ApiError error) {
    // An invalid key comes back as 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
    if (error != null && error.keyRejected()) {
      return Kind.UNAUTHORIZED;
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
      // 503 UNAVAILABLE is how Gemini says "the model is overloaded".
      return Kind.SERVER_ERROR;
    }
    // Redirects are not followed (they would turn the POST into a GET), so any other status is
    // unusable.
    return Kind.INVALID_RESPONSE;
  }

  /**
   * Retry-After as delay-seconds or an HTTP date, in milliseconds; null when absent or unusable.
   */
  static Long retryAfterMillis(Optional<String> header) {
    if (header.isEmpty() || header.get().isBlank()) {
      return null;
    }
    String value = header.get().strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? null : TimeUnit.SECONDS.toMillis(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0L, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  private ProviderException transportFailure(
      Throwable error, Duration timeout, long latency, int eventsRead) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String progress = eventsRead > 0 ? " after " + eventsRead + " streamed event(s)" : "";
    Kind kind;
    String message;
    if (cause instanceof HttpConnectTimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out connecting to " + baseForMessages;
    } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out after " + timeout.toMillis() + " ms" + progress;
    } else if (cause instanceof ConnectException) {
      kind = Kind.NETWORK;
      message = name() + " could not connect to " + baseForMessages;
    } else {
      // A connection reset or closed mid-answer is a network failure, retryable as such.
      kind = Kind.NETWORK;
      String what = cause instanceof IOException ? "failed" : "failed unexpectedly";
      message =
          name()
              + " request to "
              + baseForMessages
              + " "
              + what
              + progress
              + ": "
              + describe(cause);
    }
    return new ProviderException(kind, message, null, latency, cause);
  }

  private HttpRequest post(URI uri, String body, Duration timeout, boolean stream) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    builder.setHeader("Content-Type", "application/json");
    builder.setHeader("Accept", stream ? "text/event-stream" : "application/json");
    headers.forEach(builder::setHeader);
    return builder.build();
  }

  private URI uri(String path, String query) {
    String joined = query == null ? baseQuery : baseQuery == null ? query : query + "&" + baseQuery;
    return URI.create(base + "/" + apiVersion + "/" + path + (joined == null ? "" : "?" + joined));
  }

  /** {@code models/<id>} (or a tuned model's path) for the request's model or the first one. */
  private String modelPath(String model) {
    if (model == null || model.isBlank()) {
      if (config.models().isEmpty()) {
        throw new ProviderException(
            Kind.BAD_REQUEST, name() + ": the request names no model and none is configured");
      }
      model = config.models().get(0);
    }
    model = model.strip();
    // The id becomes part of the URL path, so only characters of real model ids are let through.
    if (!MODEL.matcher(model).matches()) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": '" + model + "' is not a Gemini model id");
    }
    return model.contains("/") ? model : "models/" + model;
  }

  private static String modelId(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
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
    // Case-insensitive so a configured header (e.g. a gateway's own auth) replaces the default.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      headers.put("x-goog-api-key", config.apiKey());
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  private static Integer positiveInt(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      int number = Integer.parseInt(value.strip());
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        SETTING_EMBEDDING_DIMENSIONS + " must be a positive integer, not '" + value + "'");
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }

  @Override
  public String toString() {
    return "GeminiProvider[" + name() + ", " + baseForMessages + ", " + apiVersion + "]";
  }
}
