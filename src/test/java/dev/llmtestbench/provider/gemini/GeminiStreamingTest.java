package dev.llmtestbench.provider.gemini;

import static dev.llmtestbench.provider.gemini.GeminiTestSupport.KEY;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.failure;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.json;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.provider;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.streamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ToolSpec;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * streamGenerateContent with {@code alt=sse} against a local server framing events as Gemini does.
 *
 * <p>References: https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 * (each event is a GenerateContentResponse; the last carries finishReason and the full
 * usageMetadata) and the Streaming REST quickstart
 * https://github.com/google-gemini/cookbook/blob/main/quickstarts/rest/Streaming_REST.ipynb ({@code
 * data: {...}\r\n\r\n} framing).
 */
class GeminiStreamingTest {

  static final String FIRST =
      """
      {"candidates": [{"content": {"parts": [{"text": "Paris"}], "role": "model"}, "index": 0}],
       "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9,
                         "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 9}]},
       "modelVersion": "gemini-2.5-flash", "responseId": "sse-1"}"""
          .replace("\n", "");

  static final String LAST =
      """
      {"candidates": [{"content": {"parts": [{"text": " is the capital of France."}],
                                   "role": "model"}, "finishReason": "STOP", "index": 0}],
       "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 7, "totalTokenCount": 41,
                         "thoughtsTokenCount": 25},
       "modelVersion": "gemini-2.5-flash", "responseId": "sse-1"}"""
          .replace("\n", "");

  private FakeGeminiServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldStreamOverSseAndAggregateTextUsageAndTimeToFirstToken() throws Exception {
    server =
        new FakeGeminiServer(
            exchange -> {
              try (OutputStream out = FakeGeminiServer.startEvents(exchange)) {
                FakeGeminiServer.event(out, FIRST);
                Thread.sleep(300);
                FakeGeminiServer.event(out, LAST);
              }
            });

    Completion completion =
        provider(server.baseUrl())
            .complete(streamed("Capital of France?", Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeGeminiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent", request.path());
    assertEquals("alt=sse", request.query());
    assertEquals(KEY, request.headers().getFirst("x-goog-api-key"));
    assertEquals("text/event-stream", request.headers().getFirst("Accept"));
    assertEquals(
        "Capital of France?",
        json(request.body())
            .getJsonArray("contents")
            .getJsonObject(0)
            .getJsonArray("parts")
            .getJsonObject(0)
            .getString("text"));

    assertEquals("Paris is the capital of France.", completion.text());
    assertEquals("STOP", completion.finishReason());
    // Usage comes from the last chunk, the only one with the answer's counts.
    assertEquals(9, completion.promptTokens());
    assertEquals(32, completion.completionTokens());
    assertEquals(41, completion.totalTokens());
    assertEquals("sse-1", completion.requestId());
    assertFalse(completion.blocked());
    // The first token came 300 ms before the end: TTFT is taken at the first chunk, not the last.
    assertNotNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.timeToFirstTokenNanos() > 0);
    assertTrue(
        completion.latencyNanos() - completion.timeToFirstTokenNanos()
            >= TimeUnit.MILLISECONDS.toNanos(200),
        "ttft " + completion.timeToFirstTokenNanos() + " latency " + completion.latencyNanos());
  }

  @Test
  void shouldNotCountChunksWithoutAnswerContentAsFirstToken() throws Exception {
    // A thinking model may open with chunks that hold only thought summaries.
    String thought =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Thinking...\",\"thought\":true}],"
            + "\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.5-pro\"}";
    server =
        new FakeGeminiServer(
            exchange -> {
              try (OutputStream out = FakeGeminiServer.startEvents(exchange)) {
                FakeGeminiServer.event(out, thought);
                Thread.sleep(300);
                FakeGeminiServer.event(out, LAST);
              }
            });

    Completion completion =
        provider(server.baseUrl())
            .complete(streamed("Capital?", Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    assertEquals(" is the capital of France.", completion.text());
    assertTrue(
        completion.timeToFirstTokenNanos() >= TimeUnit.MILLISECONDS.toNanos(250),
        "ttft " + completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldCollectStreamedFunctionCalls() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.streaming(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
                    + "\"args\":{\"city\":\"Paris\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\","
                    + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":30,"
                    + "\"candidatesTokenCount\":5,\"totalTokenCount\":35},"
                    + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"sse-fc\"}"));

    Completion completion =
        provider(server.baseUrl())
            .complete(
                new CompletionRequest(
                    "gemini-2.5-flash",
                    List.of(new ChatMessage("user", "Weather in Paris?")),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    true,
                    List.of(new ToolSpec("get_weather", "Weather.", null)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    assertEquals(1, completion.toolCalls().size());
    assertEquals("get_weather", completion.toolCalls().get(0).name());
    assertEquals(json("{\"city\":\"Paris\"}"), json(completion.toolCalls().get(0).arguments()));
    assertNotNull(completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldReportStreamStoppedBySafetyAsBlocked() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.streaming(
                FIRST,
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},"
                    + "\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":[{\"category\":"
                    + "\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\",\"blocked\":true}]}],"
                    + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":1,"
                    + "\"totalTokenCount\":10},\"modelVersion\":\"gemini-2.5-flash\"}"));

    Completion completion =
        provider(server.baseUrl())
            .complete(streamed("unsafe", Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals("SAFETY", completion.finishReason());
    assertEquals("", completion.text());
  }

  @Test
  void shouldReportStreamedPromptBlockAsBlocked() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.streaming(
                "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},"
                    + "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7},"
                    + "\"modelVersion\":\"gemini-2.5-flash\"}"));

    Completion completion =
        provider(server.baseUrl())
            .complete(streamed("unsafe", Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals("PROHIBITED_CONTENT", completion.finishReason());
    assertNull(completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldReportStreamEndingWithoutFinalChunkAsInvalidResponse() throws Exception {
    // The body ends cleanly, but the chunk with finishReason never came.
    server = new FakeGeminiServer(FakeGeminiServer.streaming(FIRST));

    ProviderException e =
        failure(provider(server.baseUrl()).complete(streamed("Hi", Duration.ofSeconds(5))));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().contains("without a final chunk"), e.getMessage());
  }

  @Test
  void shouldReportEmptyStreamAsInvalidResponse() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.streaming());

    ProviderException e =
        failure(provider(server.baseUrl()).complete(streamed("Hi", Duration.ofSeconds(5))));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("after 0 event(s)"), e.getMessage());
  }

  @Test
  void shouldReportMalformedChunkAsInvalidResponseWithoutWaitingForTheRest() throws Exception {
    server =
        new FakeGeminiServer(
            exchange -> {
              OutputStream out = FakeGeminiServer.startEvents(exchange);
              FakeGeminiServer.event(out, FIRST);
              FakeGeminiServer.event(out, "{\"candidates\": [{\"content\": ");
              server.awaitClose();
            });

    long start = System.nanoTime();
    ProviderException e =
        failure(provider(server.baseUrl()).complete(streamed("Hi", Duration.ofSeconds(5))));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("after 1 event(s)"), e.getMessage());
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "waited for the stream to end");
  }

  @Test
  void shouldFailWithTheErrorTheStreamReports() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.streaming(
                FIRST,
                "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again"
                    + " later.\",\"status\":\"UNAVAILABLE\"}}"));

    ProviderException e =
        failure(provider(server.baseUrl()).complete(streamed("Hi", Duration.ofSeconds(5))));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.retryable());
    assertEquals(
        "gemini stream reported error 503 UNAVAILABLE: The model is overloaded. Please try again"
            + " later.",
        e.getMessage());
  }

  @Test
  void shouldReadErrorBodyOfAFailedStreamRequest() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                404,
                "{\"error\":{\"code\":404,\"message\":\"models/gemini-9 is not found for API"
                    + " version v1beta\",\"status\":\"NOT_FOUND\"}}"));

