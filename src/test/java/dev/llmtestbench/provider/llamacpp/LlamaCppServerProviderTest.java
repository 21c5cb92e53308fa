package dev.llmtestbench.provider.llamacpp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
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
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The llama.cpp server adapter against a fake llama-server speaking the protocol of its README:
 * https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md (GET /health, GET
 * /v1/models, POST /v1/chat/completions with SSE streaming and the {@code timings} object, POST
 * /v1/embeddings, POST /v1/rerank, errors as {@code {"error":{"code","message","type"}}}).
 */
class LlamaCppServerProviderTest {

  private static final String KEY = "llama-key-0123456789abcdef";

  // A non-streamed llama-server answer: OpenAI's shape plus llama.cpp's timings.
  private static final String COMPLETION =
"""
{"choices":[{"finish_reason":"stop","index":0,
  "message":{"role":"assistant","content":"Paris."}}],
 "created":1741569952,"model":"qwen2.5-0.5b-instruct-q8_0.gguf",
 "system_fingerprint":"b5604-1f63e75f","object":"chat.completion",
 "usage":{"completion_tokens":3,"prompt_tokens":25,"total_tokens":28,
          "prompt_tokens_details":{"cached_tokens":20}},
 "id":"chatcmpl-6yk1y0fBHDf4YcvQyJ6cLk3ZmXvKqj5D",
 "timings":{"cache_n":20,"prompt_n":5,"prompt_ms":31.2,"prompt_per_token_ms":6.24,
            "prompt_per_second":160.2,"predicted_n":3,"predicted_ms":20.1,
            "predicted_per_token_ms":6.7,"predicted_per_second":149.2}}
""";

