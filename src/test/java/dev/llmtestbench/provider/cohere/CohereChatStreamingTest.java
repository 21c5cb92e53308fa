package dev.llmtestbench.provider.cohere;

import static dev.llmtestbench.provider.cohere.CohereChatTest.config;
import static dev.llmtestbench.provider.cohere.CohereChatTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.TokenLogprob;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed chat against a server sending Cohere's Chat API v2 server-sent events as documented.
 *
 * <p>References: https://docs.cohere.com/reference/chat-stream (stream: true, the event types and
 * their bodies), https://docs.cohere.com/v2/docs/streaming (event order; message-end is the final
 * event), and the streamed examples of cohere-openapi.yaml in
 * github.com/cohere-ai/cohere-developer-experience (frames {@code event: <type>} then {@code data:
 * <json>}).
 */
class CohereChatStreamingTest {

  private static final String MESSAGE_START =
      """
      {"type":"message-start","id":"29f14a5a-11de-4cae-9800-25e4747408ea","delta":{"message":{"role":"assistant"}}}""";
  private static final String CONTENT_START =
      """
      {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}""";
  private static final String CONTENT_END = "{\"type\":\"content-end\",\"index\":0}";
  private static final String MESSAGE_END =
      """
      {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":18.0,"output_tokens":6.0},"tokens":{"input_tokens":1661.0,"output_tokens":19.0}}}}""";

