package dev.llmtestbench.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed chat completions over server-sent events, as OpenAI documents them: request {@code
 * stream: true} with {@code stream_options: {"include_usage": true}}; the answer is {@code data:}
 * lines of {@code chat.completion.chunk} objects (choices[0].delta.content, delta.tool_calls by
 * index), a final chunk with empty choices and the usage, then {@code data: [DONE]}.
 *
 * <p>References: https://platform.openai.com/docs/api-reference/chat/create (stream,
 * stream_options), https://platform.openai.com/docs/api-reference/chat-streaming (the chunk
 * object), https://platform.openai.com/docs/guides/function-calling (streamed tool calls).
 */
class OpenAiStreamingTest {

  private static final String KEY = "sk-test-0123456789abcdef";

  private FakeOpenAiServer server;
  private RawHttpServer raw;

  @AfterEach
  void stopServers() throws Exception {
    if (server != null) {
      server.close();
    }
    if (raw != null) {
      raw.close();
    }
  }

  /** A chunk as OpenAI streams it, with {@code choices[0]} holding {@code delta} and a reason. */
  static String chunk(String delta, String finishReason) {
    return """
        {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk",\
        "created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default",\
        "system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":%s,"logprobs":null,\
        "finish_reason":%s}],"usage":null}"""
        .formatted(delta, finishReason == null ? "null" : "\"" + finishReason + "\"");
  }

