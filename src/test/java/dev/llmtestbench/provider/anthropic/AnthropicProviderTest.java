package dev.llmtestbench.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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

/**
 * The adapter against a local server speaking the Anthropic API as documented in:
 *
 * <ul>
 *   <li>Messages: https://platform.claude.com/docs/en/api/messages/create
 *   <li>Errors: https://platform.claude.com/docs/en/api/errors
 *   <li>Models: https://platform.claude.com/docs/en/api/models-list
 *   <li>Stop reasons: https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons
 *   <li>Vision: https://platform.claude.com/docs/en/build-with-claude/vision
 *   <li>Tool use: https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview
 *   <li>Structured outputs:
 *       https://platform.claude.com/docs/en/build-with-claude/structured-outputs
 * </ul>
 *
 * Streaming is covered by {@link AnthropicStreamingTest}.
 */
class AnthropicProviderTest {

  private static final String KEY = "sk-ant-api03-test-0123456789abcdef";

  // A Message as the reference documents it, with the cache fields of prompt caching.
  private static final String MESSAGE =
      """
      {
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-6",
        "content": [{"type": "text", "text": "Paris."}],
        "stop_reason": "end_turn",
        "stop_sequence": null,
        "usage": {
          "input_tokens": 19,
          "cache_creation_input_tokens": 5,
          "cache_read_input_tokens": 100,
          "output_tokens": 4,
          "service_tier": "standard"
        }
      }
      """;

  private FakeAnthropicServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldPostMessageWithDocumentedHeadersAndBodyAndParseTheAnswer() throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "claude-sonnet-4-6",
                    List.of(
                        new ChatMessage("system", "Answer in one word."),
                        new ChatMessage("system", "Be exact."),
                        new ChatMessage("user", "Capital of France?")),
                    0.2,
                    64,
                    Map.of(),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeAnthropicServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1/messages", request.path());
    assertNull(request.query());
    assertEquals(KEY, request.headers().getFirst("x-api-key"));
    assertEquals("2023-06-01", request.headers().getFirst("anthropic-version"));
    assertEquals("application/json", request.headers().getFirst("content-type"));
    assertNull(request.headers().getFirst("Authorization"));
    JsonObject body = json(request.body());
    assertEquals(Set.of("model", "max_tokens", "system", "messages", "temperature"), body.keySet());
    assertEquals("claude-sonnet-4-6", body.getString("model"));
    assertEquals(64, body.getInt("max_tokens"));
    assertEquals("Answer in one word.\n\nBe exact.", body.getString("system"));
    assertEquals(0.2, body.getJsonNumber("temperature").doubleValue());
    JsonArray messages = body.getJsonArray("messages");
    assertEquals(1, messages.size());
    assertEquals("user", messages.getJsonObject(0).getString("role"));
    assertEquals("Capital of France?", messages.getJsonObject(0).getString("content"));

