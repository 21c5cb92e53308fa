package dev.llmtestbench.provider.anthropic;

import static dev.llmtestbench.provider.anthropic.AnthropicProviderTest.config;
import static dev.llmtestbench.provider.anthropic.AnthropicProviderTest.failure;
import static dev.llmtestbench.provider.anthropic.AnthropicProviderTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed Messages against a local server sending server-sent events as documented in
 * https://platform.claude.com/docs/en/build-with-claude/streaming (event flow, ping and error
 * events, text and input JSON deltas) and https://platform.claude.com/docs/en/api/messages/create
 * ({@code stream: true}).
 */
class AnthropicStreamingTest {

  private static final String KEY = "sk-ant-api03-test-0123456789abcdef";

  // The documented basic stream, split where the test pauses before the first text.
  private static final String HEAD =
      """
      event: message_start
      data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-6", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "cache_read_input_tokens": 10, "output_tokens": 1}}}

      event: content_block_start
      data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

      event: ping
      data: {"type": "ping"}

      """;

  private static final String TEXT =
      """
      event: content_block_delta
      data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

      event: content_block_delta
      data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

      event: content_block_stop
      data: {"type": "content_block_stop", "index": 0}

      """;

  private static final String TAIL =
      """
      event: message_delta
      data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

      event: message_stop
      data: {"type": "message_stop"}

      """;

  private FakeAnthropicServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldStreamTextUsageAndTimeToFirstToken() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(out, HEAD);
              Thread.sleep(300);
              FakeAnthropicServer.write(out, TEXT);
              Thread.sleep(200);
              FakeAnthropicServer.write(out, TAIL);
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    Completion completion =
        provider.complete(streamed("claude-sonnet-4-6", "Hello")).get(10, TimeUnit.SECONDS);

    FakeAnthropicServer.Received request = server.takeRequest();
    assertEquals("/v1/messages", request.path());
    assertEquals("text/event-stream", request.headers().getFirst("accept"));
    assertEquals(KEY, request.headers().getFirst("x-api-key"));
    assertEquals("2023-06-01", request.headers().getFirst("anthropic-version"));
    assertTrue(json(request.body()).getBoolean("stream"));