  static final String ROLE =
      chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null);

  static final String USAGE =
      """
      {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk",\
      "created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default",\
      "system_fingerprint":"fp_06737a9306","choices":[],"usage":{"prompt_tokens":19,\
      "completion_tokens":2,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":0,\
      "audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,\
      "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""";

  @Test
  void shouldStreamTextAndReadUsageFromFinalChunk() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(
                ROLE,
                chunk("{\"content\":\"Par\"}", null),
                chunk("{\"content\":\"is.\"}", null),
                chunk("{}", "stop"),
                USAGE,
                "[DONE]"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    Completion completion = provider.complete(streamed("gpt-4o-mini")).get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals("text/event-stream", request.headers().getFirst("Accept"));
    JsonObject body = json(request.body());
    assertTrue(body.getBoolean("stream"));
    assertTrue(body.getJsonObject("stream_options").getBoolean("include_usage"));

    assertEquals("Paris.", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(19, completion.promptTokens());
    assertEquals(2, completion.completionTokens());
    assertEquals(21, completion.totalTokens());
    assertEquals(0, completion.cachedPromptTokens());
    assertEquals("gpt-4o-mini-2024-07-18", completion.modelVersion());
    assertEquals("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", completion.requestId());
    assertNotNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.timeToFirstTokenNanos() <= completion.latencyNanos());
  }

  @Test
  void shouldTakeTimeToFirstTokenAtFirstContentDeltaNotAtRoleChunk() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                write(out, ROLE);
                Thread.sleep(300);
                write(out, chunk("{\"content\":\"Paris.\"}", null));
                Thread.sleep(200);
                write(out, chunk("{}", "stop"));
                write(out, USAGE);
                write(out, "[DONE]");
              }
            });
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    Completion completion = provider.complete(streamed("gpt-4o-mini")).get(10, TimeUnit.SECONDS);

    long ttftMillis = TimeUnit.NANOSECONDS.toMillis(completion.timeToFirstTokenNanos());
    long latencyMillis = TimeUnit.NANOSECONDS.toMillis(completion.latencyNanos());
    assertTrue(ttftMillis >= 300, "ttft " + ttftMillis + " ms");
    assertTrue(
        latencyMillis >= ttftMillis + 200, "latency " + latencyMillis + ", ttft " + ttftMillis);
    assertEquals("Paris.", completion.text());
  }

  @Test
  void shouldAssembleStreamedToolCallsByIndex() throws Exception {
    // Two parallel calls whose argument pieces interleave, as OpenAI streams them.
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(
                chunk(
                    """
                    {"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_Paris",\
                    "type":"function","function":{"name":"get_weather","arguments":""}}],\
                    "refusal":null}""",
                    null),
                chunk(
                    """
                    {"tool_calls":[{"index":1,"id":"call_Rome","type":"function",\
                    "function":{"name":"get_weather","arguments":""}}]}""",
                    null),
                chunk(
                    "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\"}}]}",
                    null),
                chunk(
                    "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\": \"}}]}",
                    null),
                chunk(
                    "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\": \\\"Paris\\\"}\"}}]}",
                    null),
                chunk(
                    "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"Rome\\\"}\"}}]}",
                    null),
                chunk("{}", "tool_calls"),
                USAGE,
                "[DONE]"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "gpt-4o-mini",
                    List.of(new ChatMessage("user", "Weather in Paris and Rome?")),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    true,
                    List.of(new ToolSpec("get_weather", "Current weather", null)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    assertEquals(
        List.of(
            new ToolCall("call_Paris", "get_weather", "{\"city\": \"Paris\"}"),
            new ToolCall("call_Rome", "get_weather", "{\"city\": \"Rome\"}")),
        completion.toolCalls());
    assertEquals("tool_calls", completion.finishReason());
    assertEquals("", completion.text());
    // A tool call is generated output, so it starts the clock for time to first token.
    assertNotNull(completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldFailWithInvalidResponseWhenStreamEndsWithoutDone() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(ROLE, chunk("{\"content\":\"Par\"}", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    ProviderException e = failure(provider.complete(streamed("gpt-4o-mini")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().contains("without data: [DONE]"), e.getMessage());
  }

  @Test
  void shouldFailWithInvalidResponseWhenConnectionClosesMidStream() throws Exception {
    raw =
        new RawHttpServer(
            socket -> {
              RawHttpServer.write(
                  socket,
                  "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                      + "Transfer-Encoding: chunked\r\n\r\n"
                      + RawHttpServer.chunk("data: " + ROLE + "\n\n")
                      + RawHttpServer.chunk(
                          "data: " + chunk("{\"content\":\"Pa\"}", null) + "\n\n"));
              Thread.sleep(100);
              // An orderly close in the middle of the chunked body: the answer is cut short.
              socket.close();
            });
    var provider = new OpenAiCompatibleProvider(config(raw.baseUrl()));

    long start = System.nanoTime();
    ProviderException e = failure(provider.complete(streamed("gpt-4o-mini")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("cut off"), e.getMessage());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 4000);
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsResetMidStream() throws Exception {
    raw =
        new RawHttpServer(
            socket -> {
              RawHttpServer.write(
                  socket,
                  "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                      + "Transfer-Encoding: chunked\r\n\r\n"
                      + RawHttpServer.chunk("data: " + ROLE + "\n\n"));
              Thread.sleep(100);
              RawHttpServer.reset(socket);
            });
    var provider = new OpenAiCompatibleProvider(config(raw.baseUrl()));

    ProviderException e = failure(provider.complete(streamed("gpt-4o-mini")));

    assertEquals(Kind.NETWORK, e.kind(), e.getMessage());
    assertNull(e.httpStatus());
    assertTrue(e.retryable());
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsResetBeforeAnswering() throws Exception {
    raw = new RawHttpServer(RawHttpServer::reset);
    var provider = new OpenAiCompatibleProvider(config(raw.baseUrl()));

    ProviderException e = failure(provider.complete(streamed("gpt-4o-mini")));

    assertEquals(Kind.NETWORK, e.kind(), e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenStreamStallsAfterFirstChunk() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              OutputStream out = exchange.getResponseBody();
              write(out, ROLE);
              write(out, chunk("{\"content\":\"Par\"}", null));
              server.awaitClose();
            });
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "gpt-4o-mini",
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    Duration.ofMillis(400),
                    true,
                    null,
                    null,
                    null)));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("openai timed out after 400 ms", e.getMessage());
    assertTrue(elapsedMillis < 3000, "took " + elapsedMillis + " ms");
  }

  @Test
  void shouldReportInvalidResponseForMalformedChunk() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(
                ROLE, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":", "[DONE]"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    ProviderException e = failure(provider.complete(streamed("gpt-4o-mini")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().startsWith("openai stream failed: unreadable event"), e.getMessage());
  }

  @Test
  void shouldReportServerErrorForErrorEventInsideStream() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(
                ROLE,
                "{\"error\":{\"message\":\"The server had an error while processing your request.\","
                    + "\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    ProviderException e = failure(provider.complete(streamed("gpt-4o-mini")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(
        e.getMessage().contains("The server had an error while processing your request."),
        e.getMessage());
  }

  @Test
  void shouldReportRateLimitWithRetryAfterForStreamedRequest() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "7");
              FakeOpenAiServer.respond(
                  exchange,
                  429,
                  """
                  {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-1 on \
                  requests per min (RPM): Limit 3, Used 3, Requested 1.","type":"requests",\
                  "param":null,"code":"rate_limit_exceeded"}}""");
            });
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    ProviderException e = failure(provider.complete(streamed("gpt-4o-mini")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(429, e.httpStatus());
    assertEquals(7000L, e.retryAfterMillis());
    assertTrue(e.getMessage().contains("Rate limit reached for gpt-4o-mini"), e.getMessage());
  }

  @Test
  void shouldAcceptJsonAnswerFromServerThatDoesNotStream() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"id":"cmpl-1","object":"chat.completion","model":"llama","choices":[{"index":0,\
                "message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}]}"""));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl()));

    Completion completion = provider.complete(streamed("llama")).get(10, TimeUnit.SECONDS);

    assertEquals("Paris.", completion.text());
    assertNull(completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldOmitStreamOptionsWhenSettingTurnsThemOff() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(chunk("{\"content\":\"Hi\"}", "stop"), "[DONE]"));
    var provider =
        new OpenAiCompatibleProvider(
            new ProviderConfig(
                "openai",
                "openai",
                server.baseUrl(),
                KEY,
                List.of("llama"),
                Duration.ofSeconds(10),
                Map.of(),
                Map.of("stream-include-usage", "false")));

    Completion completion = provider.complete(streamed("llama")).get(10, TimeUnit.SECONDS);

    assertFalse(json(server.takeRequest().body()).containsKey("stream_options"));
    assertEquals("Hi", completion.text());
    assertNull(completion.promptTokens());
  }

  @Test
  void shouldRejectInvalidStreamUsageSetting() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new OpenAiCompatibleProvider(
                new ProviderConfig(
                    "openai",
                    "openai",
                    URI.create("http://127.0.0.1:1/v1"),
                    null,
                    null,
                    null,
                    null,
                    Map.of("stream-include-usage", "yes"))));
  }

  private static void write(OutputStream out, String event) throws java.io.IOException {
    out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ProviderConfig config(URI baseUrl) {
    return new ProviderConfig(
        "openai", "openai", baseUrl, KEY, List.of("gpt-4o-mini"), Duration.ofSeconds(5), Map.of());
  }

  private static CompletionRequest streamed(String model) {
    return new CompletionRequest(
        model,
        List.of(new ChatMessage("user", "Capital of France?")),
        null,
        null,
        null,
        Duration.ofSeconds(5),
        true,
        null,
        null,
        null);
  }

  static ProviderException failure(CompletableFuture<Completion> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }

  static JsonObject json(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }
}
