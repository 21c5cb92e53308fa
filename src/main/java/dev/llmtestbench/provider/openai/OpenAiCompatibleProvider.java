package dev.llmtestbench.provider.openai;

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
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Provider} for any server speaking the OpenAI Chat Completions protocol: OpenAI itself,
 * vLLM, llama.cpp server, Ollama and LM Studio, and, through an {@link OpenAiDialect}, Azure OpenAI
 * and Mistral.
 *
 * <p>It streams over server-sent events when a request asks for it (time to first token is taken at
 * the first text or tool-call delta), sends tools, JSON mode and JSON Schema response formats, log
 * probabilities, and image and audio parts, and offers embeddings and the model listing. Of a
 * request's {@code options} it reads {@code seed}, {@code top_p} and {@code tool_choice} ({@code
 * auto}, {@code none}, {@code required}, or a function name). Settings ({@link
 * ProviderConfig#settings()}) are read by the dialect; for OpenAI see {@link
 * #MAX_TOKENS_FIELD_SETTING}, {@link #STREAM_USAGE_SETTING} and {@link #EMBEDDING_MODEL_SETTING}.
 *
 * <p>Every call is bounded by one deadline over the whole exchange (the request's timeout, else the
 * configured one); the API key is sent only in its header and scrubbed from error messages.
 */
public final class OpenAiCompatibleProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "openai";

  /**
   * Setting naming the body field that limits output tokens: {@code max_tokens} or {@code
   * max_completion_tokens}; by default the latter for model names starting with {@code o1}, {@code
   * o3}, {@code o4} or {@code gpt-5} (which reject {@code max_tokens}), the former otherwise.
   */
  public static final String MAX_TOKENS_FIELD_SETTING = "max-tokens-field";

  /**
   * Setting ({@code true}/{@code false}, default {@code true}) whether streamed requests send
   * {@code stream_options: {"include_usage": true}}; turn it off for servers that reject it.
   */
  public static final String STREAM_USAGE_SETTING = "stream-include-usage";

  /** Setting naming the embedding model used when a request names none. */
  public static final String EMBEDDING_MODEL_SETTING = "embedding-model";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_DETAIL_CHARS = 300;

  private final ProviderConfig config;
  private final OpenAiDialect dialect;
  private final ChatRequestWriter writer;
  private final Duration defaultTimeout;
  private final Map<String, String> headers;
  private final HttpClient client;

  /** Creates an OpenAI adapter with the HTTP client's own executor. */
  public OpenAiCompatibleProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates an OpenAI adapter whose HTTP client runs its callbacks on {@code executor} (e.g. a
   * managed executor in the container); null means the client's default, which needs no shutdown.
   */
  public OpenAiCompatibleProvider(ProviderConfig config, Executor executor) {
    this(config, StandardOpenAiDialect.of(config), executor);
  }

  /** Creates an adapter speaking {@code dialect} of the protocol (Azure OpenAI, Mistral, ...). */
  public OpenAiCompatibleProvider(ProviderConfig config, OpenAiDialect dialect, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    OpenAiUris.requireHttp(config.baseUrl());
    this.writer = new ChatRequestWriter(dialect, config.name());
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.headers = requestHeaders(config, dialect);
    // Fails now, not on the first call, when a configured header is one the JDK client forbids.
    HttpRequest.Builder probe = HttpRequest.newBuilder(config.baseUrl());
    headers.forEach(probe::setHeader);
    this.client = ProviderHttpClients.create(defaultTimeout, executor);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return dialect.type();
  }

  @Override
  public List<String> models() {
    return config.models();
  }

  @Override
  public Capabilities capabilities(String model) {
    return dialect.capabilities(model);
  }

  @Override
  public String apiVersion() {
    return dialect.apiVersion();
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.messages().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
      }
      String model = modelOrDefault(request.model());
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      String body = writer.body(request, model).toString();
      httpRequest =
          post(
              dialect.chatCompletionsUri(config.baseUrl(), model),
              body,
              timeout,
              request.stream() ? "text/event-stream" : "application/json");
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(cannotBuild(e));
    }
    if (!request.stream()) {
      return exchange(
          httpRequest,
          timeout,
          HttpResponse.BodyHandlers.ofString(),
          (response, start, latency) -> {
            String body = bodyOf(response);
            if (!isSuccess(response.statusCode())) {
              return chatError(response, body, latency);
            }
            return parse(response, body, latency, root -> ChatAnswer.of(root))
                .toCompletion(latency, null);
          });
    }
    HttpResponse.BodyHandler<ChatStream> lines =
        info -> {
          String type = info.headers().firstValue("Content-Type").orElse("");
          boolean events =
              isSuccess(info.statusCode())
                  && !type.toLowerCase(Locale.ROOT).startsWith("application/json");
          return HttpResponse.BodySubscribers.fromLineSubscriber(
              new ChatStream(!events), stream -> stream, StandardCharsets.UTF_8, null);
        };
    return exchange(
        httpRequest,
        timeout,
        lines,
        (response, start, latency) -> streamed(response, start, latency));
  }

  private Completion streamed(HttpResponse<ChatStream> response, long start, long latency) {
    ChatStream stream = response.body();
    if (!isSuccess(response.statusCode())) {
      return chatError(response, stream.body(), latency);
    }
    if (stream.raw()) {
      // The server ignored stream: true and answered one JSON document; take it as it is.
      return parse(response, stream.body(), latency, root -> ChatAnswer.of(root))
          .toCompletion(latency, null);
    }
    if (stream.problem() != null) {
      throw new ProviderException(
          stream.problemKind(),
          name() + " stream failed: " + safeDetail(stream.problem()),
          response.statusCode(),
          latency,
          stream.problemCause());
    }
    if (!stream.done()) {
      throw new ProviderException(
          Kind.INVALID_RESPONSE,
          name()
              + " stream ended after "
              + stream.events()
              + " event(s) without data: [DONE]; the answer is incomplete",
          response.statusCode(),
          latency,
          null);
    }
    Long firstToken = stream.firstTokenAt() == null ? null : stream.firstTokenAt() - start;
    return stream.answer().toCompletion(latency, firstToken);
  }

  // Azure rejects a prompt its content filter flags with 400 code content_filter: that is a
  // blocked answer to record, not a malformed request.
  private Completion chatError(HttpResponse<?> response, String body, long latency) {
    if (response.statusCode() == 400
        && ChatAnswer.CONTENT_FILTER.equals(HttpFailures.errorCode(body))) {
      return ChatAnswer.blockedPrompt().toCompletion(latency, null);
    }
    throw errorAnswer(response, body, latency);
  }

  @Override
  public CompletableFuture<EmbeddingResult> embed(EmbeddingRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    int inputs;
    try {
      if (request == null || request.inputs().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": nothing to embed");
      }
      inputs = request.inputs().size();
      String model = request.model();
      if (model == null || model.isBlank()) {
        model = config.setting(EMBEDDING_MODEL_SETTING, dialect.defaultEmbeddingModel());
      }
      if (model == null || model.isBlank()) {
        throw new ProviderException(
            Kind.BAD_REQUEST,
            name()
                + ": the request names no embedding model and setting "
                + EMBEDDING_MODEL_SETTING
                + " is not set");
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      JsonArrayBuilder input = Wire.JSON.createArrayBuilder();
      request.inputs().forEach(text -> input.add(text == null ? "" : text));
      JsonObjectBuilder body = Wire.JSON.createObjectBuilder();
      if (dialect.modelInBody()) {
        body.add("model", model);
      }
      body.add("input", input);
      httpRequest =
          post(
              dialect.embeddingsUri(config.baseUrl(), model),
              body.build().toString(),
              timeout,
              "application/json");
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(cannotBuild(e));
    }
    return exchange(
        httpRequest,
        timeout,
        HttpResponse.BodyHandlers.ofString(),
        (response, start, latency) -> {
          String body = bodyOf(response);
          if (!isSuccess(response.statusCode())) {
            throw errorAnswer(response, body, latency);
          }
          return parse(response, body, latency, root -> embeddings(root, inputs, latency));
        });
  }

  private static EmbeddingResult embeddings(JsonObject root, int inputs, long latency) {
    JsonArray data = Wire.array(root, "data");
    if (data == null || data.size() != inputs) {
      throw new IllegalStateException(
          "expected " + inputs + " embedding(s), got " + (data == null ? "no data" : data.size()));
    }
    float[][] vectors = new float[inputs][];
    for (int i = 0; i < data.size(); i++) {
      JsonObject item = data.getJsonObject(i);
      Integer index = Wire.integer(item, "index");
      int slot = index == null ? i : index;
      JsonArray embedding = Wire.array(item, "embedding");
      if (slot < 0 || slot >= inputs || vectors[slot] != null || embedding == null) {
        throw new IllegalStateException("data[" + i + "] has no usable index or embedding");
      }
      float[] vector = new float[embedding.size()];
      for (int j = 0; j < vector.length; j++) {
        vector[j] = (float) ((JsonNumber) embedding.get(j)).doubleValue();
      }
      vectors[slot] = vector;
    }
    return new EmbeddingResult(
        List.of(vectors),
        Wire.integer(Wire.object(root, "usage"), "prompt_tokens"),
        latency,
        Wire.string(root, "model"));
  }

  /** The service's model listing ({@code GET /models}), or the configured models where none. */
  @Override
  public CompletableFuture<List<ModelInfo>> listModels() {
    URI uri;
    try {
      uri = dialect.modelsUri(config.baseUrl());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(cannotBuild(e));
    }
    if (uri == null) {
      return Provider.super.listModels();
    }
    return getModels(uri);
  }

  @Override
  public CompletableFuture<HealthReport> health() {
    URI uri;
    try {
      uri = dialect.healthUri(config.baseUrl());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new HealthReport(false, 0L, e.getMessage()));
    }
    if (uri == null) {
      return Provider.super.health();
    }
    long t0 = System.nanoTime();
    return getModels(uri)
        .handle(
            (models, failure) ->
                failure == null
                    ? new HealthReport(true, System.nanoTime() - t0, models.size() + " model(s)")
                    : new HealthReport(false, System.nanoTime() - t0, failure.getMessage()));
  }

  private CompletableFuture<List<ModelInfo>> getModels(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(defaultTimeout).GET();
    headers.forEach(builder::setHeader);
    return exchange(
        builder.build(),
        defaultTimeout,
        HttpResponse.BodyHandlers.ofString(),
        (response, start, latency) -> {
          String body = bodyOf(response);
          if (!isSuccess(response.statusCode())) {
            throw errorAnswer(response, body, latency);
          }
          return parse(response, body, latency, OpenAiCompatibleProvider::models);
        });
  }

  // OpenAI lists ids only; Mistral adds a description and max_context_length.
  private static List<ModelInfo> models(JsonObject root) {
    JsonArray data = Wire.array(root, "data");
    if (data == null) {
      throw new IllegalStateException("no data");
    }
    List<ModelInfo> models = new ArrayList<>(data.size());
    for (JsonValue value : data) {
      if (value instanceof JsonObject model && Wire.string(model, "id") != null) {
        Integer context = Wire.integer(model, "max_context_length");
        models.add(
            new ModelInfo(
                Wire.string(model, "id"),
                Wire.string(model, "description"),
                context != null ? context : Wire.integer(model, "context_window")));
      }
    }
    return models;
  }

  /** What to do with an HTTP answer once it has been read. */
  private interface ResponseHandler<T, R> {
    R handle(HttpResponse<T> response, long start, long latency);
  }

  /** Sends {@code httpRequest} and hands the answer, once read, to {@code handler}. */
  private <T, R> CompletableFuture<R> exchange(
      HttpRequest httpRequest,
      Duration timeout,
      HttpResponse.BodyHandler<T> bodyHandler,
      ResponseHandler<T, R> handler) {
    CompletableFuture<R> result = new CompletableFuture<>();
    URI uri = httpRequest.uri();
    long start = System.nanoTime();
    // Once the headers are in, a broken connection means a cut-off answer rather than none.
    AtomicBoolean answered = new AtomicBoolean();
    AtomicLong bodyReadAt = new AtomicLong();
    CompletableFuture<HttpResponse<T>> call;
    try {
      call =
          client.sendAsync(
              httpRequest,
              info -> {
                answered.set(true);
                return new TimedBodySubscriber<>(bodyHandler.apply(info), bodyReadAt);
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          failure(e, timeout, System.nanoTime() - start, uri, false));
    }
    // HttpRequest.timeout only bounds the wait for the response headers; this also bounds the body.
    call.copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              // Stamped when the body was read, not when a thread got round to this callback.
              long end = bodyReadAt.get();
              long latency = (end != 0 ? end : System.nanoTime()) - start;
              try {
                if (error != null) {
                  call.cancel(true);
                  throw failure(error, timeout, latency, uri, answered.get());
                }
                result.complete(handler.handle(response, start, latency));
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

  /** What to read from a successful JSON answer. */
  private interface BodyParser<R> {
    R parse(JsonObject root);
  }

  private <R> R parse(HttpResponse<?> response, String body, long latency, BodyParser<R> parser) {
    try {
      return parser.parse(Wire.readObject(body));
    } catch (RuntimeException e) {
      // JSON-P reports unreadable input as JsonException; shape problems arrive as
      // IllegalStateException or ClassCastException.
      throw new ProviderException(
          Kind.INVALID_RESPONSE,
          name() + " returned an invalid response (" + e.getMessage() + "): " + safeDetail(body),
          response.statusCode(),
          latency,
          e);
    }
  }

  private ProviderException errorAnswer(HttpResponse<?> response, String body, long latency) {
    int status = response.statusCode();
    return new ProviderException(
        HttpFailures.kindOf(status, body),
        name() + " returned HTTP " + status + ": " + safeDetail(HttpFailures.errorMessage(body)),
        status,
        latency,
        HttpFailures.retryAfterMillis(response.headers(), status, System.currentTimeMillis()),
        null);
  }

  private ProviderException failure(
      Throwable error, Duration timeout, long latency, URI uri, boolean answered) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String endpoint = OpenAiUris.forMessages(uri);
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
    } else if (answered
        && cause instanceof IOException
        && !causedBy(cause, SocketException.class)) {
      // The server ended the body early (an orderly EOF), not the network failing (a reset).
      kind = Kind.INVALID_RESPONSE;
      message = name() + " answer from " + endpoint + " was cut off: " + describe(cause);
    } else {
      kind = Kind.NETWORK;
      String what = cause instanceof IOException ? "failed" : "failed unexpectedly";
      message = name() + " request to " + endpoint + " " + what + ": " + describe(cause);
    }
    return new ProviderException(kind, message, null, latency, cause);
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private ProviderException cannotBuild(RuntimeException e) {
    return new ProviderException(
        Kind.BAD_REQUEST, name() + ": cannot build the request: " + e.getMessage(), null, 0L, e);
  }

  private String modelOrDefault(String model) {
    if (model != null && !model.isBlank()) {
      return model;
    }
    if (config.models().isEmpty()) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": the request names no model and none is configured");
    }
    return config.models().get(0);
  }

  private HttpRequest post(URI uri, String body, Duration timeout, String accept) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    // Configured headers come last, so they may replace Accept too.
    headers.forEach(builder::setHeader);
    return builder.build();
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

  private static String bodyOf(HttpResponse<String> response) {
    return response.body() == null ? "" : response.body();
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status <= 299;
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    String type = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static Map<String, String> requestHeaders(ProviderConfig config, OpenAiDialect dialect) {
    // Case-insensitive so a configured header (e.g. an Entra ID bearer token) replaces a default.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", "application/json");
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      headers.putAll(dialect.authHeaders(config.apiKey()));
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
