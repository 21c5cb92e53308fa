package dev.llmtestbench.provider.llamacpp;

import dev.llmtestbench.provider.http.ProviderHttpClients;
import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
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
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.TokenLogprob;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * A {@link Provider} for llama.cpp's HTTP server ({@code llama-server}): its OpenAI-compatible chat
 * completions (with SSE streaming), embeddings, rerank and model listing, its {@code /health}
 * probe, and its own {@code timings} object, whose token counts stand in when {@code usage} is
 * absent.
 */
public final class LlamaCppServerProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "llamacpp";

  /**
   * Setting naming the optional features the server was started with, comma-separated: {@code
   * embeddings} (--embeddings), {@code rerank} (--reranking), {@code vision} and {@code audio}
   * (--mmproj). They only shape {@link #capabilities}: the calls are always attempted.
   */
  public static final String SERVER_FEATURES = "server-features";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MAX_HEALTH_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_DETAIL_CHARS = 300;
  private static final Set<String> KNOWN_FEATURES =
      Set.of("embeddings", "rerank", "vision", "audio");
  // Cached because Json.createXxx looks the JSON-P provider up on every call.
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  private final ProviderConfig config;
  private final String root;
  private final String rootForMessages;
  private final String query;
  private final Duration defaultTimeout;
  private final Map<String, String> headers;
  private final Set<String> features;
  private final HttpClient client;

  /** Creates the adapter with the HTTP client's own executor. */
  public LlamaCppServerProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates the adapter whose HTTP client runs its callbacks on {@code executor}; null means the
   * client's default, which needs no shutdown.
   */
  public LlamaCppServerProvider(ProviderConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    URI base = config.baseUrl();
    if (base == null
        || base.getHost() == null
        || !("http".equalsIgnoreCase(base.getScheme())
            || "https".equalsIgnoreCase(base.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http(s) URL such as http://localhost:8080");
    }
    // The OpenAI routes live under /v1 but /health does not, so a base URL copied from an OpenAI
    // client configuration (ending in /v1) is taken back to the server root.
    String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    path = path.endsWith("/v1") ? path.substring(0, path.length() - 3) : path;
    this.root = base.getScheme() + "://" + base.getRawAuthority() + path;
    String port = base.getPort() < 0 ? "" : ":" + base.getPort();
    this.rootForMessages = base.getScheme() + "://" + base.getHost() + port + path;
    this.query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.headers = requestHeaders(config);
    this.features = features(config.setting(SERVER_FEATURES, ""));
    // Fails now, not on the first call, when a configured header is one the JDK client forbids.
    HttpRequest.Builder probe = HttpRequest.newBuilder(uri("/v1/chat/completions"));
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
  public Capabilities capabilities(String model) {
    // Tools need the server's --jinja flag and logprobs its n_probs support: both are standard in
    // current builds, so they are advertised; the optional features come from the setting.
    return new Capabilities(
        true,
        features.contains("vision"),
        features.contains("audio"),
        true,
        true,
        true,
        features.contains("embeddings"),
        features.contains("rerank"),
        null);
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    Duration timeout;
    HttpRequest httpRequest;
    try {
      if (request == null || request.messages().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      httpRequest = post("/v1/chat/completions", chatBody(request), timeout, request.stream());
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
    if (!request.stream()) {
      return exchange(
          httpRequest,
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
          timeout,
          (response, start) -> {
            long latency = System.nanoTime() - start;
            String body = checkStatus(response, response.body(), latency);
            return parse(body, response.statusCode(), latency, LlamaCppServerProvider::completion);
          });
    }
    return exchangeWith(
        httpRequest,
        this::streamHandler,
        timeout,
        (response, start) -> {
          long latency = System.nanoTime() - start;
          StreamOutcome outcome = response.body();
          if (outcome.errorBody() != null) {
            checkStatus(response, outcome.errorBody(), latency);
          }
          return outcome.stream().toCompletion(response.statusCode(), latency);
        });
  }

  @Override
  public CompletableFuture<List<ModelInfo>> listModels() {
    HttpRequest httpRequest = get("/v1/models", defaultTimeout);
    return exchange(
        httpRequest,
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
        defaultTimeout,
        (response, start) -> {
          long latency = System.nanoTime() - start;
          String body = checkStatus(response, response.body(), latency);
          return parse(body, response.statusCode(), latency, LlamaCppServerProvider::models);
        });
  }

  /** {@code GET /health}: up on 200, down (with the server's message) while loading the model. */
  @Override
  public CompletableFuture<HealthReport> health() {
    Duration timeout = min(defaultTimeout, MAX_HEALTH_TIMEOUT);
    long start = System.nanoTime();
    return exchange(
            get("/health", timeout),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
            timeout,
            (response, sent) -> {
              long latency = System.nanoTime() - sent;
              String body = response.body() == null ? "" : response.body();
              if (response.statusCode() == 200) {
                return new HealthReport(true, latency, healthStatus(body));
              }
              return new HealthReport(
                  false,
                  latency,
                  "HTTP " + response.statusCode() + ": " + safeDetail(errorMessage(body)));
            })
        .exceptionally(
            failure -> {
              Throwable cause = unwrap(failure);
              return new HealthReport(false, System.nanoTime() - start, cause.getMessage());
            });
  }

  /** {@code POST /v1/embeddings}; a server started without --embeddings answers UNSUPPORTED. */
  @Override
  public CompletableFuture<EmbeddingResult> embed(EmbeddingRequest request) {
    Duration timeout;
    HttpRequest httpRequest;
    try {
      if (request == null || request.inputs().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": nothing to embed");
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      JsonArrayBuilder inputs = JSON.createArrayBuilder();
      request.inputs().forEach(inputs::add);
      JsonObjectBuilder body =
          JSON.createObjectBuilder().add("input", inputs).add("encoding_format", "float");
      String model = model(request.model());
      if (model != null) {
        body.add("model", model);
      }
      httpRequest = post("/v1/embeddings", body.build().toString(), timeout, false);
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    }
    return exchange(
        httpRequest,
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
        timeout,
        (response, start) -> {
          long latency = System.nanoTime() - start;
          String body = checkOptionalFeature(response, "embeddings", "--embeddings", latency);
          return parseWith(
              body, response.statusCode(), latency, json -> embeddings(json, latency, request));
        });
  }

  /** {@code POST /v1/rerank}; a server started without --reranking answers UNSUPPORTED. */
  @Override
  public CompletableFuture<RerankResult> rerank(RerankRequest request) {
    Duration timeout;
    HttpRequest httpRequest;
    try {
      if (request == null || request.query() == null || request.documents().isEmpty()) {
        throw new ProviderException(
            Kind.BAD_REQUEST, name() + ": reranking needs a query and documents");
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      JsonArrayBuilder documents = JSON.createArrayBuilder();
      request.documents().forEach(documents::add);
      JsonObjectBuilder body =
          JSON.createObjectBuilder().add("query", request.query()).add("documents", documents);
      String model = model(request.model());
      if (model != null) {
        body.add("model", model);
      }
      if (request.topN() != null) {
        body.add("top_n", request.topN());
      }
      httpRequest = post("/v1/rerank", body.build().toString(), timeout, false);
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    }
    return exchange(
        httpRequest,
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
        timeout,
        (response, start) -> {
          long latency = System.nanoTime() - start;
          String body = checkOptionalFeature(response, "reranking", "--reranking", latency);
          return parseWith(
              body, response.statusCode(), latency, json -> rerankResult(json, latency, request));
        });
  }

  private BodyHandler<StreamOutcome> streamHandler(long start) {
    return info -> {
      if (info.statusCode() < 200 || info.statusCode() > 299) {
        return BodySubscribers.mapping(
            BodySubscribers.ofString(StandardCharsets.UTF_8), StreamOutcome::failed);
      }
      return BodySubscribers.fromLineSubscriber(
          new SseSubscriber(start),
          subscriber -> new StreamOutcome(subscriber, null),
          StandardCharsets.UTF_8,
          null);
    };
  }

  // ---- request bodies ----

  private String chatBody(CompletionRequest request) {
    JsonArrayBuilder messages = JSON.createArrayBuilder();
    for (ChatMessage message : request.messages()) {
      messages.add(
          JSON.createObjectBuilder().add("role", message.role()).add("content", content(message)));
    }
    JsonObjectBuilder body = JSON.createObjectBuilder();
    String model = model(request.model());
    if (model != null) {
      body.add("model", model);
    }
    body.add("messages", messages);
    if (request.temperature() != null) {
      body.add("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      body.add("max_tokens", request.maxTokens());
    }
    if (!request.tools().isEmpty()) {
      JsonArrayBuilder tools = JSON.createArrayBuilder();
      for (ToolSpec tool : request.tools()) {
        JsonObjectBuilder function =
            JSON.createObjectBuilder()
                .add("name", tool.name())
                .add("parameters", jsonObject(tool.parametersSchema(), "tool " + tool.name()));
        if (tool.description() != null) {
          function.add("description", tool.description());
        }
        tools.add(JSON.createObjectBuilder().add("type", "function").add("function", function));
      }
      body.add("tools", tools);
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && !ResponseFormat.TEXT.equals(format.type())) {
      body.add("response_format", responseFormat(format));
    }
    if (request.topLogprobs() != null) {
      // llama-server turns top_logprobs into n_probs and returns nothing for 0, so at least one
      // candidate is asked for to get the chosen tokens' log probabilities.
      body.add("logprobs", true).add("top_logprobs", Math.max(1, request.topLogprobs()));
    }
    body.add("stream", request.stream());
    if (request.stream()) {
      body.add("stream_options", JSON.createObjectBuilder().add("include_usage", true));
    }
    return body.build().toString();
  }

  private JsonValue content(ChatMessage message) {
    if (message.parts().isEmpty()) {
      return Json.createValue(message.content());
    }
    JsonArrayBuilder parts = JSON.createArrayBuilder();
    if (!message.content().isEmpty()) {
      parts.add(JSON.createObjectBuilder().add("type", "text").add("text", message.content()));
    }
    for (ContentPart part : message.parts()) {
      if (ContentPart.IMAGE.equals(part.type())) {
        String url =
            part.data() != null
                ? "data:"
                    + (part.mediaType() == null ? "image/png" : part.mediaType())
                    + ";base64,"
                    + part.data()
                : part.url();
        parts.add(
            JSON.createObjectBuilder()
                .add("type", "image_url")
                .add("image_url", JSON.createObjectBuilder().add("url", url)));
      } else if (ContentPart.AUDIO.equals(part.type()) && part.data() != null) {
        parts.add(
            JSON.createObjectBuilder()
                .add("type", "input_audio")
                .add(
                    "input_audio",
                    JSON.createObjectBuilder()
                        .add("data", part.data())
                        .add("format", audioFormat(part.mediaType()))));
      } else {
        throw new ProviderException(
            Kind.UNSUPPORTED,
            name()
                + ": llama-server takes images (inline or by URL) and inline base64 audio, not "
                + part.type()
                + (part.data() == null ? " by URL" : ""));
      }
    }
    return parts.build();
  }

  private JsonObject responseFormat(ResponseFormat format) {
    if (ResponseFormat.JSON_OBJECT.equals(format.type())) {
      return JSON.createObjectBuilder().add("type", "json_object").build();
    }
    if (ResponseFormat.JSON_SCHEMA.equals(format.type())) {
      return JSON.createObjectBuilder()
          .add("type", "json_schema")
          .add(
              "json_schema",
              JSON.createObjectBuilder()
                  .add("name", format.name() == null ? "response" : format.name())
                  .add("schema", jsonObject(format.schema(), "response schema"))
                  .add("strict", true))
          .build();
    }
    throw new ProviderException(
        Kind.UNSUPPORTED,
        name() + ": response format '" + format.type() + "' is not one llama-server offers");
  }

  private String model(String requested) {
    // llama-server serves one model and ignores the name; in router mode it picks the model.
    if (requested != null && !requested.isBlank()) {
      return requested;
    }
    return config.models().isEmpty() ? null : config.models().get(0);
  }

  private JsonObject jsonObject(String text, String what) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": the " + what + " is not a JSON object", null, 0L, e);
    }
  }

  private static String audioFormat(String mediaType) {
    String subtype =
        mediaType == null || !mediaType.contains("/")
            ? "wav"
            : mediaType.substring(mediaType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
    subtype = subtype.startsWith("x-") ? subtype.substring(2) : subtype;
    return switch (subtype) {
      case "mpeg", "mp3" -> "mp3";
      case "wave", "vnd.wave" -> "wav";
      default -> subtype;
    };
  }

  // ---- responses ----

  static Completion completion(JsonObject root, int status, long latency) {
    JsonObject choice = firstChoice(root);
    if (!(choice.get("message") instanceof JsonObject message)) {
      throw new IllegalStateException("no choices[0].message");
    }
    String text = textOrEmpty(message.get("content"), "choices[0].message.content");
    List<ToolCall> toolCalls = new ArrayList<>();
    if (message.get("tool_calls") instanceof JsonArray calls) {
      for (JsonValue value : calls) {
        JsonObject call = (JsonObject) value;
        JsonObject function = call.getJsonObject("function");
        toolCalls.add(
            new ToolCall(
                stringOrNull(call, "id"),
                function.getString("name"),
                argumentsText(function.get("arguments"))));
      }
    }
    List<TokenLogprob> logprobs = new ArrayList<>();
    addLogprobs(choice, logprobs);
    Tokens tokens = Tokens.of(root);
    return new Completion(
        text,
        stringOrNull(choice, "finish_reason"),
        tokens.prompt(),
        tokens.completion(),
        tokens.total(),
        latency,
        stringOrNull(root, "model"),
        stringOrNull(root, "id"),
        null,
        toolCalls,
        logprobs,
        false,
        tokens.cached(),
        false);
  }

  static List<ModelInfo> models(JsonObject root, int status, long latency) {
    if (!(root.get("data") instanceof JsonArray data)) {
      throw new IllegalStateException("no data array");
    }
    List<ModelInfo> models = new ArrayList<>();
    for (JsonValue value : data) {
      JsonObject model = (JsonObject) value;
      JsonObject meta =
          model.get("meta") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
      Long params = longOrNull(meta, "n_params");
      models.add(
          new ModelInfo(
              model.getString("id"),
              params == null ? null : params + " parameters",
              intOrNull(meta, "n_ctx_train")));
    }
    return models;
  }

  private static EmbeddingResult embeddings(
      JsonObject root, long latency, EmbeddingRequest request) {
    if (!(root.get("data") instanceof JsonArray data)) {
      throw new IllegalStateException("no data array");
    }
    float[][] vectors = new float[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      JsonObject item = data.getJsonObject(i);
      int index = item.containsKey("index") ? item.getInt("index") : i;
      JsonArray embedding = item.getJsonArray("embedding");
      float[] vector = new float[embedding.size()];
      for (int j = 0; j < vector.length; j++) {
        vector[j] = (float) embedding.getJsonNumber(j).doubleValue();
      }
      vectors[index] = vector;
    }
    if (vectors.length != request.inputs().size() || Arrays.asList(vectors).contains(null)) {
      throw new IllegalStateException(
          vectors.length + " embeddings for " + request.inputs().size() + " inputs");
    }
    JsonObject usage =
        root.get("usage") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
    return new EmbeddingResult(
        Arrays.asList(vectors),
        intOrNull(usage, "prompt_tokens"),
        latency,
        stringOrNull(root, "model"));
  }

  private static RerankResult rerankResult(JsonObject root, long latency, RerankRequest request) {
    if (!(root.get("results") instanceof JsonArray results)) {
      throw new IllegalStateException("no results array");
    }
    List<RerankResult.Hit> hits = new ArrayList<>();
    for (JsonValue value : results) {
      JsonObject result = (JsonObject) value;
      int index = result.getInt("index");
      if (index < 0 || index >= request.documents().size()) {
        throw new IllegalStateException("result index " + index + " out of range");
      }
      hits.add(new RerankResult.Hit(index, result.getJsonNumber("relevance_score").doubleValue()));
    }
    hits.sort(Comparator.comparingDouble(RerankResult.Hit::score).reversed());
    if (request.topN() != null && hits.size() > request.topN()) {
      hits = hits.subList(0, Math.max(0, request.topN()));
    }
    return new RerankResult(hits, latency);
  }

  private static String healthStatus(String body) {
    try {
      JsonObject root = readObject(body);
      return root.get("status") instanceof JsonString status ? status.getString() : "ok";
    } catch (RuntimeException notJson) {
      return "ok";
    }
  }

  /** Token counts from {@code usage}, else from llama.cpp's own {@code timings}. */
  private record Tokens(Integer prompt, Integer completion, Integer total, Integer cached) {

    static Tokens of(JsonObject root) {
      return of(
          root.get("usage") instanceof JsonObject usage ? usage : null,
          root.get("timings") instanceof JsonObject timings ? timings : null);
    }

    static Tokens of(JsonObject usage, JsonObject timings) {
      JsonObject u = usage == null ? JsonValue.EMPTY_JSON_OBJECT : usage;
      JsonObject t = timings == null ? JsonValue.EMPTY_JSON_OBJECT : timings;
      Integer cached =
          u.get("prompt_tokens_details") instanceof JsonObject details
              ? intOrNull(details, "cached_tokens")
              : null;
      Integer cacheN = intOrNull(t, "cache_n");
      cached = cached != null ? cached : cacheN;
      Integer prompt = intOrNull(u, "prompt_tokens");
      if (prompt == null && intOrNull(t, "prompt_n") != null) {
        // prompt_n counts only the prompt tokens evaluated now; those reused from the KV cache
        // (cache_n) are part of the prompt too.
        prompt = intOrNull(t, "prompt_n") + (cacheN == null ? 0 : cacheN);
      }
      Integer completion = intOrNull(u, "completion_tokens");
      if (completion == null) {
        completion = intOrNull(t, "predicted_n");
      }
      Integer total = intOrNull(u, "total_tokens");
      if (total == null && prompt != null && completion != null) {
        total = prompt + completion;
      }
      return new Tokens(prompt, completion, total, cached);
    }
  }

  /** What a streamed exchange produced: the parsed stream, or the body of an error status. */
  private record StreamOutcome(SseSubscriber stream, String errorBody) {
    static StreamOutcome failed(String body) {
      return new StreamOutcome(null, body == null ? "" : body);
    }
  }

  /**
   * Reads llama-server's chat-completion stream ({@code data: {chunk}} events ending with {@code
   * data: [DONE]}, or an {@code error:} event) line by line as it arrives.
   */
  private final class SseSubscriber implements Flow.Subscriber<String> {
    private final long start;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, String[]> toolCalls = new TreeMap<>();
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    private final StringBuilder data = new StringBuilder();
    private String event = "";
    private Long firstTokenNanos;
    private String finishReason;
    private String model;
    private String id;
    private JsonObject usage;
    private JsonObject timings;
    private boolean done;
    private ProviderException failure;

    SseSubscriber(long start) {
      this.start = start;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (done || failure != null) {
        return;
      }
      try {
        accept(line);
      } catch (RuntimeException e) {
        failure =
            new ProviderException(
                Kind.INVALID_RESPONSE,
                name()
                    + " sent an invalid stream event ("
                    + describe(e)
                    + "): "
                    + safeDetail(data.length() > 0 ? data.toString() : line),
                200,
                System.nanoTime() - start,
                e);
      }
    }

    private void accept(String line) {
      if (line.isEmpty()) {
        dispatch();
      } else if (line.startsWith(":")) {
        return; // a comment, such as a keep-alive ping
      } else {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
          case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
          case "event" -> event = value;
          // llama-server reports a failure inside a stream as an "error:" line of its own.
          case "error" -> {
            event = "error";
            data.append(value);
          }
          default -> {
            // id, retry and unknown fields carry nothing for us.
          }
        }
      }
    }

    private void dispatch() {
      String payload = data.toString();
      String kind = event;
      data.setLength(0);
      event = "";
      if (payload.isEmpty()) {
        return;
      }
      if ("[DONE]".equals(payload.strip())) {
        done = true;
        return;
      }
      JsonObject chunk = readObject(payload);
      if ("error".equals(kind) || chunk.containsKey("error")) {
        JsonObject error = chunk.get("error") instanceof JsonObject nested ? nested : chunk;
        Integer code = intOrNull(error, "code");
        failure =
            new ProviderException(
                code == null ? Kind.SERVER_ERROR : kindOf(code),
                name() + " reported an error in the stream: " + safeDetail(errorMessage(payload)),
                200,
                System.nanoTime() - start,
                null);
        return;
      }
      model = stringOrNull(chunk, "model") != null ? stringOrNull(chunk, "model") : model;
      id = stringOrNull(chunk, "id") != null ? stringOrNull(chunk, "id") : id;
      if (chunk.get("usage") instanceof JsonObject u) {
        usage = u;
      }
      if (chunk.get("timings") instanceof JsonObject t) {
        timings = t;
      }
      if (!(chunk.get("choices") instanceof JsonArray choices) || choices.isEmpty()) {
        return; // the usage-only chunk
      }
      JsonObject choice = choices.getJsonObject(0);
      if (choice.get("finish_reason") instanceof JsonString reason) {
        finishReason = reason.getString();
      }
      addLogprobs(choice, logprobs);
      if (!(choice.get("delta") instanceof JsonObject delta)) {
        return;
      }
      boolean generated = false;
      String content = textOrEmpty(delta.get("content"), "delta.content");
      if (!content.isEmpty()) {
        text.append(content);
        generated = true;
      }
      if (!textOrEmpty(delta.get("reasoning_content"), "delta.reasoning_content").isEmpty()) {
        generated = true;
      }
      if (delta.get("tool_calls") instanceof JsonArray calls) {
        for (JsonValue value : calls) {
          JsonObject call = (JsonObject) value;
          int index = call.containsKey("index") ? call.getInt("index") : toolCalls.size();
          String[] parts = toolCalls.computeIfAbsent(index, i -> new String[] {null, "", ""});
          parts[0] = stringOrNull(call, "id") != null ? stringOrNull(call, "id") : parts[0];
          if (call.get("function") instanceof JsonObject function) {
            parts[1] += Objects.requireNonNullElse(stringOrNull(function, "name"), "");
            parts[2] += Objects.requireNonNullElse(stringOrNull(function, "arguments"), "");
          }
          generated = true;
        }
      }
      if (generated && firstTokenNanos == null) {
        firstTokenNanos = System.nanoTime() - start;
      }
    }

    @Override
    public void onError(Throwable throwable) {
      // The body future fails with this error too; the exchange maps it (reset -> NETWORK).
    }

    @Override
    public void onComplete() {
      // A last event without its blank line is incomplete by the SSE rules and is dropped.
    }

    Completion toCompletion(int status, long latency) {
      if (failure != null) {
        throw failure;
      }
      if (!done) {
        throw new ProviderException(
            Kind.INVALID_RESPONSE,
            name()
                + " ended the stream without data: [DONE] after "
                + text.length()
                + " characters",
            status,
            latency,
            null);
      }
      List<ToolCall> calls =
          toolCalls.values().stream()
              .map(parts -> new ToolCall(parts[0], parts[1], parts[2]))
              .collect(Collectors.toList());
      Tokens tokens = Tokens.of(usage, timings);
      return new Completion(
          text.toString(),
          finishReason,
          tokens.prompt(),
          tokens.completion(),
          tokens.total(),
          latency,
          model,
          id,
          firstTokenNanos,
          calls,
          logprobs,
          false,
          tokens.cached(),
          false);
    }
  }

  // ---- exchange and errors ----

  /** Maps a successful HTTP response to a result, given the nanoTime just before sending. */
  private interface ResponseMapper<T, R> {
    R map(HttpResponse<T> response, long start);
  }

  private <T, R> CompletableFuture<R> exchange(
      HttpRequest httpRequest,
      BodyHandler<T> handler,
      Duration timeout,
      ResponseMapper<T, R> mapper) {
    return exchangeWith(httpRequest, start -> handler, timeout, mapper);
  }

  /** Sends the request; {@code handlers} gets the nanoTime just before sending (for TTFT). */
  private <T, R> CompletableFuture<R> exchangeWith(
      HttpRequest httpRequest,
      LongFunction<BodyHandler<T>> handlers,
      Duration timeout,
      ResponseMapper<T, R> mapper) {
    CompletableFuture<R> result = new CompletableFuture<>();
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<T>> call;
    try {
      call = client.sendAsync(httpRequest, handlers.apply(start));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure(e, timeout, System.nanoTime() - start));
    }
    // HttpRequest.timeout only bounds the wait for the response headers; this also bounds the body.
    call.copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              try {
                if (error != null) {
                  call.cancel(true);
                  throw failure(error, timeout, System.nanoTime() - start);
                }
                result.complete(mapper.map(response, start));
              } catch (ProviderException e) {
                result.completeExceptionally(e);
              } catch (RuntimeException e) {
                // Whatever goes wrong here, the caller's future must still complete.
                result.completeExceptionally(
                    new ProviderException(
                        Kind.INVALID_RESPONSE,
                        name() + " response could not be handled: " + describe(e),
                        null,
                        System.nanoTime() - start,
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

  private <R> R parse(String body, int status, long latency, JsonMapper<R> mapper) {
    try {
      return mapper.map(readObject(body), status, latency);
    } catch (ProviderException e) {
      throw e;
    } catch (RuntimeException e) {
      // JSON-P reports unreadable input as JsonException; shape problems arrive as
      // IllegalStateException, ClassCastException or NullPointerException.
      throw new ProviderException(
          Kind.INVALID_RESPONSE,
          name() + " returned an invalid response (" + describe(e) + "): " + safeDetail(body),
          status,
          latency,
          e);
    }
  }

  private <R> R parseWith(String body, int status, long latency, Function<JsonObject, R> mapper) {
    return parse(body, status, latency, (json, s, l) -> mapper.apply(json));
  }

  /** Turns a JSON body into a result. */
  private interface JsonMapper<R> {
    R map(JsonObject json, int status, long latency);
  }

  private String checkStatus(HttpResponse<?> response, String body, long latency) {
    int status = response.statusCode();
    String text = body == null ? "" : body;
    if (status >= 200 && status <= 299) {
      return text;
    }
    Kind kind = kindOf(status);
    throw new ProviderException(
        kind,
        name() + " returned HTTP " + status + ": " + safeDetail(errorMessage(text)),
        status,
        latency,
        retryAfterMillis(response.headers()),
        null);
  }

  // llama-server answers 501 (not_supported_error) when started without the feature's flag, and
  // 400 when the loaded model cannot serve it (e.g. an embedding call with pooling "none").
  private String checkOptionalFeature(
      HttpResponse<String> response, String feature, String flag, long latency) {
    int status = response.statusCode();
    if (status == 501 || status == 400) {
      throw new ProviderException(
          Kind.UNSUPPORTED,
          name()
              + " does not offer "
              + feature
              + " (start llama-server with "
              + flag
              + " and a suitable model): HTTP "
              + status
              + ": "
              + safeDetail(errorMessage(response.body() == null ? "" : response.body())),
          status,
          latency,
          null);
    }
    return checkStatus(response, response.body(), latency);
  }

  private ProviderException failure(Throwable error, Duration timeout, long latency) {
    Throwable cause = unwrap(error);
    if (cause instanceof ProviderException e) {
      return e;
    }
    Kind kind;
    String message;
    if (cause instanceof HttpConnectTimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out connecting to " + rootForMessages;
    } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out after " + timeout.toMillis() + " ms";
    } else if (cause instanceof ConnectException) {
      kind = Kind.NETWORK;
      message = name() + " could not connect to " + rootForMessages;
    } else {
      kind = Kind.NETWORK;
      String what = cause instanceof IOException ? "failed" : "failed unexpectedly";
      message = name() + " request to " + rootForMessages + " " + what + ": " + describe(cause);
    }
    return new ProviderException(kind, message, null, latency, cause);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
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
    // Redirects are not followed (they would turn the POST into a GET).
    return Kind.INVALID_RESPONSE;
  }

  /** The Retry-After header as milliseconds: delta-seconds or an HTTP date; null if absent. */
  static Long retryAfterMillis(HttpHeaders headers) {
    String value = headers.firstValue("Retry-After").map(String::strip).orElse("");
    if (value.isEmpty()) {
      return null;
    }
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return TimeUnit.SECONDS.toMillis(Long.parseLong(value));
      }
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0L, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
    } catch (RuntimeException unparsable) {
      return null;
    }
  }

  // llama-server nests its message under "error" like OpenAI; proxies answer plain text.
  static String errorMessage(String body) {
    try {
      JsonObject root = readObject(body);
      JsonValue error = root.get("error");
      if (error instanceof JsonObject object && object.get("message") instanceof JsonString text) {
        return text.getString();
      }
      if (error instanceof JsonString text) {
        return text.getString();
      }
      if (root.get("message") instanceof JsonString text) {
        return text.getString();
      }
    } catch (RuntimeException notJson) {
      // Fall through to the raw body.
    }
    return body.isBlank() ? "(empty body)" : body;
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

  // ---- small helpers ----

  private URI uri(String path) {
    return URI.create(root + path + query);
  }

  private HttpRequest post(String path, String body, Duration timeout, boolean stream) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(path))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(builder::setHeader);
    if (stream) {
      builder.setHeader("Accept", "text/event-stream");
    }
    return builder.build();
  }

  private HttpRequest get(String path, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(timeout).GET();
    headers.forEach(
        (header, value) -> {
          if (!"Content-Type".equalsIgnoreCase(header)) {
            builder.setHeader(header, value);
          }
        });
    return builder.build();
  }

  private static void addLogprobs(JsonObject choice, List<TokenLogprob> out) {
    if (choice.get("logprobs") instanceof JsonObject logprobs
        && logprobs.get("content") instanceof JsonArray content) {
      for (JsonValue value : content) {
        JsonObject token = (JsonObject) value;
        out.add(
            new TokenLogprob(
                token.getString("token"), token.getJsonNumber("logprob").doubleValue()));
      }
    }
  }

  private static JsonObject firstChoice(JsonObject root) {
    if (root.get("choices") instanceof JsonArray choices
        && !choices.isEmpty()
        && choices.get(0) instanceof JsonObject first) {
      return first;
    }
    throw new IllegalStateException("no choices");
  }

  private static String textOrEmpty(JsonValue value, String where) {
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return "";
    }
    if (value instanceof JsonString string) {
      return string.getString();
    }
    throw new IllegalStateException(where + " is not a string");
  }

  private static String argumentsText(JsonValue arguments) {
    if (arguments instanceof JsonString string) {
      return string.getString();
    }
    return arguments == null ? "{}" : arguments.toString();
  }

  private static JsonObject readObject(String body) {
    try (JsonReader reader = READER.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  private static String stringOrNull(JsonObject object, String key) {
    return object.get(key) instanceof JsonString string ? string.getString() : null;
  }

  private static Integer intOrNull(JsonObject object, String key) {
    return object.get(key) instanceof JsonNumber number ? number.intValue() : null;
  }

  private static Long longOrNull(JsonObject object, String key) {
    return object.get(key) instanceof JsonNumber number ? number.longValue() : null;
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    String type = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static Set<String> features(String setting) {
    Set<String> features =
        Arrays.stream(setting.split(","))
            .map(feature -> feature.strip().toLowerCase(Locale.ROOT))
            .filter(feature -> !feature.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    for (String feature : features) {
      if (!KNOWN_FEATURES.contains(feature)) {
        throw new IllegalArgumentException(
            SERVER_FEATURES
                + " lists '"
                + feature
                + "'; known features are "
                + new TreeSet<>(KNOWN_FEATURES));
      }
    }
    return features;
  }

  private static Map<String, String> requestHeaders(ProviderConfig config) {
    // Case-insensitive so a configured header replaces a default one.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      // llama-server --api-key checks "Authorization: Bearer <key>".
      headers.put("Authorization", "Bearer " + config.apiKey());
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