  private FakeCohereServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldStreamDocumentedEventsAndMeasureTimeToFirstContentDelta() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              FakeCohereServer.event(out, MESSAGE_START);
              FakeCohereServer.event(out, CONTENT_START);
              // The model "thinks" before its first token: that wait is the time to first token.
              Thread.sleep(300);
              FakeCohereServer.event(out, delta("LL"));
              FakeCohereServer.event(out, delta("Ms"));
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":4,"text":"LLMs","sources":[]}}}}""");
              FakeCohereServer.event(out, "{\"type\":\"citation-end\",\"index\":0}");
              Thread.sleep(200);
              FakeCohereServer.event(out, delta(" stand for Large Language Models"));
              FakeCohereServer.event(out, CONTENT_END);
              FakeCohereServer.event(out, MESSAGE_END);
              out.close();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));
    // A first call loads classes and opens the connection, so the measured one starts warm and its
    // message-start arrives long before the first content-delta.
    provider.complete(streamed("command-a-03-2025")).get(10, TimeUnit.SECONDS);
    server.takeRequest();

    Completion completion =
        provider.complete(streamed("command-a-03-2025")).get(10, TimeUnit.SECONDS);

    FakeCohereServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v2/chat", request.path());
    assertEquals("text/event-stream, application/json", request.headers().getFirst("Accept"));
    assertEquals("Bearer " + CohereChatTest.KEY, request.headers().getFirst("Authorization"));
    JsonObject body = CohereJson.readObject(request.body());
    assertTrue(body.getBoolean("stream"));
    assertEquals("command-a-03-2025", body.getString("model"));

    assertEquals("LLMs stand for Large Language Models", completion.text());
    assertEquals("COMPLETE", completion.finishReason());
    assertEquals(1661, completion.promptTokens());
    assertEquals(19, completion.completionTokens());
    assertEquals(1680, completion.totalTokens());
    assertEquals("29f14a5a-11de-4cae-9800-25e4747408ea", completion.requestId());
    Long ttft = completion.timeToFirstTokenNanos();
    assertNotNull(ttft);
    assertTrue(ttft >= TimeUnit.MILLISECONDS.toNanos(300), "ttft " + ttft);
    // The answer took 200 ms more after its first token.
    assertTrue(
        // Half the pause: the first token's receipt may be late by scheduling jitter.
        completion.latencyNanos() - ttft >= TimeUnit.MILLISECONDS.toNanos(100),
        "latency " + completion.latencyNanos() + ", ttft " + ttft);
  }

  @Test
  void shouldAssembleStreamedToolCallsAndCountToolPlanAsFirstToken() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"message-start","id":"2edfdf70-019c-4f7a-be20-3cdbfaa3dca6","delta":{"message":{"role":"assistant"}}}""");
              FakeCohereServer.event(
                  out,
                  "{\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":\"I will\"}}}");
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"query_daily_sales_report_j3f0adww9pmr","type":"function","function":{"name":"query_daily_sales_report","arguments":""}}}}}""");
              for (String piece : List.of("{\\\"", "day", "\\\": ", "\\\"2023-09-29\\\"}")) {
                FakeCohereServer.event(out, argumentsDelta(0, piece));
              }
              FakeCohereServer.event(out, "{\"type\":\"tool-call-end\",\"index\":0}");
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"tool-call-start","index":1,"delta":{"message":{"tool_calls":{"id":"query_product_catalog_c66nf11r6s8g","type":"function","function":{"name":"query_product_catalog","arguments":""}}}}}""");
              FakeCohereServer.event(
                  out, argumentsDelta(1, "{\\\"category\\\": \\\"Electronics\\\"}"));
              FakeCohereServer.event(out, "{\"type\":\"tool-call-end\",\"index\":1}");
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":126,"output_tokens":84},"tokens":{"input_tokens":1589,"output_tokens":135}}}}""");
              out.close();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "command-a-03-2025",
                    List.of(new ChatMessage("user", "Sales summary and electronics catalog?")),
                    null,
                    null,
                    null,
                    null,
                    true,
                    List.of(
                        new ToolSpec("query_daily_sales_report", "Sales for a day.", null),
                        new ToolSpec("query_product_catalog", "Products by category.", null)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    assertEquals(
        2, CohereJson.readObject(server.takeRequest().body()).getJsonArray("tools").size());
    assertEquals("", completion.text());
    assertEquals("TOOL_CALL", completion.finishReason());
    assertEquals(
        List.of(
            new ToolCall(
                "query_daily_sales_report_j3f0adww9pmr",
                "query_daily_sales_report",
                "{\"day\": \"2023-09-29\"}"),
            new ToolCall(
                "query_product_catalog_c66nf11r6s8g",
                "query_product_catalog",
                "{\"category\": \"Electronics\"}")),
        completion.toolCalls());
    assertNotNull(completion.timeToFirstTokenNanos());
    assertEquals(1589, completion.promptTokens());
  }

  @Test
  void shouldCollectStreamedLogprobsAndSkipThinkingDeltas() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              FakeCohereServer.event(out, MESSAGE_START);
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}""");
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"Greet them."}}}}""");
              FakeCohereServer.event(out, CONTENT_END);
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"content-start","index":1,"delta":{"message":{"content":{"type":"text","text":""}}}}""");
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"Hi"}}},"logprobs":{"text":"Hi","token_ids":[12],"logprobs":[-0.125]}}""");
              FakeCohereServer.event(out, MESSAGE_END);
              out.close();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "command-a-reasoning-08-2025",
                    List.of(new ChatMessage("user", "Say hi")),
                    null,
                    null,
                    null,
                    null,
                    true,
                    null,
                    null,
                    0))
            .get(10, TimeUnit.SECONDS);

    assertTrue(CohereJson.readObject(server.takeRequest().body()).getBoolean("logprobs"));
    assertEquals("Hi", completion.text());
    assertEquals(List.of(new TokenLogprob("Hi", -0.125)), completion.logprobs());
  }

  @Test
  void shouldIgnoreCommentsAndDoneMarkerAndReadEventsWithoutEventLines() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              // CRLF line ends, a keep-alive comment, data-only frames and a trailing [DONE].
              String frames =
                  ": keep-alive\r\n\r\n"
                      + "data: "
                      + MESSAGE_START
                      + "\r\n\r\n"
                      + "data: "
                      + delta("ok")
                      + "\r\n\r\n"
                      + "event: message-end\r\ndata: "
                      + MESSAGE_END
                      + "\r\n\r\n"
                      + "data: [DONE]\r\n\r\n";
              out.write(frames.getBytes(StandardCharsets.UTF_8));
              out.close();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    Completion completion = provider.complete(streamed("m")).get(10, TimeUnit.SECONDS);

    assertEquals("ok", completion.text());
    assertEquals("COMPLETE", completion.finishReason());
  }

  @Test
  void shouldFailWithInvalidResponseWhenStreamEndsWithoutMessageEnd() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              FakeCohereServer.event(out, MESSAGE_START);
              FakeCohereServer.event(out, CONTENT_START);
              FakeCohereServer.event(out, delta("Partial answ"));
              out.close();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    long start = System.nanoTime();
    ProviderException e = failure(provider.complete(streamed("m")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("without its message-end event"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void shouldShowNonEventBodyWhenSuccessfulStreamIsNotSse() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(200, "{\"message\":\"streaming is not enabled here\"}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(streamed("m")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("streaming is not enabled here"), e.getMessage());
  }

  @Test
  void shouldFailWithInvalidResponseOnMalformedEventJson() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              FakeCohereServer.event(out, MESSAGE_START);
              out.write(
                  "event: content-delta\ndata: {\"type\":\"content-delta\",\"delta\":\n\n"
                      .getBytes(StandardCharsets.UTF_8));
              out.flush();
              // Keeps the stream open: the adapter must fail on the bad event, not on the end.
              server.awaitClose();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    long start = System.nanoTime();
    ProviderException e = failure(provider.complete(streamed("m")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("unreadable stream event"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void shouldReportMessageEndWithErrorFinishReasonAsServerError() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              FakeCohereServer.event(out, MESSAGE_START);
              FakeCohereServer.event(out, delta("Half"));
              FakeCohereServer.event(
                  out,
                  """
                  {"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal: inference worker crashed"}}""");
              out.close();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(streamed("m")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.getMessage().contains("inference worker crashed"), e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenStreamStallsAfterFirstEvents() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              OutputStream out = FakeCohereServer.startEvents(exchange);
              FakeCohereServer.event(out, MESSAGE_START);
              FakeCohereServer.event(out, delta("Hel"));
              server.awaitClose();
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "m",
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    Duration.ofMillis(400),
                    true,
                    null,
                    null,
                    null)));
    long elapsed = System.nanoTime() - start;

    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("cohere timed out after 400 ms", e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(400));
    assertTrue(elapsed < TimeUnit.SECONDS.toNanos(3), "took " + elapsed);
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionResetsMidStream() throws Exception {
    String head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    String event = "event: message-start\ndata: " + MESSAGE_START + "\n\n";
    String chunk =
        Integer.toHexString(event.getBytes(StandardCharsets.UTF_8).length)
            + "\r\n"
            + event
            + "\r\n";
    try (var resetting = new FakeCohereServer.Resetting(head + chunk)) {
      var provider = new CohereProvider(config(resetting.baseUrl(), Map.of()));

      long start = System.nanoTime();
      ProviderException e = failure(provider.complete(streamed("m")));

      assertEquals(Kind.NETWORK, e.kind());
      assertNull(e.httpStatus());
      assertTrue(e.retryable());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void shouldMapErrorStatusOfStreamedRequestWithCohereMessageAndRetryAfter() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "7");
              FakeCohereServer.respond(
                  exchange,
                  429,
                  "{\"id\":\"x\",\"message\":\"You are past the per minute request limit, please"
                      + " wait and try again later.\"}");
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(streamed("m")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(429, e.httpStatus());
    assertEquals(7000L, e.retryAfterMillis());
    assertEquals(
        "cohere returned HTTP 429: You are past the per minute request limit, please wait and try"
            + " again later.",
        e.getMessage());
  }

  private static CompletionRequest streamed(String model) {
    return new CompletionRequest(
        model,
        List.of(new ChatMessage("user", "Tell me about LLMs")),
        null,
        null,
        null,
        null,
        true,
        null,
        null,
        null);
  }

  private static String delta(String text) {
    return "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\""
        + text
        + "\"}}}}";
  }

  private static String argumentsDelta(int index, String escapedJson) {
    return "{\"type\":\"tool-call-delta\",\"index\":"
        + index
        + ",\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\""
        + escapedJson
        + "\"}}}}}";
  }
}
