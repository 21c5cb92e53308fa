package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
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

/**
 * A {@link Provider} for any server speaking the OpenAI Chat Completions protocol: OpenAI itself,
 * Azure OpenAI, vLLM, llama.cpp server, Ollama and LM Studio.
 */
public final class OpenAiCompatibleProvider implements Provider {

  /** The provider type this adapter implements. */
  public static final String TYPE = "openai";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_DETAIL_CHARS = 300;
  // Cached because Json.createXxx looks the JSON-P provider up on every call.
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  private final ProviderConfig config;
  private final URI endpoint;
  private final String endpointForMessages;
  private final Duration defaultTimeout;
  private final Map<String, String> headers;
  private final HttpClient client;

  /** Creates the adapter with the HTTP client's own executor. */
  public OpenAiCompatibleProvider(ProviderConfig config) {
    this(config, null);
  }

  /**
   * Creates the adapter whose HTTP client runs its callbacks on {@code executor} (e.g. a managed
   * executor in the container); null means the client's default, which needs no shutdown.
   */
  public OpenAiCompatibleProvider(ProviderConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    this.endpoint = chatCompletionsUri(config.baseUrl());
    this.endpointForMessages = withoutQuery(endpoint);
    this.defaultTimeout = isPositive(config.timeout()) ? config.timeout() : DEFAULT_TIMEOUT;
    this.headers = requestHeaders(config);
    // Fails now, not on the first call, when a configured header is one the JDK client forbids.
    HttpRequest.Builder probe = HttpRequest.newBuilder(endpoint);
    headers.forEach(probe::setHeader);
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(
                defaultTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0
                    ? defaultTimeout
                    : MAX_CONNECT_TIMEOUT);
    if (executor != null) {
      builder.executor(executor);
    }
    this.client = builder.build();
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
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    HttpRequest httpRequest;
    Duration timeout;
    try {
      if (request == null || request.messages().isEmpty()) {
        throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
      }
      timeout = isPositive(request.timeout()) ? request.timeout() : defaultTimeout;
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(endpoint)
              .timeout(timeout)
              .POST(HttpRequest.BodyPublishers.ofString(requestBody(request)));
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

  private CompletableFuture<Completion> send(HttpRequest httpRequest, Duration timeout) {
    CompletableFuture<Completion> result = new CompletableFuture<>();
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> call;
    try {
      call = client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure(e, timeout, System.nanoTime() - start));
    }
    // HttpRequest.timeout only bounds the wait for the response headers; this also bounds the body.
    call.copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              long latency = System.nanoTime() - start;
              try {
                if (error != null) {
                  call.cancel(true);
                  throw failure(error, timeout, latency);
                }
                result.complete(toCompletion(response, latency));
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
        (completion, error) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    return result;
  }

  private String requestBody(CompletionRequest request) {
    String model = request.model();
    if (model == null || model.isBlank()) {
      if (config.models().isEmpty()) {
        throw new ProviderException(
            Kind.BAD_REQUEST, name() + ": the request names no model and none is configured");
      }
      model = config.models().get(0);
    }
    JsonArrayBuilder messages = JSON.createArrayBuilder();
    for (ChatMessage message : request.messages()) {
      messages.add(
          JSON.createObjectBuilder().add("role", message.role()).add("content", message.content()));
    }
    JsonObjectBuilder body =
        JSON.createObjectBuilder().add("model", model).add("messages", messages);
    if (request.temperature() != null) {
      body.add("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      body.add("max_tokens", request.maxTokens());
    }
    return body.add("stream", false).build().toString();
  }

  private Completion toCompletion(HttpResponse<String> response, long latency) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status < 200 || status > 299) {
      throw new ProviderException(
          kindOf(status),
          name() + " returned HTTP " + status + ": " + safeDetail(errorMessage(body)),
          status,
          latency,
          null);
    }
    try {
      return parseCompletion(body, latency);
    } catch (RuntimeException e) {
      // JSON-P reports unreadable input as JsonException; shape problems arrive as
      // IllegalStateException.
      throw new ProviderException(
          Kind.INVALID_RESPONSE,
          name() + " returned an invalid response (" + e.getMessage() + "): " + safeDetail(body),
          status,
          latency,
          e);
    }
  }

  static Completion parseCompletion(String body, long latency) {
    JsonObject root = readObject(body);
    JsonObject choice =
        root.get("choices") instanceof JsonArray choices
                && !choices.isEmpty()
                && choices.get(0) instanceof JsonObject first
            ? first
            : null;
    if (choice == null) {
      throw new IllegalStateException("no choices");
    }
    if (!(choice.get("message") instanceof JsonObject message)) {
      throw new IllegalStateException("no choices[0].message");
    }
    JsonValue content = message.get("content");
    String text;
    if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
      text = "";
    } else if (content instanceof JsonString string) {
      text = string.getString();
    } else {
      throw new IllegalStateException("choices[0].message.content is not a string");
    }
    JsonObject usage =
        root.get("usage") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
    return new Completion(
        text,
        stringOrNull(choice, "finish_reason"),
        intOrNull(usage, "prompt_tokens"),
        intOrNull(usage, "completion_tokens"),
        intOrNull(usage, "total_tokens"),
        latency,
        stringOrNull(root, "model"),
        stringOrNull(root, "id"));
  }

  // OpenAI nests the message under "error"; vLLM, Ollama and FastAPI servers use other shapes.
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
      for (String key : List.of("message", "detail")) {
        if (root.get(key) instanceof JsonString text) {
          return text.getString();
        }
      }
    } catch (RuntimeException notJson) {
      // Proxies and gateways answer errors in plain text or HTML: fall through to the raw body.
    }
    return body.isBlank() ? "(empty body)" : body;
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
      message = name() + " timed out connecting to " + endpointForMessages;
    } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      kind = Kind.TIMEOUT;
      message = name() + " timed out after " + timeout.toMillis() + " ms";
    } else if (cause instanceof ConnectException) {
      kind = Kind.NETWORK;
      message = name() + " could not connect to " + endpointForMessages;
    } else {
      kind = Kind.NETWORK;
      String what = cause instanceof IOException ? "failed" : "failed unexpectedly";
      message = name() + " request to " + endpointForMessages + " " + what + ": " + describe(cause);
    }
    return new ProviderException(kind, message, null, latency, cause);
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
    // Redirects are not followed (they would turn the POST into a GET), so any other status is
    // unusable.
    return Kind.INVALID_RESPONSE;
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

  private static Map<String, String> requestHeaders(ProviderConfig config) {
    // Case-insensitive so a configured header (e.g. Azure's own auth) replaces a default one.
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    if (config.apiKey() != null && !config.apiKey().isBlank()) {
      headers.put("Authorization", "Bearer " + config.apiKey());
    }
    headers.putAll(config.headers());
    return Collections.unmodifiableMap(headers);
  }

  static URI chatCompletionsUri(URI baseUrl) {
    if (baseUrl == null
        || baseUrl.getHost() == null
        || !("http".equalsIgnoreCase(baseUrl.getScheme())
            || "https".equalsIgnoreCase(baseUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http(s) URL such as https://api.openai.com/v1");
    }
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    String query = baseUrl.getRawQuery() == null ? "" : "?" + baseUrl.getRawQuery();
    return URI.create(
        baseUrl.getScheme()
            + "://"
            + baseUrl.getRawAuthority()
            + path
            + "/chat/completions"
            + query);
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
