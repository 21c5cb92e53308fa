package dev.llmtestbench.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

class OpenAiCompatibleProviderTest {

  private static final String KEY = "sk-test-0123456789abcdef";

  // A real gpt-4o-mini response, as OpenAI sends it.
  private static final String COMPLETION =
"""
{
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [
    {
      "index": 0,
      "message": {"role": "assistant", "content": "Paris.", "refusal": null, "annotations": []},
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": 19,
    "completion_tokens": 2,
    "total_tokens": 21,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": "fp_06737a9306"
}
""";

  private FakeOpenAiServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldPostChatCompletionAndParseResponse() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    // A trailing slash on the base URL is common in configs and must not produce "//chat".
    var provider =
        new OpenAiCompatibleProvider(
            config(
                URI.create(server.baseUrl() + "/"), KEY, Map.of("OpenAI-Organization", "org-1")));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "gpt-4o-mini",
                    List.of(
                        new ChatMessage("system", "Answer in one word."),
                        new ChatMessage("user", "Capital of France?")),
                    0.2,
                    64,
                    Map.of(),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    assertEquals("org-1", request.headers().getFirst("OpenAI-Organization"));
    JsonObject body = json(request.body());
    assertEquals("gpt-4o-mini", body.getString("model"));
    assertEquals(2, body.getJsonArray("messages").size());
    JsonObject user = body.getJsonArray("messages").getJsonObject(1);
    assertEquals("user", user.getString("role"));
    assertEquals("Capital of France?", user.getString("content"));
    assertEquals(0.2, body.getJsonNumber("temperature").doubleValue());
    assertEquals(64, body.getInt("max_tokens"));
    assertFalse(body.getBoolean("stream"));

    assertEquals("Paris.", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(19, completion.promptTokens());
    assertEquals(2, completion.completionTokens());
    assertEquals(21, completion.totalTokens());
    assertEquals("gpt-4o-mini-2024-07-18", completion.modelVersion());
    assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", completion.requestId());
    assertTrue(completion.latencyNanos() > 0);
  }

