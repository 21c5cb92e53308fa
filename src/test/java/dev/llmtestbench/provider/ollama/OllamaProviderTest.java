package dev.llmtestbench.provider.ollama;

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
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

/**
 * Tests the Ollama adapter against a loopback server speaking Ollama's native API as documented in
 * https://github.com/ollama/ollama/blob/main/docs/api.md ({@code /api/chat}, {@code /api/embed},
 * {@code /api/tags}), https://docs.ollama.com/api-reference/get-version ({@code /api/version}) and
 * https://docs.ollama.com/api/errors (error bodies, errors mid-stream).
 */
class OllamaProviderTest {

  // A whole (stream: false) chat answer, shaped as docs/api.md "Chat request (No streaming)".
  private static final String CHAT =
      """
      {
        "model": "llama3.2",
        "created_at": "2024-12-12T14:13:43.416799Z",
        "message": {"role": "assistant", "content": "Paris."},
        "done_reason": "stop",
        "done": true,
        "total_duration": 5191566416,
        "load_duration": 2154458,
        "prompt_eval_count": 26,
        "prompt_eval_duration": 383809000,
        "eval_count": 3,
        "eval_duration": 4799921000
      }
      """;

  private FakeOllamaServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  // ---- Chat, not streamed ----

  @Test
  void shouldPostChatWithOptionsAndParseTheWholeAnswer() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "llama3.2",
                    List.of(
                        new ChatMessage("system", "Answer in one word."),
                        new ChatMessage("user", "Capital of France?")),
                    0.2,
                    64,
                    Map.of(),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeOllamaServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/api/chat", request.path());
    assertNull(request.query());
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    assertNull(request.headers().getFirst("Authorization"));
    JsonObject body = json(request.body());
    assertEquals(Set.of("model", "messages", "stream", "options"), body.keySet());
    assertEquals("llama3.2", body.getString("model"));
    assertFalse(body.getBoolean("stream"));
    JsonArray messages = body.getJsonArray("messages");
    assertEquals(
        json("{\"role\":\"system\",\"content\":\"Answer in one word.\"}"),
        messages.getJsonObject(0));
    assertEquals(
        json("{\"role\":\"user\",\"content\":\"Capital of France?\"}"), messages.getJsonObject(1));
    JsonObject options = body.getJsonObject("options");
    assertEquals(Set.of("temperature", "num_predict"), options.keySet());
    assertEquals(0.2, options.getJsonNumber("temperature").doubleValue());
    assertEquals(64, options.getInt("num_predict"));

    assertEquals("Paris.", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(26, completion.promptTokens());
    assertEquals(3, completion.completionTokens());
    assertEquals(29, completion.totalTokens());
    assertEquals("llama3.2", completion.modelVersion());
    assertNull(completion.timeToFirstTokenNanos());
    assertFalse(completion.tokensEstimated());
    assertTrue(completion.latencyNanos() > 0);
  }