  private static final String CHUNK =
      "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":%s}],"
          + "\"created\":1741569952,\"id\":\"chatcmpl-stream1\",\"model\":\"qwen2.5-0.5b\","
          + "\"system_fingerprint\":\"b5604-1f63e75f\",\"object\":\"chat.completion.chunk\"}\n\n";

  private FakeLlamaServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldPostChatCompletionWithBearerKeyAndParseUsageAndTimings() throws Exception {
    server = new FakeLlamaServer(FakeLlamaServer.answering(200, COMPLETION));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), KEY, List.of("qwen")));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "qwen",
                    List.of(
                        new ChatMessage("system", "Answer in one word."),
                        new ChatMessage("user", "Capital of France?")),
                    0.2,
                    64,
                    Map.of(),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeLlamaServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    JsonObject body = json(request.body());
    assertEquals(Set.of("model", "messages", "temperature", "max_tokens", "stream"), body.keySet());
    assertEquals("qwen", body.getString("model"));
    JsonArray messages = body.getJsonArray("messages");
    assertEquals("system", messages.getJsonObject(0).getString("role"));
    assertEquals("Capital of France?", messages.getJsonObject(1).getString("content"));
    assertEquals(0.2, body.getJsonNumber("temperature").doubleValue());
    assertEquals(64, body.getInt("max_tokens"));
    assertFalse(body.getBoolean("stream"));

    assertEquals("Paris.", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(25, completion.promptTokens());
    assertEquals(3, completion.completionTokens());
    assertEquals(28, completion.totalTokens());
    assertEquals(20, completion.cachedPromptTokens());
    assertFalse(completion.tokensEstimated());
    assertEquals("qwen2.5-0.5b-instruct-q8_0.gguf", completion.modelVersion());
    assertEquals("chatcmpl-6yk1y0fBHDf4YcvQyJ6cLk3ZmXvKqj5D", completion.requestId());
    assertNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.latencyNanos() > 0);
  }

  @Test
  void shouldCountTokensFromTimingsWhenUsageIsAbsent() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                200,
                """
                {"choices":[{"finish_reason":"length","index":0,
                  "message":{"role":"assistant","content":"Once upon"}}],
                 "model":"tinyllama","object":"chat.completion","id":"chatcmpl-2",
                 "timings":{"cache_n":236,"prompt_n":1,"prompt_ms":30.958,
                   "prompt_per_token_ms":30.958,"prompt_per_second":32.3,"predicted_n":35,
                   "predicted_ms":661.064,"predicted_per_token_ms":18.9,
                   "predicted_per_second":52.9}}
                """));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    Completion completion = provider.complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    // Reused (cache_n) and newly evaluated (prompt_n) tokens are both part of the prompt.
    assertEquals(237, completion.promptTokens());
    assertEquals(35, completion.completionTokens());
    assertEquals(272, completion.totalTokens());
    assertEquals(236, completion.cachedPromptTokens());
    assertEquals("length", completion.finishReason());
  }

  @Test
  void shouldOmitAuthorizationAndModelWhenNoneIsConfigured() throws Exception {
    server = new FakeLlamaServer(FakeLlamaServer.answering(200, COMPLETION));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    provider.complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    FakeLlamaServer.Received request = server.takeRequest();
    assertNull(request.headers().getFirst("Authorization"));
    assertEquals(Set.of("messages", "stream"), json(request.body()).keySet());
  }

  @Test
  void shouldTakeBaseUrlEndingInV1BackToTheServerRoot() throws Exception {
    server =
        new FakeLlamaServer(
            exchange ->
                FakeLlamaServer.respond(
                    exchange,
                    200,
                    exchange.getRequestURI().getPath().equals("/health")
                        ? "{\"status\":\"ok\"}"
                        : COMPLETION));
    var provider =
        new LlamaCppServerProvider(
            config(URI.create(server.baseUrl() + "/v1/"), null, List.of("qwen")));

    provider.complete(request("qwen", "Hi")).get(10, TimeUnit.SECONDS);
    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    assertEquals("/v1/chat/completions", server.takeRequest().path());
    assertEquals("/health", server.takeRequest().path());
    assertTrue(health.up(), health.message());
  }

  @Test
  void shouldStreamContentAndMeasureTimeToFirstToken() throws Exception {
    server =
        new FakeLlamaServer(
            exchange -> {
              OutputStream out = FakeLlamaServer.startEvents(exchange);
              FakeLlamaServer.send(
                  out, CHUNK.formatted("{\"role\":\"assistant\",\"content\":null}"));
              Thread.sleep(150); // prompt processing
              FakeLlamaServer.send(out, CHUNK.formatted("{\"content\":\"Par\"}"));
              Thread.sleep(50);
              FakeLlamaServer.send(out, CHUNK.formatted("{\"content\":\"is.\"}"));
              FakeLlamaServer.send(
                  out,
                  "data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],"
                      + "\"created\":1741569952,\"id\":\"chatcmpl-stream1\","
                      + "\"model\":\"qwen2.5-0.5b\",\"object\":\"chat.completion.chunk\","
                      + "\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":12,"
                      + "\"total_tokens\":15},\"timings\":{\"prompt_n\":12,\"prompt_ms\":140.1,"
                      + "\"predicted_n\":3,\"predicted_ms\":55.2,"
                      + "\"predicted_per_second\":54.3}}\n\n");
              FakeLlamaServer.send(out, "data: [DONE]\n\n");
              out.close();
            });
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), KEY, List.of("qwen")));

    Completion completion =
        provider.complete(streamed(request("qwen", "Capital?"))).get(10, TimeUnit.SECONDS);

    FakeLlamaServer.Received request = server.takeRequest();
    assertEquals("text/event-stream", request.headers().getFirst("Accept"));
    JsonObject body = json(request.body());
    assertTrue(body.getBoolean("stream"));
    assertTrue(body.getJsonObject("stream_options").getBoolean("include_usage"));

    assertEquals("Paris.", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(12, completion.promptTokens());
    assertEquals(3, completion.completionTokens());
    assertEquals(15, completion.totalTokens());
    assertEquals("qwen2.5-0.5b", completion.modelVersion());
    assertEquals("chatcmpl-stream1", completion.requestId());
    // The role-only first chunk is not a token: the first content arrives after ~150 ms.
    assertNotNull(completion.timeToFirstTokenNanos());
    assertTrue(
        completion.timeToFirstTokenNanos() >= TimeUnit.MILLISECONDS.toNanos(150),
        "ttft " + completion.timeToFirstTokenNanos());
    assertTrue(completion.timeToFirstTokenNanos() < completion.latencyNanos());
  }

  @Test
  void shouldReadUsageAndTimingsFromSeparateUsageChunkAndIgnorePings() throws Exception {
    server =
        new FakeLlamaServer(
            exchange -> {
              OutputStream out = FakeLlamaServer.startEvents(exchange);
              FakeLlamaServer.send(out, ": ping\n\n");
              FakeLlamaServer.send(out, CHUNK.formatted("{\"content\":\"Hi\"}"));
              FakeLlamaServer.send(
                  out,
                  "data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,"
                      + "\"delta\":{}}],\"id\":\"chatcmpl-3\",\"model\":\"m\"}\n\n");
              FakeLlamaServer.send(
                  out,
                  "data: {\"choices\":[],\"id\":\"chatcmpl-3\",\"model\":\"m\","
                      + "\"timings\":{\"cache_n\":4,\"prompt_n\":6,\"predicted_n\":1}}\n\n");
              FakeLlamaServer.send(out, "data: [DONE]\n\n");
              out.close();
            });
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    Completion completion =
        provider.complete(streamed(request(null, "Hi"))).get(10, TimeUnit.SECONDS);

    assertEquals("Hi", completion.text());
    assertEquals("length", completion.finishReason());
    assertEquals(10, completion.promptTokens());
    assertEquals(1, completion.completionTokens());
    assertEquals(11, completion.totalTokens());
    assertEquals(4, completion.cachedPromptTokens());
  }

  @Test
  void shouldSendToolsJsonSchemaAndLogprobsAndParseToolCallsAndLogprobs() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                200,
                """
                {"choices":[{"finish_reason":"tool_calls","index":0,
                  "message":{"role":"assistant","content":null,"tool_calls":[
                    {"type":"function","id":"call_abc123",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  "logprobs":{"content":[
                    {"id":1234,"token":"<tool_call>","bytes":[60],"logprob":-0.01,
                     "top_logprobs":[{"id":1234,"token":"<tool_call>","bytes":[60],
                                      "logprob":-0.01}]}]}}],
                 "model":"qwen","object":"chat.completion","id":"chatcmpl-4",
                 "usage":{"completion_tokens":9,"prompt_tokens":120,"total_tokens":129}}
                """));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of("qwen")));
    String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "qwen",
                    List.of(new ChatMessage("user", "Weather in Paris?")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of(new ToolSpec("get_weather", "Current weather", schema)),
                    new ResponseFormat(ResponseFormat.JSON_SCHEMA, "weather", schema),
                    0))
            .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    JsonObject tool = body.getJsonArray("tools").getJsonObject(0);
    assertEquals("function", tool.getString("type"));
    assertEquals("get_weather", tool.getJsonObject("function").getString("name"));
    assertEquals("Current weather", tool.getJsonObject("function").getString("description"));
    assertEquals(json(schema), tool.getJsonObject("function").getJsonObject("parameters"));
    JsonObject format = body.getJsonObject("response_format");
    assertEquals("json_schema", format.getString("type"));
    assertEquals("weather", format.getJsonObject("json_schema").getString("name"));
    assertEquals(json(schema), format.getJsonObject("json_schema").getJsonObject("schema"));
    assertTrue(body.getBoolean("logprobs"));
    assertEquals(1, body.getInt("top_logprobs"));

    assertEquals("", completion.text());
    assertEquals("tool_calls", completion.finishReason());
    assertEquals(
        List.of(new ToolCall("call_abc123", "get_weather", "{\"city\":\"Paris\"}")),
        completion.toolCalls());
    assertEquals(List.of(new TokenLogprob("<tool_call>", -0.01)), completion.logprobs());
  }

  @Test
  void shouldJoinStreamedToolCallFragmentsAndLogprobs() throws Exception {
    server =
        new FakeLlamaServer(
            exchange -> {
              OutputStream out = FakeLlamaServer.startEvents(exchange);
              FakeLlamaServer.send(
                  out,
                  CHUNK.formatted(
                      "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                          + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}"));
              FakeLlamaServer.send(
                  out,
                  CHUNK.formatted(
                      "{\"tool_calls\":[{\"index\":0,"
                          + "\"function\":{\"arguments\":\"ty\\\":\\\"Oslo\\\"}\"}}]}"));
              FakeLlamaServer.send(
                  out,
                  "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,"
                      + "\"delta\":{\"content\":\"!\"},\"logprobs\":{\"content\":[{\"id\":0,"
                      + "\"token\":\"!\",\"bytes\":[33],\"logprob\":-1.5,"
                      + "\"top_logprobs\":[]}]}}],\"id\":\"c\",\"model\":\"m\"}\n\n");
              FakeLlamaServer.send(
                  out,
                  "data: {\"choices\":[{\"finish_reason\":\"tool_calls\",\"index\":0,"
                      + "\"delta\":{}}],\"id\":\"c\",\"model\":\"m\"}\n\n");
              FakeLlamaServer.send(out, "data: [DONE]\n\n");
              out.close();
            });
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    Completion completion =
        provider.complete(streamed(request(null, "Weather?"))).get(10, TimeUnit.SECONDS);

    assertEquals(
        List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}")),
        completion.toolCalls());
    assertEquals(List.of(new TokenLogprob("!", -1.5)), completion.logprobs());
    assertEquals("tool_calls", completion.finishReason());
    assertNull(completion.promptTokens());
    assertNotNull(completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldSendImagesAndAudioAsContentParts() throws Exception {
    server = new FakeLlamaServer(FakeLlamaServer.answering(200, COMPLETION));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));
    ChatMessage message =
        new ChatMessage(
            "user",
            "What is this?",
            List.of(
                ContentPart.image("image/jpeg", "/9j/4AAQ"),
                new ContentPart(ContentPart.IMAGE, null, null, "https://example.com/cat.png"),
                ContentPart.audio("audio/mpeg", "SUQzBA==")));

    provider
        .complete(new CompletionRequest(null, List.of(message), null, null, null, null))
        .get(10, TimeUnit.SECONDS);

    JsonArray content =
        json(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("content");
    assertEquals(json("{\"type\":\"text\",\"text\":\"What is this?\"}"), content.getJsonObject(0));
    assertEquals(
        json(
            "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,/9j/4AAQ\"}}"),
        content.getJsonObject(1));
    assertEquals(
        json("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}}"),
        content.getJsonObject(2));
    assertEquals(
        json(
            "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"SUQzBA==\","
                + "\"format\":\"mp3\"}}"),
        content.getJsonObject(3));
  }

  @Test
  void shouldRejectAudioByUrlAsUnsupportedWithoutSending() throws Exception {
    server = new FakeLlamaServer(FakeLlamaServer.answering(200, COMPLETION));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));
    ChatMessage message =
        new ChatMessage(
            "user",
            "Transcribe",
            List.of(new ContentPart(ContentPart.AUDIO, "audio/wav", null, "https://x/a.wav")));

    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(null, List.of(message), null, null, null, null)));

    assertEquals(Kind.UNSUPPORTED, e.kind());
    assertTrue(e.getMessage().contains("audio by URL"), e.getMessage());
    assertTrue(server.received.isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
    "400, BAD_REQUEST, invalid_request_error",
    "401, UNAUTHORIZED, authentication_error",
    "403, UNAUTHORIZED, permission_error",
    "404, BAD_REQUEST, not_found_error",
    "408, TIMEOUT, timeout_error",
    "429, RATE_LIMITED, unavailable_error",
    "500, SERVER_ERROR, server_error",
    "501, SERVER_ERROR, not_supported_error",
    "503, SERVER_ERROR, unavailable_error",
    "504, TIMEOUT, timeout_error"
  })
  void shouldClassifyErrorStatusWithTheServerMessage(int status, Kind kind, String type)
      throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                status,
                "{\"error\":{\"code\":%d,\"message\":\"Loading model\",\"type\":\"%s\"}}"
                    .formatted(status, type)));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), KEY, List.of()));

    ProviderException e = failure(provider.complete(request(null, "Hi")));

    assertEquals(kind, e.kind());
    assertEquals(status, e.httpStatus());
    assertEquals("llamacpp returned HTTP " + status + ": Loading model", e.getMessage());
    assertNull(e.retryAfterMillis());
  }

  @Test
  void shouldReportErrorStatusOfAStreamedRequestWithTheServerMessage() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                503,
                "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}"));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    ProviderException e = failure(provider.complete(streamed(request(null, "Hi"))));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertEquals(503, e.httpStatus());
    assertEquals("llamacpp returned HTTP 503: Loading model", e.getMessage());
  }

  @Test
  void shouldReportUnauthorizedWithoutEchoingTheKey() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                401,
                "{\"error\":{\"code\":401,\"message\":\"Invalid API Key: %s\",\"type\":\"authentication_error\"}}"
                    .formatted(KEY)));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), KEY, List.of()));

    ProviderException e = failure(provider.complete(request(null, "Hi")));

    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertTrue(e.getMessage().contains("Invalid API Key: ****"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
  }

  @Test
  void shouldParseRetryAfterInSecondsAndAsHttpDate() throws Exception {
    String inOneMinute =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    server =
        new FakeLlamaServer(
            exchange -> {
              boolean seconds = exchange.getRequestURI().getPath().endsWith("completions");
              exchange.getResponseHeaders().set("Retry-After", seconds ? "7" : inOneMinute);
              FakeLlamaServer.respond(
                  exchange,
                  seconds ? 429 : 503,
                  "{\"error\":{\"code\":503,\"message\":\"busy\",\"type\":\"unavailable_error\"}}");
            });
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    ProviderException limited = failure(provider.complete(request(null, "Hi")));
    ExecutionException busy =
        assertThrows(
            ExecutionException.class, () -> provider.listModels().get(10, TimeUnit.SECONDS));

    assertEquals(Kind.RATE_LIMITED, limited.kind());
    assertEquals(7000L, limited.retryAfterMillis());
    assertTrue(limited.retryable());
    ProviderException unavailable = assertInstanceOf(ProviderException.class, busy.getCause());
    assertEquals(Kind.SERVER_ERROR, unavailable.kind());
    assertTrue(
        unavailable.retryAfterMillis() > 50_000 && unavailable.retryAfterMillis() <= 60_000,
        "retry after " + unavailable.retryAfterMillis());
  }

  @Test
  void shouldTimeOutQuicklyWhenServerNeverAnswers() throws Exception {
    server = new FakeLlamaServer(exchange -> server.awaitClose());
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    null,
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    Duration.ofMillis(300))));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("llamacpp timed out after 300 ms", e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "" + e.latencyNanos());
    assertTrue(elapsedMillis < 3000, "took " + elapsedMillis + " ms");
  }

  @Test
  void shouldTimeOutWhenTheStreamStallsAfterTheFirstToken() throws Exception {
    server =
        new FakeLlamaServer(
            exchange -> {
              OutputStream out = FakeLlamaServer.startEvents(exchange);
              FakeLlamaServer.send(out, CHUNK.formatted("{\"content\":\"Par\"}"));
              server.awaitClose();
            });
    var provider =
        new LlamaCppServerProvider(
            new ProviderConfig(
                "llamacpp",
                "llamacpp",
                server.baseUrl(),
                null,
                List.of(),
                Duration.ofMillis(300),
                Map.of()));

    ProviderException e = failure(provider.complete(streamed(request(null, "Hi"))));

    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"{\"choices\": [{\"message\": ", "{\"object\":\"list\",\"data\":[]}", "[1, 2]"})
  void shouldReportInvalidResponseForUnusableBody(String body) throws Exception {
    server = new FakeLlamaServer(FakeLlamaServer.answering(200, body));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    ProviderException e = failure(provider.complete(request(null, "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().startsWith("llamacpp returned an invalid response"), e.getMessage());
  }

  @Test
  void shouldReportMalformedStreamEventAsInvalidResponse() throws Exception {
    server =
        new FakeLlamaServer(
            exchange -> {
              OutputStream out = FakeLlamaServer.startEvents(exchange);
              FakeLlamaServer.send(out, CHUNK.formatted("{\"content\":\"Par\"}"));
              FakeLlamaServer.send(out, "data: {\"choices\":[{\"delta\":{\"content\":\n\n");
              FakeLlamaServer.send(out, "data: [DONE]\n\n");
              out.close();
            });
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    ProviderException e = failure(provider.complete(streamed(request(null, "Hi"))));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("invalid stream event"), e.getMessage());
  }

  @Test
  void shouldReportStreamEndingWithoutDoneAsInvalidResponse() throws Exception {
    server =
        new FakeLlamaServer(
            exchange -> {
              OutputStream out = FakeLlamaServer.startEvents(exchange);
              FakeLlamaServer.send(out, CHUNK.formatted("{\"content\":\"Par\"}"));
              out.close();
            });
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    ProviderException e = failure(provider.complete(streamed(request(null, "Hi"))));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("without data: [DONE]"), e.getMessage());
  }

  @Test
  void shouldReportErrorEventInsideTheStream() throws Exception {
    server =
        new FakeLlamaServer(
            exchange -> {
              OutputStream out = FakeLlamaServer.startEvents(exchange);
              FakeLlamaServer.send(out, CHUNK.formatted("{\"content\":\"Par\"}"));
              FakeLlamaServer.send(
                  out,
                  "error: {\"code\":500,\"message\":\"Input prompt is too big compared to KV size."
                      + " Please try increasing KV size.\",\"type\":\"server_error\"}\n\n");
              out.close();
            });
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    ProviderException e = failure(provider.complete(streamed(request(null, "Hi"))));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.getMessage().contains("Input prompt is too big"), e.getMessage());
  }

  @Test
  void shouldReportConnectionResetAsNetworkError() throws Exception {
    try (var resetting = new FakeLlamaServer.Resetting("")) {
      var provider = new LlamaCppServerProvider(config(resetting.baseUrl(), null, List.of()));

      ProviderException e = failure(provider.complete(request(null, "Hi")));

      assertEquals(Kind.NETWORK, e.kind());
      assertNull(e.httpStatus());
    }
  }

  @Test
  void shouldReportResetInTheMiddleOfAStreamAsNetworkError() throws Exception {
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    String event = CHUNK.formatted("{\"content\":\"Par\"}");
    String chunk = Integer.toHexString(event.length()) + "\r\n" + event + "\r\n";
    try (var resetting = new FakeLlamaServer.Resetting(head + chunk)) {
      var provider = new LlamaCppServerProvider(config(resetting.baseUrl(), null, List.of()));

      ProviderException e = failure(provider.complete(streamed(request(null, "Hi"))));

      assertEquals(Kind.NETWORK, e.kind(), e.getMessage());
    }
  }

  @Test
  void shouldReportRefusedConnectionAsNetworkError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var provider =
        new LlamaCppServerProvider(config(URI.create("http://127.0.0.1:" + port), null, List.of()));

    ProviderException e = failure(provider.complete(request(null, "Hi")));

    assertEquals(Kind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void shouldReportHealthyServer() throws Exception {
    server = new FakeLlamaServer(FakeLlamaServer.answering(200, "{\"status\":\"ok\"}"));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), KEY, List.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    FakeLlamaServer.Received request = server.takeRequest();
    assertEquals("GET", request.method());
    assertEquals("/health", request.path());
    assertTrue(health.up());
    assertEquals("ok", health.message());
    assertTrue(health.latencyNanos() > 0);
  }

  @Test
  void shouldReportServerLoadingTheModelAsDown() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                503,
                "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}"));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    assertFalse(health.up());
    assertEquals("HTTP 503: Loading model", health.message());
  }

  @Test
  void shouldReportUnreachableServerAsDown() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var provider =
        new LlamaCppServerProvider(config(URI.create("http://127.0.0.1:" + port), null, List.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    assertFalse(health.up());
    assertTrue(health.message().contains("could not connect"), health.message());
  }

  @Test
  void shouldListTheServedModel() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                200,
                """
                {"object":"list","data":[{"id":"../models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
                  "object":"model","created":1735142223,"owned_by":"llamacpp",
                  "meta":{"vocab_type":2,"n_vocab":128256,"n_ctx_train":131072,"n_embd":4096,
                          "n_params":8030261312,"size":4912898304}}]}
                """));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), KEY, List.of()));

    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);

    FakeLlamaServer.Received request = server.takeRequest();
    assertEquals("GET", request.method());
    assertEquals("/v1/models", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals(
        List.of(
            new ModelInfo(
                "../models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
                "8030261312 parameters",
                131072)),
        models);
  }

  @Test
  void shouldEmbedInInputOrder() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                200,
                """
                {"model":"nomic-embed","object":"list",
                 "usage":{"prompt_tokens":4,"total_tokens":4},
                 "data":[{"embedding":[0.5,-0.25],"index":1,"object":"embedding"},
                         {"embedding":[0.125,1.0],"index":0,"object":"embedding"}]}
                """));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    EmbeddingResult result =
        provider
            .embed(new EmbeddingRequest(null, List.of("hello", "world"), null))
            .get(10, TimeUnit.SECONDS);

    FakeLlamaServer.Received request = server.takeRequest();
    assertEquals("/v1/embeddings", request.path());
    JsonObject body = json(request.body());
    assertEquals(
        List.of("hello", "world"), body.getJsonArray("input").getValuesAs(JsonString::getString));
    assertEquals("float", body.getString("encoding_format"));
    assertArrayEquals(new float[] {0.125f, 1.0f}, result.vectors().get(0));
    assertArrayEquals(new float[] {0.5f, -0.25f}, result.vectors().get(1));
    assertEquals(4, result.promptTokens());
    assertEquals("nomic-embed", result.modelVersion());
  }

  @ParameterizedTest
  @CsvSource({"501, not_supported_error", "400, invalid_request_error"})
  void shouldReportEmbeddingsOfAServerWithoutThemAsUnsupported(int status, String type)
      throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                status,
                ("{\"error\":{\"code\":%d,\"message\":\"This server does not support embeddings."
                        + " Start it with `--embeddings`\",\"type\":\"%s\"}}")
                    .formatted(status, type)));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                provider
                    .embed(new EmbeddingRequest(null, List.of("hello"), null))
                    .get(10, TimeUnit.SECONDS));

    ProviderException failure = assertInstanceOf(ProviderException.class, e.getCause());
    assertEquals(Kind.UNSUPPORTED, failure.kind());
    assertEquals(status, failure.httpStatus());
    assertTrue(failure.getMessage().contains("does not support embeddings"), failure.getMessage());
  }

  @Test
  void shouldRerankMostRelevantFirst() throws Exception {
    server =
        new FakeLlamaServer(
            FakeLlamaServer.answering(
                200,
                """
                {"model":"bge-reranker","object":"list","usage":{"prompt_tokens":30,"total_tokens":30},
                 "results":[{"index":0,"relevance_score":-8.5},{"index":1,"relevance_score":2.5},
                            {"index":2,"relevance_score":7.25}]}
                """));
    var provider = new LlamaCppServerProvider(config(server.baseUrl(), null, List.of()));

    RerankResult result =
        provider
            .rerank(
                new RerankRequest(
                    null,
                    "What is panda?",
                    List.of("hi", "it is a bear", "The giant panda"),
                    2,
                    null))
            .get(10, TimeUnit.SECONDS);

    FakeLlamaServer.Received request = server.takeRequest();
    assertEquals("/v1/rerank", request.path());
    JsonObject body = json(request.body());
    assertEquals("What is panda?", body.getString("query"));
    assertEquals(3, body.getJsonArray("documents").size());
    assertEquals(2, body.getInt("top_n"));
    assertEquals(
        List.of(new RerankResult.Hit(2, 7.25), new RerankResult.Hit(1, 2.5)), result.hits());
  }

  @Test
  void shouldAdvertiseOptionalFeaturesFromTheSetting() {
    ProviderConfig plain = config(URI.create("http://localhost:8080"), null, List.of());
    ProviderConfig withFeatures =
        new ProviderConfig(
            "llamacpp",
            "llamacpp",
            URI.create("http://localhost:8080"),
            null,
            List.of(),
            null,
            Map.of(),
            Map.of(LlamaCppServerProvider.SERVER_FEATURES, "embeddings, vision"));

    Capabilities base = new LlamaCppServerProvider(plain).capabilities(null);
    Capabilities extended = new LlamaCppServerProvider(withFeatures).capabilities(null);

    assertEquals(List.of("streaming", "function_calling", "json_mode", "logprobs"), base.names());
    assertEquals(
        List.of("streaming", "vision", "function_calling", "json_mode", "logprobs", "embeddings"),
        extended.names());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LlamaCppServerProvider(
                new ProviderConfig(
                    "llamacpp",
                    "llamacpp",
                    URI.create("http://localhost:8080"),
                    null,
                    List.of(),
                    null,
                    Map.of(),
                    Map.of(LlamaCppServerProvider.SERVER_FEATURES, "telepathy"))));
  }

  @Test
  void shouldFailWithProviderExceptionItselfAndNeverThrowFromComplete() {
    var provider =
        new LlamaCppServerProvider(config(URI.create("http://127.0.0.1:1"), null, List.of()));

    CompletableFuture<Completion> future =
        provider.complete(new CompletionRequest(null, List.of(), null, null, null, null));

    Throwable error = future.handle((completion, e) -> e).join();
    ProviderException e = assertInstanceOf(ProviderException.class, error);
    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals(
        Kind.BAD_REQUEST,
        failure(
                provider.complete(
                    new CompletionRequest(
                        null,
                        List.of(new ChatMessage("user", "Hi")),
                        null,
                        null,
                        null,
                        null,
                        false,
                        List.of(new ToolSpec("f", null, "not json")),
                        null,
                        null)))
            .kind());
  }

  @Test
  void shouldRejectConfigWithoutHttpBaseUrl() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new LlamaCppServerProvider(config(URI.create("ftp://host"), null, List.of())));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LlamaCppServerProvider(config(null, null, List.of())));
  }

  @Test
  void factoryShouldDescribeALocalServerRegisteredByItsBaseUrl() {
    var factory = new LlamaCppServerProviderFactory();

    assertEquals("llamacpp", factory.adapter());
    assertEquals("local", factory.kind());
    assertEquals(URI.create("http://localhost:8080"), factory.defaultBaseUrl());
    assertEquals("LLAMACPP_BASE_URL", factory.baseUrlEnv());
    assertNull(factory.apiKeyEnv());
    assertEquals(
        "llamacpp",
        factory.create(config(URI.create("http://localhost:8080"), null, List.of())).type());
  }

  private static ProviderConfig config(URI baseUrl, String apiKey, List<String> models) {
    return new ProviderConfig(
        "llamacpp", "llamacpp", baseUrl, apiKey, models, Duration.ofSeconds(10), Map.of());
  }

  private static CompletionRequest request(String model, String prompt) {
    return new CompletionRequest(
        model, List.of(new ChatMessage("user", prompt)), null, null, null, null);
  }

  private static CompletionRequest streamed(CompletionRequest request) {
    return request.with(request.model(), request.timeout(), true, request.options());
  }

  private static ProviderException failure(CompletableFuture<Completion> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }

  private static JsonObject json(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }
}