    assertEquals("Hello!", completion.text());
    assertEquals("end_turn", completion.finishReason());
    assertEquals(35, completion.promptTokens());
    assertEquals(10, completion.cachedPromptTokens());
    assertEquals(15, completion.completionTokens());
    assertEquals(50, completion.totalTokens());
    assertEquals("claude-sonnet-4-6", completion.modelVersion());
    assertEquals("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", completion.requestId());
    // The first text came 300 ms in, the end 200 ms later: ping and message_start do not count.
    Long ttft = completion.timeToFirstTokenNanos();
    assertNotNull(ttft);
    assertTrue(ttft >= TimeUnit.MILLISECONDS.toNanos(300), "ttft " + ttft);
    assertTrue(
        // Half the pause: the first token's receipt may be late by scheduling jitter.
        completion.latencyNanos() - ttft >= TimeUnit.MILLISECONDS.toNanos(100),
        "ttft " + ttft + ", latency " + completion.latencyNanos());
  }

  @Test
  void shouldAssembleToolCallsFromInputJsonDeltas() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(
                  out,
                  """
                  event: message_start
                  data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-6","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

                  event: content_block_start
                  data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                  event: content_block_delta
                  data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let's check the weather."}}

                  event: content_block_stop
                  data: {"type":"content_block_stop","index":0}

                  event: content_block_start
                  data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

                  event: content_block_delta
                  data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

                  event: content_block_delta
                  data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

                  event: content_block_delta
                  data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisco, CA\\", "}}

                  event: content_block_delta
                  data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"unit\\": \\"fahrenheit\\"}"}}

                  event: content_block_stop
                  data: {"type":"content_block_stop","index":1}

                  event: content_block_start
                  data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}

                  event: content_block_stop
                  data: {"type":"content_block_stop","index":2}

                  event: message_delta
                  data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

                  event: message_stop
                  data: {"type":"message_stop"}

                  """);
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

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
                    true,
                    List.of(new ToolSpec("get_weather", "Current weather", null)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    assertEquals("tool_use", completion.finishReason());
    assertEquals("Okay, let's check the weather.", completion.text());
    assertEquals(
        List.of(
            new ToolCall(
                "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                "get_weather",
                "{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"),
            new ToolCall("toolu_02", "get_time", "{}")),
        completion.toolCalls());
    assertEquals(472, completion.promptTokens());
    assertEquals(89, completion.completionTokens());
    assertNull(completion.cachedPromptTokens());
  }

  @Test
  void shouldFailAtOnceWithTheErrorTypeOfAnErrorEvent() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(out, HEAD + TEXT);
              FakeAnthropicServer.write(
                  out,
                  """
                  event: error
                  data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

                  """);
              // The connection stays open: the adapter must not wait for its end.
              server.awaitClose();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                streamed("claude-sonnet-4-6", "Hello")
                    .with("claude-sonnet-4-6", Duration.ofSeconds(8), true, Map.of())));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.retryable());
    assertEquals(
        "anthropic stream failed with an error event: overloaded_error: Overloaded",
        e.getMessage());
    assertTrue(elapsedMillis < 4000, "took " + elapsedMillis + " ms");
  }

  @Test
  void shouldMapRateLimitErrorEventToRateLimited() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(
                  out,
                  HEAD
                      + """
                      event: error
                      data: {"type": "error", "error": {"type": "rate_limit_error", "message": "Slow down"}}

                      """);
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(streamed("claude-sonnet-4-6", "Hello")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
  }

  @Test
  void shouldReportInvalidResponseWhenTheStreamEndsWithoutMessageStop() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              // Everything but message_stop, then a clean end of the chunked body.
              FakeAnthropicServer.write(
                  out,
                  HEAD
                      + TEXT
                      + """
                      event: message_delta
                      data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

                      """);
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(streamed("claude-sonnet-4-6", "Hello")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertEquals(
        "anthropic returned an invalid stream: the stream ended before message_stop",
        e.getMessage());
  }

  @Test
  void shouldReportInvalidResponseWhenTheLastEventIsCutOff() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              // message_stop without the blank line that completes an event.
              FakeAnthropicServer.write(
                  out, HEAD + TEXT + TAIL.substring(0, TAIL.lastIndexOf("}") + 1));
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(streamed("claude-sonnet-4-6", "Hello")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
  }

  @Test
  void shouldReportInvalidResponseForAnEventThatIsNotJson() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(
                  out,
                  HEAD
                      + """
                      event: content_block_delta
                      data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_de

                      """);
              server.awaitClose();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    long start = System.nanoTime();
    ProviderException e = failure(provider.complete(streamed("claude-sonnet-4-6", "Hello")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith("anthropic returned an invalid stream: event content_block_delta"),
        e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void shouldReportInvalidResponseForTruncatedToolInput() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(
                  out,
                  """
                  event: message_start
                  data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"usage":{"input_tokens":10,"output_tokens":1}}}

                  event: content_block_start
                  data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}

                  event: content_block_delta
                  data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

                  """
                      + TAIL);
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(streamed("claude-sonnet-4-6", "Hello")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("toolu_1"), e.getMessage());
  }

  @Test
  void shouldTimeOutWhenTheStreamStalls() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(out, HEAD + TEXT);
              server.awaitClose();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                streamed("claude-sonnet-4-6", "Hello")
                    .with("claude-sonnet-4-6", Duration.ofMillis(400), true, Map.of())));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("anthropic timed out after 400 ms", e.getMessage());
    assertTrue(elapsedMillis < 3000, "took " + elapsedMillis + " ms");
  }

  @Test
  void shouldReportHttpErrorsOfAStreamedRequestWithRetryAfter() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              exchange.getResponseHeaders().set("retry-after", "4");
              FakeAnthropicServer.respond(
                  exchange,
                  429,
                  "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Rate limited\"}}");
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    ProviderException e = failure(provider.complete(streamed("claude-sonnet-4-6", "Hello")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(429, e.httpStatus());
    assertEquals(4_000L, e.retryAfterMillis());
    assertEquals("anthropic returned HTTP 429: rate_limit_error: Rate limited", e.getMessage());
  }

  @Test
  void shouldReportNetworkErrorWhenTheStreamIsReset() throws Exception {
    String firstChunk = HEAD.replace("\n", "\r\n");
    try (var resetting =
        new ResettingServer(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(firstChunk.length())
                + "\r\n"
                + firstChunk
                + "\r\n")) {
      var provider = new AnthropicProvider(config(resetting.baseUrl(), KEY, Map.of()));

      long start = System.nanoTime();
      ProviderException e = failure(provider.complete(streamed("claude-sonnet-4-6", "Hello")));

      assertEquals(Kind.NETWORK, e.kind());
      assertTrue(e.retryable());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void shouldReadCrlfLinesSkipUnknownEventsCommentsAndThinking() throws Exception {
    String stream =
        """
        : a comment line

        event: message_start
        data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"usage":{"input_tokens":5,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think."}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: some_future_event
        data: {"type":"some_future_event","detail":1}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"4"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":7}}

        event: message_stop
        data: {"type":"message_stop"}

        """
            .replace("\n", "\r\n");
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              // Events split across writes, even inside a line.
              int middle = stream.length() / 2;
              FakeAnthropicServer.write(out, stream.substring(0, middle));
              Thread.sleep(50);
              FakeAnthropicServer.write(out, stream.substring(middle));
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    Completion completion =
        provider.complete(streamed("claude-sonnet-4-6", "2 + 2?")).get(10, TimeUnit.SECONDS);

    assertEquals("4", completion.text());
    assertEquals("max_tokens", completion.finishReason());
    assertEquals(7, completion.completionTokens());
  }

  @Test
  void shouldMarkAStreamedRefusalAsBlocked() throws Exception {
    server =
        new FakeAnthropicServer(
            exchange -> {
              OutputStream out = FakeAnthropicServer.startEventStream(exchange);
              FakeAnthropicServer.write(
                  out, HEAD + TEXT + TAIL.replace("\"end_turn\"", "\"refusal\""));
              out.close();
            });
    var provider = new AnthropicProvider(config(server.baseUrl(), KEY, Map.of()));

    Completion completion =
        provider.complete(streamed("claude-sonnet-4-6", "Hello")).get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals("refusal", completion.finishReason());
  }

  private static CompletionRequest streamed(String model, String prompt) {
    return new CompletionRequest(
        model,
        List.of(new ChatMessage("user", prompt)),
        null,
        null,
        null,
        Duration.ofSeconds(5),
        true,
        null,
        null,
        null);
  }
}