  @Test
  void shouldSendOnlyModelMessagesAndStreamWhenNothingElseIsSet() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    provider.complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals(Set.of("model", "messages", "stream"), body.keySet());
    // The first configured model stands in when the request names none.
    assertEquals("llama3.2", body.getString("model"));
    // Ollama streams by default, so false must be sent explicitly.
    assertEquals(JsonValue.FALSE, body.get("stream"));
  }

  @Test
  void shouldReturnNullTokensWhenCountsAreAbsent() throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(
                200,
                "{\"model\":\"llama3.2\",\"created_at\":\"2024-12-12T14:13:43Z\","
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":true}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    Completion completion = provider.complete(request("llama3.2", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("Hi", completion.text());
    assertNull(completion.promptTokens());
    assertNull(completion.completionTokens());
    assertNull(completion.totalTokens());
    assertNull(completion.finishReason());
  }

  @Test
  void shouldSendBearerKeyAndHeadersForAProxyAndKeepItsPathPrefix() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider =
        new OllamaProvider(
            config(
                URI.create(server.baseUrl() + "/ollama/?tenant=t1"),
                "proxy-secret-123",
                Map.of("X-Team", "bench")));

    provider.complete(request("llama3.2", "Hi")).get(10, TimeUnit.SECONDS);

    FakeOllamaServer.Received request = server.takeRequest();
    assertEquals("/ollama/api/chat", request.path());
    assertEquals("tenant=t1", request.query());
    assertEquals("Bearer proxy-secret-123", request.headers().getFirst("Authorization"));
    assertEquals("bench", request.headers().getFirst("X-Team"));
  }

  @Test
  void shouldAcceptBaseUrlThatAlreadyEndsInApi() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider =
        new OllamaProvider(config(URI.create(server.baseUrl() + "/api/"), null, Map.of()));

    provider.complete(request("llama3.2", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("/api/chat", server.takeRequest().path());
  }

  // ---- Streaming ----

  @Test
  void shouldStreamNdjsonAndMeasureTimeToFirstToken() throws Exception {
    server =
        new FakeOllamaServer(
            exchange ->
                FakeOllamaServer.streamLines(
                    exchange,
                    150,
                    chunk(""),
                    chunk("The"),
                    chunk(" sky"),
                    chunk(" is blue."),
                    "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T19:22:45.499127Z\","
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":4883583458,"
                        + "\"load_duration\":1334875,\"prompt_eval_count\":26,"
                        + "\"prompt_eval_duration\":342546000,\"eval_count\":4,"
                        + "\"eval_duration\":4535599000}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    Completion completion =
        provider.complete(streaming(request("llama3.2", "Why?"))).get(10, TimeUnit.SECONDS);

    FakeOllamaServer.Received request = server.takeRequest();
    assertEquals("/api/chat", request.path());
    assertEquals("application/x-ndjson", request.headers().getFirst("Accept"));
    assertEquals(JsonValue.TRUE, json(request.body()).get("stream"));
    assertEquals("The sky is blue.", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(26, completion.promptTokens());
    assertEquals(4, completion.completionTokens());
    assertEquals(30, completion.totalTokens());
    assertEquals("llama3.2", completion.modelVersion());
    // The empty first line does not count: the first content arrives after two pauses.
    assertNotNull(completion.timeToFirstTokenNanos());
    assertTrue(
        completion.timeToFirstTokenNanos() >= TimeUnit.MILLISECONDS.toNanos(300),
        "ttft " + completion.timeToFirstTokenNanos());
    // Three more pauses follow the first content; the first token's receipt may be late by some
    // scheduling jitter, which shortens the measured rest, so two pauses are the safe bound.
    assertTrue(
        completion.latencyNanos() - completion.timeToFirstTokenNanos()
            >= TimeUnit.MILLISECONDS.toNanos(300),
        "latency " + completion.latencyNanos() + ", ttft " + completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldFailAStreamThatEndsWithoutItsDoneLine() throws Exception {
    server =
        new FakeOllamaServer(
            exchange -> FakeOllamaServer.streamLines(exchange, 0, chunk("The"), chunk(" sky")));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(streaming(request("llama3.2", "Why?"))));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().contains("\"done\": true"), e.getMessage());
  }

  @Test
  void shouldReportAnErrorLineSentMidStream() throws Exception {
    server =
        new FakeOllamaServer(
            exchange ->
                FakeOllamaServer.streamLines(
                    exchange,
                    0,
                    chunk(" Yes"),
                    "{\"error\":\"an error was encountered while running the model\"}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(streaming(request("llama3.2", "Why?"))));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertEquals(
        "ollama reported an error mid-stream: an error was encountered while running the model",
        e.getMessage());
  }

  @Test
  void shouldReportAnUnreadableStreamLineWithoutWaitingForTheEnd() throws Exception {
    server =
        new FakeOllamaServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              OutputStream out = exchange.getResponseBody();
              out.write((chunk("The") + "\n{\"model\": \"llama3.2\", \"mess\n").getBytes());
              out.flush();
              server.awaitClose();
            });
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                request("llama3.2", "Why?").with("llama3.2", Duration.ofSeconds(5), true, null)));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().startsWith("ollama sent an unreadable stream line"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "waited for the timeout");
  }

  @Test
  void shouldTimeOutWhenAStreamStallsAfterItsFirstLine() throws Exception {
    server =
        new FakeOllamaServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              OutputStream out = exchange.getResponseBody();
              out.write((chunk("The") + "\n").getBytes());
              out.flush();
              server.awaitClose();
            });
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                request("llama3.2", "Hi").with("llama3.2", Duration.ofMillis(400), true, null)));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("ollama timed out after 400 ms", e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "took too long");
  }

  @Test
  void shouldReportAStreamCutOffMidBodyAsNetworkFailure() throws Exception {
    try (ResettingServer reset =
        new ResettingServer(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + chunkedLine(chunk("The")))) {
      var provider = new OllamaProvider(config(reset.baseUrl(), null, Map.of()));

      ProviderException e = failure(provider.complete(streaming(request("llama3.2", "Why?"))));

      assertEquals(Kind.NETWORK, e.kind());
      assertNull(e.httpStatus());
    }
  }

  @Test
  void shouldServeManyConcurrentStreamsWithoutBlocking() throws Exception {
    server =
        new FakeOllamaServer(
            exchange ->
                FakeOllamaServer.streamLines(
                    exchange,
                    100,
                    chunk("Hi"),
                    "{\"model\":\"llama3.2\",\"done\":true,\"prompt_eval_count\":1,"
                        + "\"eval_count\":1}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    long start = System.nanoTime();
    List<CompletableFuture<Completion>> futures = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      futures.add(provider.complete(streaming(request("llama3.2", "Question " + i))));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // Sequential streams would take 40 x 200 ms = 8 s.
    assertTrue(elapsedMillis < 4000, "took " + elapsedMillis + " ms");
    for (CompletableFuture<Completion> future : futures) {
      assertEquals("Hi", future.join().text());
    }
  }

  // ---- Tools, formats, images ----

  @Test
  void shouldSendToolsAsFunctionsAndReturnTheToolCalls() throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(
                200,
                """
                {
                  "model": "llama3.2",
                  "created_at": "2024-07-22T20:33:28.123648Z",
                  "message": {
                    "role": "assistant",
                    "content": "",
                    "tool_calls": [
                      {"function": {"name": "get_current_weather",
                                    "arguments": {"format": "celsius", "location": "Paris, FR"}}}
                    ]
                  },
                  "done_reason": "stop",
                  "done": true,
                  "prompt_eval_count": 122,
                  "eval_count": 33
                }
                """));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"},"
            + "\"format\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
            + "\"required\":[\"location\",\"format\"]}";

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "llama3.2",
                    List.of(new ChatMessage("user", "What is the weather today in Paris?")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of(
                        new ToolSpec(
                            "get_current_weather",
                            "Get the current weather for a location",
                            schema)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    JsonArray tools = json(server.takeRequest().body()).getJsonArray("tools");
    assertEquals(1, tools.size());
    assertEquals(
        json(
            "{\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\","
                + "\"description\":\"Get the current weather for a location\","
                + "\"parameters\":"
                + schema
                + "}}"),
        tools.getJsonObject(0));
    assertEquals("", completion.text());
    assertEquals(1, completion.toolCalls().size());
    ToolCall call = completion.toolCalls().get(0);
    assertEquals("get_current_weather", call.name());
    assertNull(call.id());
    assertEquals(
        json("{\"format\":\"celsius\",\"location\":\"Paris, FR\"}"), json(call.arguments()));
  }

  @Test
  void shouldCollectToolCallsFromAStream() throws Exception {
    server =
        new FakeOllamaServer(
            exchange ->
                FakeOllamaServer.streamLines(
                    exchange,
                    0,
                    "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                        + "\"tool_calls\":[{\"function\":{\"name\":\"add\","
                        + "\"arguments\":{\"a\":1,\"b\":2}}}]},\"done\":false}",
                    "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"done_reason\":\"stop\",\"done\":true}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "qwen3",
                    List.of(new ChatMessage("user", "1+2?")),
                    null,
                    null,
                    null,
                    null,
                    true,
                    List.of(new ToolSpec("add", null, null)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    JsonObject function =
        json(server.takeRequest().body())
            .getJsonArray("tools")
            .getJsonObject(0)
            .getJsonObject("function");
    assertEquals(Set.of("name", "parameters"), function.keySet());
    assertEquals(List.of(new ToolCall(null, "add", "{\"a\":1,\"b\":2}")), completion.toolCalls());
    assertNotNull(completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldAskForJsonModeWithFormatJson() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    provider.complete(withFormat(ResponseFormat.jsonObject())).get(10, TimeUnit.SECONDS);

    assertEquals(Json.createValue("json"), json(server.takeRequest().body()).get("format"));
  }

  @Test
  void shouldSendAJsonSchemaAsTheFormatObject() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"},"
            + "\"available\":{\"type\":\"boolean\"}},\"required\":[\"age\",\"available\"]}";

    provider
        .complete(withFormat(new ResponseFormat(ResponseFormat.JSON_SCHEMA, "person", schema)))
        .get(10, TimeUnit.SECONDS);

    assertEquals(json(schema), json(server.takeRequest().body()).get("format"));
  }

  @Test
  void shouldRejectASchemaThatIsNotJsonBeforeSending() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e =
        failure(
            provider.complete(
                withFormat(new ResponseFormat(ResponseFormat.JSON_SCHEMA, "x", "{not json"))));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldSendImagePartsAsBase64Images() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    provider
        .complete(
            new CompletionRequest(
                "llava",
                List.of(
                    new ChatMessage(
                        "user",
                        "What is in this picture?",
                        List.of(
                            ContentPart.image("image/png", "iVBORw0KGgo="),
                            ContentPart.image("image/jpeg", "data:image/jpeg;base64,/9j/4AAQ")))),
                null,
                null,
                null,
                null))
        .get(10, TimeUnit.SECONDS);

    JsonObject message =
        json(server.takeRequest().body()).getJsonArray("messages").getJsonObject(0);
    assertEquals(
        json(
            "{\"role\":\"user\",\"content\":\"What is in this picture?\","
                + "\"images\":[\"iVBORw0KGgo=\",\"/9j/4AAQ\"]}"),
        message);
  }

  @Test
  void shouldRefuseAudioImageUrlsAndLogprobsAsUnsupportedWithoutSending() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, CHAT));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException audio =
        failure(provider.complete(withParts(List.of(ContentPart.audio("audio/wav", "UklGRg==")))));
    ProviderException url =
        failure(
            provider.complete(
                withParts(
                    List.of(
                        new ContentPart(
                            ContentPart.IMAGE, "image/png", null, "https://x.test/a.png")))));
    ProviderException logprobs =
        failure(
            provider.complete(
                new CompletionRequest(
                    "llama3.2",
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    5)));

    assertEquals(Kind.UNSUPPORTED, audio.kind());
    assertTrue(audio.getMessage().contains("audio"), audio.getMessage());
    assertEquals(Kind.UNSUPPORTED, url.kind());
    assertTrue(url.getMessage().contains("url"), url.getMessage());
    assertEquals(Kind.UNSUPPORTED, logprobs.kind());
    assertTrue(logprobs.getMessage().contains("log probabilities"), logprobs.getMessage());
    assertTrue(server.received.isEmpty());
  }

  // ---- Errors ----

  @Test
  void shouldReportAMissingModelAsBadRequestWithOllamasMessage() throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(
                404, "{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(request("nope", "Hi")));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals(404, e.httpStatus());
    assertEquals(
        "ollama returned HTTP 404: model \"nope\" not found, try pulling it first", e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void shouldReportAnErrorStatusOnAStreamedRequestFromItsBody() throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(404, "{\"error\":\"model 'nope' not found\"}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(streaming(request("nope", "Hi"))));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals("ollama returned HTTP 404: model 'nope' not found", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "400, BAD_REQUEST",
    "401, UNAUTHORIZED",
    "403, UNAUTHORIZED",
    "404, BAD_REQUEST",
    "408, TIMEOUT",
    "429, RATE_LIMITED",
    "500, SERVER_ERROR",
    "502, SERVER_ERROR",
    "503, SERVER_ERROR",
    "504, TIMEOUT"
  })
  void shouldClassifyErrorStatus(int status, Kind kind) throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(
                status, "{\"error\":\"the model failed to generate a response\"}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(request("llama3.2", "Hi")));

    assertEquals(kind, e.kind());
    assertEquals(status, e.httpStatus());
    assertEquals(
        "ollama returned HTTP " + status + ": the model failed to generate a response",
        e.getMessage());
  }

  @Test
  void shouldPassRetryAfterSecondsOfATooManyRequestsAnswer() throws Exception {
    server =
        new FakeOllamaServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "7");
              FakeOllamaServer.respond(exchange, 429, "{\"error\":\"too many requests\"}");
            });
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(streaming(request("llama3.2", "Hi"))));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(7000L, e.retryAfterMillis());
    assertTrue(e.retryable());
  }

  @Test
  void shouldPassRetryAfterDateOfAServerBusyAnswer() throws Exception {
    String inTenSeconds =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
    server =
        new FakeOllamaServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", inTenSeconds);
              FakeOllamaServer.respond(
                  exchange,
                  503,
                  "{\"error\":\"server busy, please try again.  maximum pending requests"
                      + " exceeded\"}");
            });
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(request("llama3.2", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertNotNull(e.retryAfterMillis());
    assertTrue(
        e.retryAfterMillis() > 7000 && e.retryAfterMillis() <= 10_000, "" + e.retryAfterMillis());
    assertTrue(e.getMessage().contains("server busy"), e.getMessage());
  }

  @Test
  void shouldNotLeakTheKeyInErrorMessages() throws Exception {
    String key = "proxy-key-0123456789";
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(401, "{\"error\":\"bad token " + key + "\"}"));
    var provider = new OllamaProvider(config(server.baseUrl(), key, Map.of()));

    ProviderException e = failure(provider.complete(request("llama3.2", "Hi")));

    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertFalse(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains("bad token ****"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"model\": \"llama3.2\", \"message\": ",
        "{\"model\":\"llama3.2\",\"done\":true}",
        "{\"message\":{\"content\":\"partial\"},\"done\":false}",
        "<html>Bad gateway</html>",
        "[1, 2]"
      })
  void shouldReportInvalidResponseForAnUnusableBody(String body) throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, body));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ProviderException e = failure(provider.complete(request("llama3.2", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().startsWith("ollama returned an invalid response"), e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenTheServerNeverAnswers() throws Exception {
    server = new FakeOllamaServer(exchange -> server.awaitClose());
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                request("llama3.2", "Hi").with("llama3.2", Duration.ofMillis(300), false, null)));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertNull(e.httpStatus());
    assertEquals("ollama timed out after 300 ms", e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "" + e.latencyNanos());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "took too long");
  }

  @Test
  void shouldReportAConnectionResetAsNetworkFailure() throws Exception {
    try (ResettingServer reset = new ResettingServer("")) {
      var provider = new OllamaProvider(config(reset.baseUrl(), null, Map.of()));

      ProviderException e = failure(provider.complete(request("llama3.2", "Hi")));

      assertEquals(Kind.NETWORK, e.kind());
      assertNull(e.httpStatus());
      assertTrue(e.retryable());
    }
  }

  @Test
  void shouldReportARefusedConnectionAsNetworkFailureNamingTheEndpoint() throws Exception {
    int port = freePort();
    var provider =
        new OllamaProvider(config(URI.create("http://127.0.0.1:" + port), null, Map.of()));

    ProviderException e = failure(provider.complete(request("llama3.2", "Hi")));

    assertEquals(Kind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port + "/api"), e.getMessage());
  }

  @Test
  void shouldFailWithProviderExceptionItselfAndNeverThrowFromComplete() {
    var provider =
        new OllamaProvider(
            new ProviderConfig(
                "local", "ollama", URI.create("http://127.0.0.1:1"), null, null, null, null));

    Throwable error = provider.complete(request(null, "Hi")).handle((c, e) -> e).join();

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
        () -> new OllamaProvider(config(URI.create("ftp://host:11434"), null, Map.of())));
    assertThrows(
        IllegalArgumentException.class, () -> new OllamaProvider(config(null, null, Map.of())));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new OllamaProvider(
                config(URI.create("http://localhost:11434"), null, Map.of("Host", "evil"))));
  }

  // ---- Embeddings, models, health, capabilities ----

  @Test
  void shouldEmbedInputsWithApiEmbed() throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(
                200,
                """
                {"model": "all-minilm",
                 "embeddings": [[0.010071029, -0.0017594862, 0.05007221],
                                [-0.0098027075, 0.06042469, 0.025257962]],
                 "total_duration": 14143917, "load_duration": 1019500, "prompt_eval_count": 16}
                """));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    EmbeddingResult result =
        provider
            .embed(
                new EmbeddingRequest(
                    "all-minilm",
                    List.of("Why is the sky blue?", "Why is the grass green?"),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeOllamaServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/api/embed", request.path());
    assertEquals(
        json(
            "{\"model\":\"all-minilm\",\"input\":[\"Why is the sky blue?\","
                + "\"Why is the grass green?\"]}"),
        json(request.body()));
    assertEquals(2, result.vectors().size());
    assertArrayEquals(
        new float[] {0.010071029f, -0.0017594862f, 0.05007221f}, result.vectors().get(0));
    assertArrayEquals(
        new float[] {-0.0098027075f, 0.06042469f, 0.025257962f}, result.vectors().get(1));
    assertEquals(16, result.promptTokens());
    assertEquals("all-minilm", result.modelVersion());
    assertTrue(result.latencyNanos() > 0);
  }

  @Test
  void shouldRejectEmbeddingsWhoseCountDoesNotMatchTheInputs() throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(200, "{\"model\":\"m\",\"embeddings\":[[0.1,0.2]]}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                provider
                    .embed(new EmbeddingRequest("m", List.of("a", "b"), null))
                    .get(10, TimeUnit.SECONDS));

    ProviderException cause = assertInstanceOf(ProviderException.class, e.getCause());
    assertEquals(Kind.INVALID_RESPONSE, cause.kind());
    assertTrue(cause.getMessage().contains("expected 2 embedding(s), got 1"), cause.getMessage());
  }

  @Test
  void shouldListPulledModelsFromApiTags() throws Exception {
    server =
        new FakeOllamaServer(
            FakeOllamaServer.answering(
                200,
                """
                {"models": [
                  {"name": "codellama:13b", "modified_at": "2023-11-04T14:56:49.277302595-07:00",
                   "size": 7365960935, "digest": "9f438cb9cd58",
                   "details": {"format": "gguf", "family": "llama", "families": null,
                               "parameter_size": "13B", "quantization_level": "Q4_0"}},
                  {"name": "llama3:latest", "modified_at": "2023-12-07T09:32:18.757212583-08:00",
                   "size": 3825819519, "digest": "fe938a131f40"}
                ]}
                """));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);

    FakeOllamaServer.Received request = server.takeRequest();
    assertEquals("GET", request.method());
    assertEquals("/api/tags", request.path());
    assertEquals("", request.body());
    assertEquals(
        List.of(
            new ModelInfo("codellama:13b", "llama 13B Q4_0", null),
            new ModelInfo("llama3:latest", null, null)),
        models);
  }

  @Test
  void shouldReportHealthFromApiVersion() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(200, "{\"version\":\"0.12.6\"}"));
    var provider = new OllamaProvider(config(server.baseUrl(), null, Map.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    FakeOllamaServer.Received request = server.takeRequest();
    assertEquals("GET", request.method());
    assertEquals("/api/version", request.path());
    assertTrue(health.up());
    assertEquals("Ollama 0.12.6", health.message());
    assertTrue(health.latencyNanos() > 0);
  }

  @Test
  void shouldReportDownWithTheReasonWhenTheServerFailsOrIsAbsent() throws Exception {
    server = new FakeOllamaServer(FakeOllamaServer.answering(500, "{\"error\":\"out of memory\"}"));
    var failing = new OllamaProvider(config(server.baseUrl(), null, Map.of()));
    var absent =
        new OllamaProvider(config(URI.create("http://127.0.0.1:" + freePort()), null, Map.of()));

    HealthReport failed = failing.health().get(10, TimeUnit.SECONDS);
    HealthReport down = absent.health().get(10, TimeUnit.SECONDS);

    assertFalse(failed.up());
    assertEquals("ollama returned HTTP 500: out of memory", failed.message());
    assertFalse(down.up());
    assertTrue(down.message().contains("could not connect"), down.message());
  }

  @Test
  void shouldOfferStreamingToolsJsonEmbeddingsAndVisionButNotLogprobs() {
    var provider = new OllamaProvider(config(URI.create("http://localhost:11434"), null, Map.of()));

    Capabilities capabilities = provider.capabilities("llava");

    assertEquals(
        List.of("streaming", "vision", "function_calling", "json_mode", "embeddings"),
        capabilities.names());
    assertNull(provider.apiVersion());
    assertEquals("ollama", provider.type());
  }

  // ---- Helpers ----

  private static String chunk(String content) {
    return Json.createObjectBuilder()
        .add("model", "llama3.2")
        .add("created_at", "2023-08-04T08:52:19.385406455-07:00")
        .add("message", Json.createObjectBuilder().add("role", "assistant").add("content", content))
        .add("done", false)
        .build()
        .toString();
  }

  private static String chunkedLine(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    return Integer.toHexString(bytes.length) + "\r\n" + line + "\n\r\n";
  }

  private static ProviderConfig config(URI baseUrl, String apiKey, Map<String, String> headers) {
    return new ProviderConfig(
        "ollama", "ollama", baseUrl, apiKey, List.of("llama3.2"), Duration.ofSeconds(10), headers);
  }

  private static CompletionRequest request(String model, String prompt) {
    return new CompletionRequest(
        model, List.of(new ChatMessage("user", prompt)), null, null, null, null);
  }

  private static CompletionRequest streaming(CompletionRequest request) {
    return request.with(request.model(), request.timeout(), true, request.options());
  }

  private static CompletionRequest withFormat(ResponseFormat format) {
    return new CompletionRequest(
        "llama3.2",
        List.of(new ChatMessage("user", "Reply in JSON")),
        null,
        null,
        null,
        null,
        false,
        null,
        format,
        null);
  }

  private static CompletionRequest withParts(List<ContentPart> parts) {
    return new CompletionRequest(
        "llava", List.of(new ChatMessage("user", "What is this?", parts)), null, null, null, null);
  }

  private static ProviderException failure(CompletableFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }

  private static JsonObject json(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * A raw socket server that reads a request's headers, writes {@code prefix} (possibly part of a
   * response) and then resets the connection (RST, via a zero linger).
   */
  static final class ResettingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    ResettingServer(String prefix) throws Exception {
      socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket connection = socket.accept()) {
                    InputStream in = connection.getInputStream();
                    readHeaders(in);
                    connection.getOutputStream().write(prefix.getBytes(StandardCharsets.UTF_8));
                    connection.getOutputStream().flush();
                    Thread.sleep(50);
                    connection.setSoLinger(true, 0);
                  } catch (Exception closed) {
                    return;
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    private static void readHeaders(InputStream in) throws Exception {
      int matched = 0;
      byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      while (matched < end.length) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
      }
    }

    URI baseUrl() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws Exception {
      socket.close();
      thread.join(2000);
    }
  }
}
