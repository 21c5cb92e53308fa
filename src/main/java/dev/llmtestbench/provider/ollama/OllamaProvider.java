package dev.llmtestbench.provider.ollama;

import dev.llmtestbench.provider.http.HttpFailures;
import dev.llmtestbench.provider.http.ProviderHttpClients;
import dev.llmtestbench.provider.http.TimedBodySubscriber;
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
import dev.llmtestbench.provider.spi.ResponseFormat;
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
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Provider} for Ollama's native API ({@code /api/chat}, {@code /api/embed}, {@code
 * /api/tags}, {@code /api/version}), streaming as NDJSON.
 *
 * <p>Vision is reported as available, but whether images are understood depends on the model (e.g.
 * {@code llava}, {@code llama3.2-vision}); a text-only model ignores or rejects them. Ollama needs
 * no key; a configured one is sent as a Bearer token for authenticating proxies.
 */
public final class OllamaProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "ollama";

  // Local models can take a while to load into memory on the first call.
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration MAX_HEALTH_TIMEOUT = Duration.ofSeconds(10);
  private static final String NDJSON = "application/x-ndjson";
  private static final Capabilities CAPABILITIES =
      new Capabilities(true, true, false, true, true, false, true, false, null);
  // Cached because Json.createXxx looks the JSON-P provider up on every call.
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  private final ProviderConfig config;
  private final String apiRoot;
  private final String query;
  private final String endpointForMessages;
  private final Duration defaultTimeout;
  private final Map<String, String> headers;
  private final HttpClient client;

  /** Creates the adapter with the HTTP client's own executor. */
  public OllamaProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates the adapter whose HTTP client runs its callbacks on {@code executor} (e.g. a managed
   * executor in the container); null means the client's default, which needs no shutdown.
   */
  public OllamaProvider(ProviderConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    this.apiRoot = apiRoot(config.baseUrl());
    this.query = config.baseUrl().getRawQuery() == null ? "" : "?" + config.baseUrl().getRawQuery();
    URI root = URI.create(apiRoot);
    String port = root.getPort() < 0 ? "" : ":" + root.getPort();
    // Messages leave out user info and the query, which proxies sometimes use for credentials.
    this.endpointForMessages = root.getScheme() + "://" + root.getHost() + port + root.getRawPath();
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.headers = baseHeaders(config);
    // Fails now, not on the first call, when a configured header is one the JDK client forbids.
    HttpRequest.Builder probe = HttpRequest.newBuilder(endpoint("/chat"));
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
   * Streaming, tools, JSON mode (and JSON schema), embeddings and vision; no audio, logprobs or
   * rerank. Vision holds only for multimodal models, which this adapter cannot tell without asking
   * the server, so it is reported for every model.
   */
  @Override
  public Capabilities capabilities(String model) {
    return CAPABILITIES;
  }

  /** Null: Ollama's API is not versioned (the server's version is in {@link #health()}). */
  @Override
  public String apiVersion() {
    return null;
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.messages().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      String body = chatBody(request, model(request.model())).toString();
      httpRequest =
          post("/chat", body, timeout, request.stream() ? NDJSON : "application/json").build();
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
        : call(httpRequest, timeout, this::parseChat);
  }

  /** Embeds the inputs with {@code POST /api/embed}, one vector per input in input order. */
  @Override
  public CompletableFuture<EmbeddingResult> embed(EmbeddingRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    int expected;
    try {
      if (request == null || request.inputs().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": nothing to embed");
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      JsonArrayBuilder input = JSON.createArrayBuilder();
      request.inputs().forEach(input::add);
      String body =
          JSON.createObjectBuilder()
              .add("model", model(request.model()))
              .add("input", input)
              .build()
              .toString();
      httpRequest = post("/embed", body, timeout, "application/json").build();
      expected = request.inputs().size();
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
    return call(httpRequest, timeout, (body, latency) -> parseEmbeddings(body, expected, latency));
  }

  /** The models pulled on the server ({@code GET /api/tags}), described by family and size. */
  @Override
  public CompletableFuture<List<ModelInfo>> listModels() {
    return call(get("/tags", defaultTimeout).build(), defaultTimeout, OllamaProvider::parseTags);
  }

  /** Up when {@code GET /api/version} answers; the message names the server's version. */
  @Override
  public CompletableFuture<HealthReport> health() {
    Duration timeout = min(defaultTimeout, MAX_HEALTH_TIMEOUT);
    long start = System.nanoTime();
    return call(get("/version", timeout).build(), timeout, OllamaProvider::parseVersion)
        .handle(
            (version, failure) ->
                failure == null
                    ? new HealthReport(true, System.nanoTime() - start, "Ollama " + version)
                    : new HealthReport(
                        false,
                        System.nanoTime() - start,
                        HttpFailures.unwrap(failure).getMessage()));
  }

  // ---- Exchanges ----

  /** A response parser; runtime exceptions it throws become INVALID_RESPONSE. */
  private interface Parser<T> {
    T parse(String body, long latencyNanos);
  }

  private <T> CompletableFuture<T> call(HttpRequest request, Duration timeout, Parser<T> parser) {
    CompletableFuture<T> result = new CompletableFuture<>();
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
              String body = response.body() == null ? "" : response.body();
              try {
                if (response.statusCode() / 100 != 2) {
                  throw HttpFailures.httpError(
                      name(),
                      response.statusCode(),
                      errorMessage(body),
                      response.headers(),
                      latency,
                      config.apiKey());
                }
                result.complete(parser.parse(body, latency));
              } catch (ProviderException e) {
                result.completeExceptionally(e);
              } catch (RuntimeException e) {
                // JSON-P reports unreadable input as JsonException; shape problems as
                // IllegalStateException or ClassCastException.
                result.completeExceptionally(
                    new ProviderException(
                        Kind.INVALID_RESPONSE,
                        name()
                            + " returned an invalid response ("
                            + HttpFailures.describe(e)
                            + "): "
                            + HttpFailures.detail(body, config.apiKey()),
                        response.statusCode(),
                        latency,
                        e));
              }
            });
    cancelWith(result, exchange, null);
    return result;
  }

  private CompletableFuture<Completion> stream(HttpRequest request, Duration timeout) {
    CompletableFuture<Completion> result = new CompletableFuture<>();
    long start = System.nanoTime();
    AtomicLong bodyReadAt = new AtomicLong();
    AtomicReference<ChatStream> lines = new AtomicReference<>();
    // Success bodies are read line by line as they arrive; error bodies whole, to report them.
    HttpResponse.BodyHandler<String> handler =
        info -> {
          if (info.statusCode() / 100 != 2) {
            return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
          }
          ChatStream chat =
              new ChatStream(name(), start, info.statusCode(), config.apiKey(), result);
          lines.set(chat);
          return HttpResponse.BodySubscribers.fromLineSubscriber(
              chat, s -> null, StandardCharsets.UTF_8, null);
        };
    CompletableFuture<HttpResponse<String>> exchange;
    try {
      exchange = client.sendAsync(request, TimedBodySubscriber.timed(handler, bodyReadAt));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          HttpFailures.transportFailure(
              name(), e, timeout, System.nanoTime() - start, endpointForMessages));
    }
    exchange.whenComplete(
        (response, error) -> {
          long latency = TimedBodySubscriber.elapsed(bodyReadAt, start);
          if (error != null) {
            result.completeExceptionally(
                HttpFailures.transportFailure(
                    name(), error, timeout, latency, endpointForMessages));
          } else if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            result.completeExceptionally(
                HttpFailures.httpError(
                    name(),
                    response.statusCode(),
                    errorMessage(body),
                    response.headers(),
                    latency,
                    config.apiKey()));
          } else {
            // A no-op when the done line already completed the result.
            result.completeExceptionally(
                new ProviderException(
                    Kind.INVALID_RESPONSE,
                    name() + " stream ended without its final \"done\": true line",
                    response.statusCode(),
                    latency,
                    null));
          }
        });
    // The deadline covers the whole stream, not only the wait for the headers.
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    deadline
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (ignored, expired) -> {
              if (expired != null) {
                result.completeExceptionally(
                    HttpFailures.transportFailure(
                        name(), expired, timeout, System.nanoTime() - start, endpointForMessages));
              }
            });
    // Completing the deadline early drops its scheduled task.
    result.whenComplete((completion, error) -> deadline.complete(null));
    cancelWith(result, exchange, lines);
    return result;
  }

  // A failed, timed-out or cancelled call should not leave its HTTP exchange running.
  private static void cancelWith(
      CompletableFuture<?> result,
      CompletableFuture<?> exchange,
      AtomicReference<ChatStream> lines) {
    result.whenComplete(
        (value, error) -> {
          if (error != null) {
            ChatStream chat = lines == null ? null : lines.get();
            if (chat != null) {
              chat.cancel();
            }
            exchange.cancel(true);
          }
        });
  }

  // ---- Requests ----

  private JsonObject chatBody(CompletionRequest request, String model) {
    if (request.topLogprobs() != null) {
      throw new ProviderException(
          Kind.UNSUPPORTED, name() + ": Ollama's chat API does not return log probabilities");
    }
    JsonArrayBuilder messages = JSON.createArrayBuilder();
    for (ChatMessage message : request.messages()) {
      JsonObjectBuilder m =
          JSON.createObjectBuilder().add("role", message.role()).add("content", message.content());
      if (!message.parts().isEmpty()) {
        m.add("images", images(message.parts()));
      }
      messages.add(m);
    }
    JsonObjectBuilder body =
        JSON.createObjectBuilder()
            .add("model", model)
            .add("messages", messages)
            .add("stream", request.stream());
    JsonValue format = format(request.responseFormat());
    if (format != null) {
      body.add("format", format);
    }
    JsonObjectBuilder options = JSON.createObjectBuilder();
    if (request.temperature() != null) {
      options.add("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      options.add("num_predict", request.maxTokens());
    }
    JsonObject builtOptions = options.build();
    if (!builtOptions.isEmpty()) {
      body.add("options", builtOptions);
    }
    if (!request.tools().isEmpty()) {
      JsonArrayBuilder tools = JSON.createArrayBuilder();
      for (ToolSpec tool : request.tools()) {
        JsonObjectBuilder function = JSON.createObjectBuilder().add("name", tool.name());
        if (tool.description() != null) {
          function.add("description", tool.description());
        }
        function.add(
            "parameters", jsonObject(tool.parametersSchema(), "parameters of tool " + tool.name()));
        tools.add(JSON.createObjectBuilder().add("type", "function").add("function", function));
      }
      body.add("tools", tools);
    }
    return body.build();
  }

  private JsonArrayBuilder images(List<ContentPart> parts) {
    JsonArrayBuilder images = JSON.createArrayBuilder();
    for (ContentPart part : parts) {
      if (!ContentPart.IMAGE.equals(part.type())) {
        throw new ProviderException(
            Kind.UNSUPPORTED,
            name() + ": Ollama's chat API takes images only, not " + part.type() + " parts");
      }
      if (part.data() == null) {
        throw new ProviderException(
            Kind.UNSUPPORTED, name() + ": Ollama takes images inline as base64, not by url");
      }
      String data = part.data();
      // Tolerate a data URL; Ollama wants the bare base64.
      if (data.startsWith("data:") && data.contains(",")) {
        data = data.substring(data.indexOf(',') + 1);
      }
      images.add(data);
    }
    return images;
  }

  private JsonValue format(ResponseFormat format) {
    if (format == null || ResponseFormat.TEXT.equals(format.type())) {
      return null;
    }
    if (ResponseFormat.JSON_OBJECT.equals(format.type())) {
      return Json.createValue("json");
    }
    if (ResponseFormat.JSON_SCHEMA.equals(format.type())) {
      return jsonObject(format.schema(), "response format schema");
    }
    throw new ProviderException(
        Kind.UNSUPPORTED, name() + ": response format '" + format.type() + "' is not supported");
  }

  private JsonObject jsonObject(String text, String what) {
    try {
      return readObject(text);
    } catch (RuntimeException e) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": the " + what + " is not a JSON object", null, 0L, e);
    }
  }

  private String model(String requested) {
    if (requested != null && !requested.isBlank()) {
      return requested;
    }
    if (config.models().isEmpty()) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": the request names no model and none is configured");
    }
    return config.models().get(0);
  }

  private HttpRequest.Builder post(String path, String body, Duration timeout, String accept) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint(path))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .setHeader("Content-Type", "application/json")
            .setHeader("Accept", accept);
    headers.forEach(builder::setHeader);
    return builder;
  }

  private HttpRequest.Builder get(String path, Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint(path))
            .timeout(timeout)
            .GET()
            .setHeader("Accept", "application/json");
    headers.forEach(builder::setHeader);
    return builder;
  }

  private URI endpoint(String path) {
    return URI.create(apiRoot + path + query);
  }

  // ---- Responses ----

  private Completion parseChat(String body, long latency) {
    JsonObject root = readObject(body);
    if (root.get("error") != null && root.get("error").getValueType() != JsonValue.ValueType.NULL) {
      throw new ProviderException(
          Kind.SERVER_ERROR,
          name()
              + " reported an error: "
              + HttpFailures.detail(errorText(root.get("error")), config.apiKey()),
          200,
          latency,
          null);
    }
    if (!(root.get("message") instanceof JsonObject message)) {
      throw new IllegalStateException("no message");
    }
    if (root.get("done") == JsonValue.FALSE) {
      throw new IllegalStateException("done is false in a whole response");
    }
    JsonValue content = message.get("content");
    String text;
    if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
      text = "";
    } else if (content instanceof JsonString string) {
      text = string.getString();
    } else {
      throw new IllegalStateException("message.content is not a string");
    }
    return completion(text, toolCalls(message), root, latency, null);
  }

  /** The completion a final chat object ({@code done: true}) describes. */
  static Completion completion(
      String text, List<ToolCall> toolCalls, JsonObject last, long latency, Long firstToken) {
    Integer prompt = intOrNull(last, "prompt_eval_count");
    Integer completion = intOrNull(last, "eval_count");
    return new Completion(
        text,
        stringOrNull(last, "done_reason"),
        prompt,
        completion,
        prompt != null && completion != null ? prompt + completion : null,
        latency,
        stringOrNull(last, "model"),
        null,
        firstToken,
        toolCalls,
        null,
        false,
        null,
        false);
  }

  /**
   * Ollama's tool calls: {@code [{function: {name, arguments: {...}}}]}, arguments as an object.
   */
  static List<ToolCall> toolCalls(JsonObject message) {
    JsonValue value = message.get("tool_calls");
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return List.of();
    }
    List<ToolCall> calls = new ArrayList<>();
    for (JsonValue item : value.asJsonArray()) {
      JsonObject call = item.asJsonObject();
      JsonObject function = call.getJsonObject("function");
      if (function == null || !(function.get("name") instanceof JsonString name)) {
        throw new IllegalStateException("a tool call has no function name");
      }
      JsonValue arguments = function.get("arguments");
      String json;
      if (arguments == null || arguments.getValueType() == JsonValue.ValueType.NULL) {
        json = "{}";
      } else if (arguments instanceof JsonString string) {
        // Some proxies pass OpenAI-style arguments, already serialized.
        json = string.getString();
      } else {
        json = arguments.toString();
      }
      calls.add(new ToolCall(stringOrNull(call, "id"), name.getString(), json));
    }
    return calls;
  }

  static EmbeddingResult parseEmbeddings(String body, int expected, long latency) {
    JsonObject root = readObject(body);
    JsonArray embeddings = root.getJsonArray("embeddings");
    if (embeddings == null || embeddings.size() != expected) {
      throw new IllegalStateException(
          "expected "
              + expected
              + " embedding(s), got "
              + (embeddings == null ? "none" : embeddings.size()));
    }
    List<float[]> vectors = new ArrayList<>(expected);
    for (JsonValue row : embeddings) {
      JsonArray numbers = row.asJsonArray();
      float[] vector = new float[numbers.size()];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) numbers.getJsonNumber(i).doubleValue();
      }
      vectors.add(vector);
    }
    return new EmbeddingResult(
        vectors, intOrNull(root, "prompt_eval_count"), latency, stringOrNull(root, "model"));
  }

  static List<ModelInfo> parseTags(String body, long latency) {
    JsonObject root = readObject(body);
    JsonArray models = root.getJsonArray("models");
    if (models == null) {
      throw new IllegalStateException("no models");
    }
    List<ModelInfo> infos = new ArrayList<>();
    for (JsonValue item : models) {
      JsonObject model = item.asJsonObject();
      String name = stringOrNull(model, "name");
      if (name == null) {
        name = stringOrNull(model, "model");
      }
      if (name == null) {
        throw new IllegalStateException("a model has no name");
      }
      infos.add(new ModelInfo(name, describe(model.get("details")), null));
    }
    return infos;
  }

  // E.g. "llama 8.0B Q4_0", from the listing's details.
  private static String describe(JsonValue details) {
    if (!(details instanceof JsonObject object)) {
      return null;
    }
    StringJoiner text = new StringJoiner(" ");
    for (String key : List.of("family", "parameter_size", "quantization_level")) {
      String value = stringOrNull(object, key);
      if (value != null && !value.isBlank()) {
        text.add(value);
      }
    }
    return text.length() == 0 ? null : text.toString();
  }

  static String parseVersion(String body, long latency) {
    String version = stringOrNull(readObject(body), "version");
    if (version == null) {
      throw new IllegalStateException("no version");
    }
    return version;
  }

  /** Ollama's error text, from {@code {"error": "..."}}; the raw body otherwise (proxies, HTML). */
  static String errorMessage(String body) {
    try {
      JsonObject root = readObject(body);
      if (root.get("error") != null) {
        return errorText(root.get("error"));
      }
    } catch (RuntimeException notJson) {
      // Fall through to the raw body.
    }
    return body;
  }

  static String errorText(JsonValue error) {
    if (error instanceof JsonString text) {
      return text.getString();
    }
    if (error instanceof JsonObject object && object.get("message") instanceof JsonString text) {
      return text.getString();
    }
    return error.toString();
  }

  static JsonObject readObject(String text) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static String stringOrNull(JsonObject object, String key) {
    return object.get(key) instanceof JsonString string ? string.getString() : null;
  }

  private static Integer intOrNull(JsonObject object, String key) {
    return object.get(key) instanceof JsonNumber number ? number.intValue() : null;
  }

  // ---- Configuration ----

  private static Map<String, String> baseHeaders(ProviderConfig config) {
    // Case-insensitive so a configured header replaces a default one.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      headers.put("Authorization", "Bearer " + config.apiKey());
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  /**
   * The API root for a base URL: {@code http://localhost:11434} and {@code
   * http://localhost:11434/api} both give {@code http://localhost:11434/api}; a proxy prefix
   * ({@code https://gw/ollama}) is kept.
   */
  static String apiRoot(URI baseUrl) {
    if (baseUrl == null
        || baseUrl.getHost() == null
        || !("http".equalsIgnoreCase(baseUrl.getScheme())
            || "https".equalsIgnoreCase(baseUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http(s) URL such as http://localhost:11434");
    }
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    if (!path.endsWith("/api")) {
      path = path + "/api";
    }
    return baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + path;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