  @Test
  void shouldOmitAuthorizationAndUnsetFieldsWhenNotConfigured() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), null, Map.of()));

    provider.complete(request("llama-3.1-8b", "Hi")).get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertNull(request.headers().getFirst("Authorization"));
    JsonObject body = json(request.body());
    assertFalse(body.containsKey("temperature"));
    assertFalse(body.containsKey("max_tokens"));
    assertEquals(Set.of("model", "messages", "stream"), body.keySet());
  }

  @Test
  void shouldUseFirstConfiguredModelWhenRequestNamesNone() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), null, Map.of()));

    provider.complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("gpt-4o-mini", json(server.takeRequest().body()).getString("model"));
  }

  @Test
  void shouldKeepBaseUrlQueryAndMaskItInErrors() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(500, "{}"));
    URI azureStyle =
        URI.create(server.baseUrl() + "/openai/deployments/gpt4?api-version=2024-02-01");
    var provider = new OpenAiCompatibleProvider(config(azureStyle, null, Map.of()));

    failure(provider.complete(request("gpt4", "Hi")));

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("/v1/openai/deployments/gpt4/chat/completions", request.path());
    assertEquals("api-version=2024-02-01", request.query());
  }

  @Test
  void shouldReturnNullTokensAndEmptyTextWhenUsageAndContentAreAbsent() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"id":"cmpl-1","object":"chat.completion","model":"qwen2.5-0.5b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null},
                 "finish_reason":"length"}]}
                """));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), null, Map.of()));

    Completion completion = provider.complete(request("qwen", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("", completion.text());
    assertEquals("length", completion.finishReason());
    assertNull(completion.promptTokens());
    assertNull(completion.completionTokens());
    assertNull(completion.totalTokens());
  }

  @Test
  void shouldReportUnauthorizedWithProviderMessageButWithoutTheKey() throws Exception {
    // OpenAI echoes a masked key; this server echoes it whole, which must still not leak.
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                401,
"""
{"error":{"message":"Incorrect API key provided: %s. You can find your API key at https://platform.openai.com/account/api-keys.",
 "type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
"""
                    .formatted(KEY)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertEquals(401, e.httpStatus());
    assertTrue(
        e.getMessage().startsWith("openai returned HTTP 401: Incorrect API key provided"),
        e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
    assertTrue(e.latencyNanos() > 0);
  }

  @ParameterizedTest
  @CsvSource({
    "400, BAD_REQUEST",
    "403, UNAUTHORIZED",
    "404, BAD_REQUEST",
    "408, TIMEOUT",
    "429, RATE_LIMITED",
    "500, SERVER_ERROR",
    "503, SERVER_ERROR",
    "504, TIMEOUT"
  })
  void shouldClassifyErrorStatus(int status, Kind kind) throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                status,
                "{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini\",\"type\":\"x\"}}"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(kind, e.kind());
    assertEquals(status, e.httpStatus());
    assertEquals(
        "openai returned HTTP " + status + ": Rate limit reached for gpt-4o-mini", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "retry-after: 20 | 20000",
        "retry-after: 1.5 | 1500",
        "retry-after-ms: 250 | 250",
        "retry-after-ms: 250, retry-after: 1 | 250",
        "x-ratelimit-remaining-requests: 0, x-ratelimit-reset-requests: 6m0s,"
            + " x-ratelimit-remaining-tokens: 9000, x-ratelimit-reset-tokens: 20ms | 360000",
        "x-ratelimit-remaining-requests: 10, x-ratelimit-reset-requests: 1s,"
            + " x-ratelimit-remaining-tokens: 0, x-ratelimit-reset-tokens: 1m30.5s | 90500",
        "x-ratelimit-reset-requests: 2s, x-ratelimit-reset-tokens: 350ms | 2000",
        "retry-after: soon | ",
        "x-ratelimit-reset-requests: later | "
      })
  void shouldReadRetryHintsOfRateLimitedAnswer(String headerList, Long expectedMillis)
      throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              for (String header : headerList.split(",")) {
                String[] nameValue = header.split(":", 2);
                exchange.getResponseHeaders().add(nameValue[0].strip(), nameValue[1].strip());
              }
              FakeOpenAiServer.respond(
                  exchange,
                  429,
                  "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                      + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
            });
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertTrue(e.retryable());
    assertEquals(expectedMillis, e.retryAfterMillis());
  }

  @Test
  void shouldReadRetryAfterAsHttpDateOnServiceUnavailable() throws Exception {
    String inThirtySeconds =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30));
    server =
        new FakeOpenAiServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", inThirtySeconds);
              FakeOpenAiServer.respond(
                  exchange,
                  503,
                  "{\"error\":{\"message\":\"The engine is currently overloaded, please try again"
                      + " later\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            });
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertEquals(503, e.httpStatus());
    // HTTP dates have whole seconds, so the wait is just under 30 s.
    assertTrue(
        e.retryAfterMillis() > 28_000 && e.retryAfterMillis() <= 30_000, "" + e.retryAfterMillis());
    assertTrue(e.getMessage().contains("currently overloaded"), e.getMessage());
  }

  @Test
  void shouldReportInvalidResponseForMalformedJson() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(200, "{\"id\": \"chatcmpl-1\", \"choices\": [}"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertFalse(e.retryable());
  }

  @Test
  void shouldReportInvalidResponseWhenBodyEndsBeforeContentLength() throws Exception {
    try (RawHttpServer raw =
        new RawHttpServer(
            socket -> {
              RawHttpServer.write(
                  socket,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n"
                      + COMPLETION.substring(0, 120));
              socket.close();
            })) {
      var provider = new OpenAiCompatibleProvider(config(raw.baseUrl(), KEY, Map.of()));

      ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

      assertEquals(Kind.INVALID_RESPONSE, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("was cut off"), e.getMessage());
    }
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsReset() throws Exception {
    try (RawHttpServer raw = new RawHttpServer(RawHttpServer::reset)) {
      var provider = new OpenAiCompatibleProvider(config(raw.baseUrl(), KEY, Map.of()));

      long start = System.nanoTime();
      ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

      assertEquals(Kind.NETWORK, e.kind(), e.getMessage());
      assertTrue(e.getMessage().startsWith("openai request to http://127.0.0.1:"), e.getMessage());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
    }
  }

  @Test
  void shouldTruncateLongNonJsonErrorBodies() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(502, "<html>" + "x".repeat(5000)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.getMessage().startsWith("openai returned HTTP 502: <html>xxx"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, "length " + e.getMessage().length());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"{\"choices\": [{\"message\": ", "{\"object\":\"list\",\"data\":[]}", "[1, 2]"})
  void shouldReportInvalidResponseForUnusableBody(String body) throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, body));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().startsWith("openai returned an invalid response"), e.getMessage());
  }

  @Test
  void shouldTimeOutWhenServerNeverAnswers() throws Exception {
    server = new FakeOpenAiServer(exchange -> server.awaitClose());
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "gpt-4o-mini",
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    Duration.ofMillis(300))));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertNull(e.httpStatus());
    assertEquals("openai timed out after 300 ms", e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "" + e.latencyNanos());
  }

  @Test
  void shouldTimeOutWhenBodyStallsAfterHeaders() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 1000);
              OutputStream out = exchange.getResponseBody();
              out.write("{\"id\":".getBytes(StandardCharsets.UTF_8));
              out.flush();
              server.awaitClose();
            });
    // The config timeout applies when the request has none.
    var provider =
        new OpenAiCompatibleProvider(
            new ProviderConfig(
                "openai",
                "openai",
                server.baseUrl(),
                KEY,
                List.of("gpt-4o-mini"),
                Duration.ofMillis(300),
                Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var provider =
        new OpenAiCompatibleProvider(
            config(URI.create("http://127.0.0.1:" + port + "/v1"), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("gpt-4o-mini", "Hi")));

    assertEquals(Kind.NETWORK, e.kind());
    assertNull(e.httpStatus());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void shouldFailWithProviderExceptionItselfAndNeverThrowFromComplete() {
    var provider =
        new OpenAiCompatibleProvider(
            new ProviderConfig(
                "local", "openai", URI.create("http://127.0.0.1:1/v1"), null, null, null, null));

    CompletableFuture<Completion> future = provider.complete(request(null, "Hi"));

    // The raw exception reaches handle()/whenComplete(), not a CompletionException wrapper.
    Throwable error = future.handle((completion, e) -> e).join();
    ProviderException e = assertInstanceOf(ProviderException.class, error);
    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals(
        Kind.BAD_REQUEST,
        failure(provider.complete(new CompletionRequest("m", List.of(), null, null, null, null)))
            .kind());
  }

  @Test
  void shouldRejectConfigWithoutHttpBaseUrlOrWithForbiddenHeader() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new OpenAiCompatibleProvider(config(URI.create("ftp://host/v1"), null, Map.of())));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new OpenAiCompatibleProvider(
                config(URI.create("http://host/v1"), null, Map.of("Host", "evil"))));
  }

  @Test
  void shouldServeManyConcurrentCallsWithoutBlocking() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              Thread.sleep(200);
              FakeOpenAiServer.respond(exchange, 200, COMPLETION);
            });
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), KEY, Map.of()));

    long start = System.nanoTime();
    List<CompletableFuture<Completion>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(provider.complete(request("gpt-4o-mini", "Question " + i)));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // Sequential calls would take 50 x 200 ms = 10 s.
    assertTrue(elapsedMillis < 3000, "took " + elapsedMillis + " ms");
    for (CompletableFuture<Completion> future : futures) {
      assertEquals("Paris.", future.join().text());
      assertTrue(future.join().latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(200));
    }
    assertEquals(50, server.received.size());
  }

  private static ProviderConfig config(URI baseUrl, String apiKey, Map<String, String> headers) {
    return new ProviderConfig(
        "openai",
        "openai",
        baseUrl,
        apiKey,
        List.of("gpt-4o-mini"),
        Duration.ofSeconds(10),
        headers);
  }

  private static CompletionRequest request(String model, String prompt) {
    return new CompletionRequest(
        model, List.of(new ChatMessage("user", prompt)), null, null, null, null);
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