    assertEquals("Paris.", completion.text());
    assertEquals("end_turn", completion.finishReason());
    // input_tokens excludes the cache reads and writes; the prompt is all three.
    assertEquals(124, completion.promptTokens());
    assertEquals(100, completion.cachedPromptTokens());
    assertEquals(4, completion.completionTokens());
    assertEquals(128, completion.totalTokens());
    assertEquals("claude-sonnet-4-6", completion.modelVersion());
    assertEquals("msg_013Zva2CMHLNnXjNJJKqJ2EF", completion.requestId());
    assertFalse(completion.blocked());
    assertFalse(completion.tokensEstimated());
    assertNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.toolCalls().isEmpty());
    assertTrue(completion.latencyNanos() > 0);
  }

  @Test
  void shouldSendDefaultMaxTokensAndFirstConfiguredModelAndOnlyRequiredFields() throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider =
        new AnthropicProvider(
            config(
                server.baseUrl(),
                KEY,
                Map.of(),
                Map.of("default-max-tokens", "256", "anthropic-version", "2024-01-01")));

    provider.complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    FakeAnthropicServer.Received request = server.takeRequest();
    assertEquals("2024-01-01", request.headers().getFirst("anthropic-version"));
    assertEquals("2024-01-01", provider.apiVersion());
    JsonObject body = json(request.body());
    assertEquals(Set.of("model", "max_tokens", "messages"), body.keySet());
    assertEquals("claude-haiku-4-5", body.getString("model"));
    assertEquals(256, body.getInt("max_tokens"));
  }

  @Test
  void shouldSendMaxTokens1024WhenNeitherRequestNorSettingsSayAndNoKeyWhenNoneIsSet()
      throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider = new AnthropicProvider(config(server.baseUrl(), null, Map.of()));

    provider.complete(request("claude-haiku-4-5", "Hi")).get(10, TimeUnit.SECONDS);

    FakeAnthropicServer.Received request = server.takeRequest();
    assertNull(request.headers().getFirst("x-api-key"));
    assertEquals(1024, json(request.body()).getInt("max_tokens"));
    assertEquals("2023-06-01", provider.apiVersion());
  }

  @Test
  void shouldMergeConsecutiveTurnsOfOneRoleIntoContentArrays() throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    provider
        .complete(
            new CompletionRequest(
                "claude-haiku-4-5",
                List.of(
                    new ChatMessage("user", "First."),
                    new ChatMessage("system", "Be brief."),
                    new ChatMessage("user", "Second."),
                    new ChatMessage("assistant", "Noted."),
                    new ChatMessage("user", "Third.")),
                null,
                null,
                null,
                null))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals("Be brief.", body.getString("system"));
    JsonArray messages = body.getJsonArray("messages");
    assertEquals(3, messages.size());
    JsonObject first = messages.getJsonObject(0);
    assertEquals("user", first.getString("role"));
    assertEquals(
        json("""
            {"c":[{"type":"text","text":"First."},{"type":"text","text":"Second."}]}
            """)
            .getJsonArray("c"),
        first.getJsonArray("content"));
    assertEquals("assistant", messages.getJsonObject(1).getString("role"));
    assertEquals("Noted.", messages.getJsonObject(1).getString("content"));
    assertEquals("Third.", messages.getJsonObject(2).getString("content"));
  }

  @Test
  void shouldSendImagesAsBase64AndUrlSourcesBeforeTheirText() throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    provider
        .complete(
            new CompletionRequest(
                "claude-sonnet-4-6",
                List.of(
                    new ChatMessage(
                        "user",
                        "Compare these.",
                        List.of(
                            ContentPart.image("image/png", "iVBORw0KGgo="),
                            new ContentPart(
                                ContentPart.IMAGE,
                                null,
                                null,
                                "https://upload.wikimedia.org/ant.jpg"),
                            new ContentPart(
                                ContentPart.IMAGE,
                                null,
                                null,
                                "data:image/webp;base64,UklGRg==")))),
                null,
                null,
                null,
                null))
        .get(10, TimeUnit.SECONDS);

    JsonArray content =
        json(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("content");
    assertEquals(
        json("""
            {"c":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/ant.jpg"}},
              {"type":"image","source":{"type":"base64","media_type":"image/webp","data":"UklGRg=="}},
              {"type":"text","text":"Compare these."}
            ]}
            """)
            .getJsonArray("c"),
        content);
  }

  @Test
  void shouldSendToolsAsInputSchemasAndReturnToolUseBlocksAsToolCalls() throws Exception {
    server =
        new FakeAnthropicServer(
            FakeAnthropicServer.answering(
                200,
                """
                {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant",
                 "model":"claude-sonnet-4-6",
                 "content":[
                   {"type":"text","text":"I'll check the weather."},
                   {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather",
                    "input":{"location":"San Francisco, CA","unit":"celsius"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":384,"output_tokens":89}}
                """));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
            + "\"required\":[\"location\"]}";

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "claude-sonnet-4-6",
                    List.of(new ChatMessage("user", "Weather in San Francisco?")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of(
                        new ToolSpec("get_weather", "Get the current weather", schema),
                        new ToolSpec("get_time", null, null)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    JsonArray tools = json(server.takeRequest().body()).getJsonArray("tools");
    assertEquals(
        json("{\"t\":[{\"name\":\"get_weather\",\"description\":\"Get the current weather\","
                + "\"input_schema\":"
                + schema
                + "},{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\","
                + "\"properties\":{}}}]}")
            .getJsonArray("t"),
        tools);
    assertEquals("tool_use", completion.finishReason());
    assertEquals("I'll check the weather.", completion.text());
    assertEquals(1, completion.toolCalls().size());
    ToolCall call = completion.toolCalls().get(0);
    assertEquals("toolu_01A09q90qw90lq917835lq9", call.id());
    assertEquals("get_weather", call.name());
    assertEquals(
        json("{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"), json(call.arguments()));
    assertEquals(384, completion.promptTokens());
    assertNull(completion.cachedPromptTokens());
  }

  @Test
  void shouldSendJsonSchemaAsOutputConfigFormat() throws Exception {
    server =
        new FakeAnthropicServer(
            FakeAnthropicServer.answering(
                200, MESSAGE.replace("\"Paris.\"", "\"{\\\"capital\\\":\\\"Paris\\\"}\"")));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"capital\":{\"type\":\"string\"}},"
            + "\"required\":[\"capital\"],\"additionalProperties\":false}";

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "claude-sonnet-4-6",
                    List.of(new ChatMessage("user", "Capital of France?")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    new ResponseFormat(ResponseFormat.JSON_SCHEMA, "capital", schema),
                    null))
            .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals(
        json("{\"format\":{\"type\":\"json_schema\",\"schema\":" + schema + "}}"),
        body.getJsonObject("output_config"));
    assertEquals("{\"capital\":\"Paris\"}", completion.text());
  }

  @Test
  void shouldMarkRefusalAsBlocked() throws Exception {
    server =
        new FakeAnthropicServer(
            FakeAnthropicServer.answering(
                200,
                """
                {"id":"msg_refused","type":"message","role":"assistant","model":"claude-sonnet-4-6",
                 "content":[],"stop_reason":"refusal","stop_sequence":null,
                 "usage":{"input_tokens":12,"output_tokens":0}}
                """));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    Completion completion =
        provider.complete(request("claude-sonnet-4-6", "Something bad")).get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals("refusal", completion.finishReason());
    assertEquals("", completion.text());
    assertEquals(12, completion.totalTokens());
  }

  @Test
  void shouldSendTopPAndTopKOptionsAndIgnoreOtherAdaptersOptions() throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    provider
        .complete(
            new CompletionRequest(
                "claude-haiku-4-5",
                List.of(new ChatMessage("user", "Hi")),
                null,
                null,
                Map.of("top_p", "0.9", "top_k", "40", "latencyMs", "5"),
                null))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals(0.9, body.getJsonNumber("top_p").doubleValue());
    assertEquals(40, body.getInt("top_k"));
    assertFalse(body.containsKey("latencyMs"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "audio | UNSUPPORTED | Claude takes images only",
        "logprobs | UNSUPPORTED | log probabilities",
        "json_object | UNSUPPORTED | json_object",
        "tiff | UNSUPPORTED | image/tiff",
        "tool_role | BAD_REQUEST | role 'tool'",
        "bad_schema | BAD_REQUEST | tool broken",
        "zero_max_tokens | BAD_REQUEST | maxTokens must be at least 1",
        "empty_user | BAD_REQUEST | has no content",
        "only_system | BAD_REQUEST | no user or assistant message",
        "bad_top_k | BAD_REQUEST | top_k"
      })
  void shouldRefuseWhatTheApiCannotTakeWithoutSendingAnything(
      String what, Kind kind, String mentioned) throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));
    List<ChatMessage> hi = List.of(new ChatMessage("user", "Hi"));
    CompletionRequest request =
        switch (what) {
          case "audio" ->
              new CompletionRequest(
                  "m",
                  List.of(
                      new ChatMessage(
                          "user", "Transcribe", List.of(ContentPart.audio("audio/wav", "UklGR")))),
                  null,
                  null,
                  null,
                  null);
          case "logprobs" ->
              new CompletionRequest("m", hi, null, null, null, null, false, null, null, 0);
          case "json_object" ->
              new CompletionRequest(
                  "m", hi, null, null, null, null, false, null, ResponseFormat.jsonObject(), null);
          case "tiff" ->
              new CompletionRequest(
                  "m",
                  List.of(
                      new ChatMessage(
                          "user", "What?", List.of(ContentPart.image("image/tiff", "SUkq")))),
                  null,
                  null,
                  null,
                  null);
          case "tool_role" ->
              new CompletionRequest(
                  "m",
                  List.of(new ChatMessage("user", "Hi"), new ChatMessage("tool", "42")),
                  null,
                  null,
                  null,
                  null);
          case "bad_schema" ->
              new CompletionRequest(
                  "m",
                  hi,
                  null,
                  null,
                  null,
                  null,
                  false,
                  List.of(new ToolSpec("broken", null, "[1]")),
                  null,
                  null);
          case "zero_max_tokens" -> new CompletionRequest("m", hi, null, 0, null, null);
          case "empty_user" ->
              new CompletionRequest(
                  "m", List.of(new ChatMessage("user", "")), null, null, null, null);
          case "only_system" ->
              new CompletionRequest(
                  "m", List.of(new ChatMessage("system", "Be brief.")), null, null, null, null);
          case "bad_top_k" ->
              new CompletionRequest("m", hi, null, null, Map.of("top_k", "many"), null);
          default -> throw new IllegalArgumentException(what);
        };

    ProviderException e = failure(provider.complete(request));

    assertEquals(kind, e.kind());
    assertTrue(e.getMessage().startsWith("anthropic: "), e.getMessage());
    assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    assertNull(e.httpStatus());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldReportUnauthorizedWithErrorTypeMessageAndRequestIdButNeverTheKey() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              exchange.getResponseHeaders().set("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
              // Anthropic does not echo keys; this server does, which must still not leak.
              FakeAnthropicServer.respond(
                  exchange,
                  401,
                  """
                  {"type":"error","error":{"type":"authentication_error",
                   "message":"invalid x-api-key %s"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}
                  """
                      .formatted(KEY));
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertEquals(401, e.httpStatus());
    assertEquals(
        "anthropic returned HTTP 401: authentication_error: invalid x-api-key ****"
            + " (request-id req_011CSHoEeqs5C35K2UUqR7Fy)",
        e.getMessage());
    assertFalse(e.retryable());
    assertTrue(e.latencyNanos() > 0);
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid_request_error, BAD_REQUEST, false",
    "402, billing_error, BAD_REQUEST, false",
    "403, permission_error, UNAUTHORIZED, false",
    "404, not_found_error, BAD_REQUEST, false",
    "413, request_too_large, BAD_REQUEST, false",
    "429, rate_limit_error, RATE_LIMITED, true",
    "500, api_error, SERVER_ERROR, true",
    "503, api_error, SERVER_ERROR, true",
    "504, timeout_error, TIMEOUT, true",
    "529, overloaded_error, SERVER_ERROR, true"
  })
  void shouldClassifyDocumentedErrors(int status, String type, Kind kind, boolean retryable)
      throws Exception {
    server =
        new FakeAnthropicServer(
            FakeAnthropicServer.answering(
                status,
                "{\"type\":\"error\",\"error\":{\"type\":\""
                    + type
                    + "\",\"message\":\"Details\"}}"));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(kind, e.kind());
    assertEquals(status, e.httpStatus());
    assertEquals(retryable, e.retryable());
    assertEquals("anthropic returned HTTP " + status + ": " + type + ": Details", e.getMessage());
    assertNull(e.retryAfterMillis());
  }

  @Test
  void shouldTreatOverloadedErrorAsServerErrorWhateverTheStatus() throws Exception {
    // Some gateways relay Anthropic's 529 under a status of their own.
    server =
        new FakeAnthropicServer(
            FakeAnthropicServer.answering(
                400,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.retryable());
  }

  @Test
  void shouldReadRetryAfterSecondsOfRateLimit() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              exchange.getResponseHeaders().set("retry-after", "17");
              exchange.getResponseHeaders().set("anthropic-ratelimit-requests-remaining", "0");
              FakeAnthropicServer.respond(
                  exchange,
                  429,
                  "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                      + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}");
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(17_000L, e.retryAfterMillis());
    assertTrue(e.getMessage().contains("per-minute rate limit"), e.getMessage());
  }

  @Test
  void shouldReadRetryAfterHttpDateOfOverload() throws Exception {
    String in30s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30));
    server =
        new FakeAnthropicServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", in30s);
              FakeAnthropicServer.respond(
                  exchange,
                  529,
                  "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.retryable());
    // HTTP dates have whole seconds, so the wait is between 28 and 30 s.
    assertTrue(
        e.retryAfterMillis() > 28_000 && e.retryAfterMillis() <= 30_000, "" + e.retryAfterMillis());
  }

  @Test
  void shouldTruncateLongNonJsonErrorBodies() throws Exception {
    server =
        new FakeAnthropicServer(FakeAnthropicServer.answering(502, "<html>" + "x".repeat(5000)));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.getMessage().startsWith("anthropic returned HTTP 502: <html>xxx"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, "length " + e.getMessage().length());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",",
        "{\"id\":\"msg_1\",\"type\":\"message\",\"stop_reason\":\"end_turn\"}",
        "{\"content\":[{\"type\":\"text\"}]}",
        "[1, 2]"
      })
  void shouldReportInvalidResponseForUnusableBody(String body) throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, body));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().startsWith("anthropic returned an invalid response"), e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenServerNeverAnswers() throws Exception {
    server = new FakeAnthropicServer(exchange -> server.awaitClose());
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "claude-haiku-4-5",
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    Duration.ofMillis(300))));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(Kind.TIMEOUT, e.kind());
    assertNull(e.httpStatus());
    assertEquals("anthropic timed out after 300 ms", e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "" + e.latencyNanos());
    assertTrue(elapsedMillis < 3000, "took " + elapsedMillis + " ms");
  }

  @Test
  void shouldTimeOutWhenBodyStallsAfterHeaders() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 1000);
              OutputStream out = exchange.getResponseBody();
              out.write("{\"id\":".getBytes(StandardCharsets.UTF_8));
              out.flush();
              server.awaitClose();
            });
    // The config timeout applies when the request has none.
    var provider =
        new AnthropicProvider(
            new ProviderConfig(
                "anthropic",
                "anthropic",
                server.baseUrl(),
                KEY,
                List.of("claude-haiku-4-5"),
                Duration.ofMillis(300),
                Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsReset() throws Exception {
    try (var resetting =
        new ResettingServer(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                + "{\"id\":\"msg_01\",\"type\":\"message\",")) {
      var provider = new AnthropicProvider(config(resetting.baseUrl(), KEY, Map.of()));

      long start = System.nanoTime();
      ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

      assertEquals(Kind.NETWORK, e.kind());
      assertTrue(e.retryable());
      assertTrue(e.getMessage().contains(resetting.baseUrl() + "/v1/messages"), e.getMessage());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var provider =
        new AnthropicProvider(config(URI.create("http://127.0.0.1:" + port), KEY, Map.of()));

    ProviderException e = failure(provider.complete(request("claude-haiku-4-5", "Hi")));

    assertEquals(Kind.NETWORK, e.kind());
    assertNull(e.httpStatus());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void shouldFailWithProviderExceptionItselfAndNeverThrowFromComplete() {
    var provider =
        new AnthropicProvider(
            new ProviderConfig(
                "claude", "anthropic", URI.create("http://127.0.0.1:1"), null, null, null, null));

    CompletableFuture<Completion> future = provider.complete(request(null, "Hi"));

    // The raw exception reaches handle()/whenComplete(), not a CompletionException wrapper.
    Throwable error = future.handle((completion, e) -> e).join();
    ProviderException e = assertInstanceOf(ProviderException.class, error);
    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals("claude: the request names no model and none is configured", e.getMessage());
    assertEquals(
        Kind.BAD_REQUEST,
        failure(provider.complete(new CompletionRequest("m", List.of(), null, null, null, null)))
            .kind());
    assertEquals(Kind.BAD_REQUEST, failure(provider.complete(null)).kind());
  }

  @Test
  void shouldListModelsPageByPage() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              String query = exchange.getRequestURI().getRawQuery();
              if (query.contains("after_id=")) {
                FakeAnthropicServer.respond(
                    exchange,
                    200,
                    """
                    {"data":[{"type":"model","id":"claude-3-haiku-20240307",
                      "display_name":"Claude Haiku 3","created_at":"2024-03-07T00:00:00Z"}],
                     "has_more":false,"first_id":"claude-3-haiku-20240307",
                     "last_id":"claude-3-haiku-20240307"}
                    """);
              } else {
                FakeAnthropicServer.respond(
                    exchange,
                    200,
                    """
                    {"data":[
                      {"type":"model","id":"claude-sonnet-4-6","display_name":"Claude Sonnet 4.6",
                       "created_at":"2026-02-17T00:00:00Z","max_input_tokens":1000000,
                       "max_tokens":64000,"capabilities":{"image_input":{"supported":true}}},
                      {"type":"model","id":"claude-haiku-4-5-20251001",
                       "display_name":"Claude Haiku 4.5","created_at":"2025-10-15T00:00:00Z",
                       "max_input_tokens":200000,"max_tokens":64000}],
                     "has_more":true,"first_id":"claude-sonnet-4-6",
                     "last_id":"claude-haiku-4-5-20251001"}
                    """);
              }
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);

    FakeAnthropicServer.Received first = server.takeRequest();
    assertEquals("GET", first.method());
    assertEquals("/v1/models", first.path());
    assertEquals("limit=1000", first.query());
    assertEquals(KEY, first.headers().getFirst("x-api-key"));
    assertEquals("2023-06-01", first.headers().getFirst("anthropic-version"));
    assertEquals("", first.body());
    FakeAnthropicServer.Received second = server.takeRequest();
    assertEquals("limit=1000&after_id=claude-haiku-4-5-20251001", second.query());
    assertEquals(
        List.of(
            new ModelInfo("claude-sonnet-4-6", "Claude Sonnet 4.6", 1_000_000),
            new ModelInfo("claude-haiku-4-5-20251001", "Claude Haiku 4.5", 200_000),
            new ModelInfo("claude-3-haiku-20240307", "Claude Haiku 3", null)),
        models);
  }

  @Test
  void shouldFailModelListingWithProviderExceptionAndReportHealthDown() throws Exception {
    server =
        new FakeAnthropicServer(
            FakeAnthropicServer.answering(
                401,
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    Throwable error = provider.listModels().handle((models, e) -> e).get(10, TimeUnit.SECONDS);
    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    ProviderException e = assertInstanceOf(ProviderException.class, error);
    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertFalse(health.up());
    assertEquals(
        "anthropic returned HTTP 401: authentication_error: invalid x-api-key", health.message());
  }

  @Test
  void shouldReportHealthUpWithTheModelCount() throws Exception {
    server =
        new FakeAnthropicServer(
            FakeAnthropicServer.answering(
                200,
                """
                {"data":[{"type":"model","id":"claude-haiku-4-5-20251001",
                  "display_name":"Claude Haiku 4.5","created_at":"2025-10-15T00:00:00Z"}],
                 "has_more":false,"first_id":"claude-haiku-4-5-20251001",
                 "last_id":"claude-haiku-4-5-20251001"}
                """));
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    assertTrue(health.up());
    assertEquals("1 model(s)", health.message());
  }

  @Test
  void shouldReportCapabilitiesOfClaude() {
    var provider =
        new AnthropicProvider(config(URI.create("https://api.anthropic.com"), KEY, Map.of()));
    var larger =
        new AnthropicProvider(
            config(
                URI.create("https://api.anthropic.com"),
                KEY,
                Map.of(),
                Map.of("max-context-tokens", "1000000")));

    Capabilities capabilities = provider.capabilities("claude-sonnet-4-6");

    assertEquals(List.of("streaming", "vision", "function_calling"), capabilities.names());
    assertEquals(200_000, capabilities.maxContextTokens());
    assertEquals(capabilities, provider.capabilities(null));
    assertEquals(1_000_000, larger.capabilities(null).maxContextTokens());
    assertEquals("anthropic", provider.type());
    assertEquals(Kind.UNSUPPORTED, failure(provider.embed(null)).kind());
    assertEquals(Kind.UNSUPPORTED, failure(provider.rerank(null)).kind());
  }

  @ParameterizedTest
  @CsvSource({
    "https://api.anthropic.com, https://api.anthropic.com/v1/messages",
    "https://api.anthropic.com/, https://api.anthropic.com/v1/messages",
    "https://api.anthropic.com/v1, https://api.anthropic.com/v1/messages",
    "https://gateway.example/anthropic/v1/, https://gateway.example/anthropic/v1/messages",
    "http://proxy:8080/claude?key=k, http://proxy:8080/claude/v1/messages?key=k"
  })
  void shouldBuildTheMessagesEndpointFromTheBaseUrl(String base, String expected) {
    assertEquals(URI.create(expected), AnthropicProvider.apiUri(URI.create(base), "messages"));
  }

  @Test
  void shouldRejectUnusableConfiguration() {
    URI base = URI.create("https://api.anthropic.com");
    assertThrows(
        IllegalArgumentException.class,
        () -> new AnthropicProvider(config(URI.create("ftp://host"), null, Map.of())));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AnthropicProvider(config(base, null, Map.of("Host", "evil"))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new AnthropicProvider(
                    config(base, null, Map.of(), Map.of("default-max-tokens", "lots"))));
    assertEquals(
        "setting default-max-tokens must be a positive integer, was 'lots'", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new AnthropicProvider(config(base, null, Map.of(), Map.of("anthropic-version", " "))));
  }

  @Test
  void shouldLetConfiguredHeadersReplaceDefaultOnes() throws Exception {
    server = new FakeAnthropicServer(FakeAnthropicServer.answering(200, MESSAGE));
    var provider =
        new AnthropicProvider(
            config(
                server.baseUrl(),
                KEY,
                Map.of("X-Api-Key", "gateway-key", "anthropic-beta", "context-1m-2025-08-07")));

    provider.complete(request("claude-sonnet-4-6", "Hi")).get(10, TimeUnit.SECONDS);

    FakeAnthropicServer.Received request = server.takeRequest();
    assertEquals(List.of("gateway-key"), request.headers().get("x-api-key"));
    assertEquals("context-1m-2025-08-07", request.headers().getFirst("anthropic-beta"));
  }

  @Test
  void shouldServeManyConcurrentCallsWithoutBlocking() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              Thread.sleep(200);
              FakeAnthropicServer.respond(exchange, 200, MESSAGE);
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    long start = System.nanoTime();
    List<CompletableFuture<Completion>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(provider.complete(request("claude-haiku-4-5", "Question " + i)));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // Sequential calls would take 50 x 200 ms = 10 s.
    assertTrue(elapsedMillis < 3000, "took " + elapsedMillis + " ms");
    for (CompletableFuture<Completion> future : futures) {
      assertEquals("Paris.", future.join().text());
      assertTrue(future.join().latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  static ProviderConfig config(URI baseUrl, String apiKey, Map<String, String> headers) {
    return config(baseUrl, apiKey, headers, Map.of());
  }

  static ProviderConfig config(
      URI baseUrl, String apiKey, Map<String, String> headers, Map<String, String> settings) {
    return new ProviderConfig(
        "anthropic",
        "anthropic",
        baseUrl,
        apiKey,
        List.of("claude-haiku-4-5"),
        Duration.ofSeconds(10),
        headers,
        settings);
  }

  static CompletionRequest request(String model, String prompt) {
    return new CompletionRequest(
        model, List.of(new ChatMessage("user", prompt)), null, null, null, null);
  }

  static <T> ProviderException failure(CompletableFuture<T> future) {
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