    ProviderException e =
        failure(provider(server.baseUrl()).complete(streamed("Hi", Duration.ofSeconds(5))));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals(404, e.httpStatus());
    assertEquals(
        "gemini returned HTTP 404 NOT_FOUND: models/gemini-9 is not found for API version v1beta",
        e.getMessage());
  }

  @Test
  void shouldTimeOutWhenStreamStallsAfterFirstChunk() throws Exception {
    server =
        new FakeGeminiServer(
            exchange -> {
              OutputStream out = FakeGeminiServer.startEvents(exchange);
              FakeGeminiServer.event(out, FIRST);
              server.awaitClose();
            });

    long start = System.nanoTime();
    ProviderException e =
        failure(provider(server.baseUrl()).complete(streamed("Hi", Duration.ofMillis(400))));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertTrue(e.getMessage().contains("after 1 streamed event(s)"), e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(400), "" + e.latencyNanos());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "did not finish quickly");
  }

  @Test
  void shouldReportConnectionResetMidStreamAsNetworkFailure() throws Exception {
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    String event = "data: " + FIRST + "\r\n\r\n";
    String chunk =
        Integer.toHexString(event.getBytes(StandardCharsets.UTF_8).length)
            + "\r\n"
            + event
            + "\r\n";
    try (var resetting = new FakeGeminiServer.Resetting(head + chunk)) {
      ProviderException e =
          failure(provider(resetting.baseUrl()).complete(streamed("Hi", Duration.ofSeconds(5))));

      assertEquals(Kind.NETWORK, e.kind());
      assertTrue(e.retryable());
    }
  }
}
