package dev.llmtestbench.provider.cohere;

import static dev.llmtestbench.provider.cohere.CohereChatTest.KEY;
import static dev.llmtestbench.provider.cohere.CohereChatTest.config;
import static dev.llmtestbench.provider.cohere.CohereChatTest.failure;
import static dev.llmtestbench.provider.cohere.CohereChatTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.RerankRequest;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failures of every kind against a server answering as Cohere's API does when things go wrong.
 *
 * <p>References: https://docs.cohere.com/reference/errors (status codes and their {"message": ...}
 * bodies, with the example messages used here) and the error responses of
 * https://docs.cohere.com/reference/chat (400, 401, 403, 404, 422, 429, 498, 499, 500, 501, 503,
 * 504, each {@code {"id": ..., "message": ...}}).
 */
class CohereErrorsTest {

  private FakeCohereServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "400 | BAD_REQUEST   | invalid request: temperature must be between 0 and 1.0 inclusive.",
        "401 | UNAUTHORIZED  | invalid api token",
        "402 | BAD_REQUEST   | Please add or update your payment method to continue",
        "403 | UNAUTHORIZED  | Forbidden",
        "404 | BAD_REQUEST   | model 'xyz' not found, make sure the correct model ID was used",
        "408 | TIMEOUT       | request timeout",
        "422 | BAD_REQUEST   | invalid request: message must not be empty in a turn",
        "429 | RATE_LIMITED  | trial token rate limit exceeded, limit is 100000 tokens per minute",
        "498 | BAD_REQUEST   | blocked output: deny-listed token",
        "499 | BAD_REQUEST   | request cancelled",
        "500 | SERVER_ERROR  | internal server error",
        "501 | SERVER_ERROR  | not implemented",
        "503 | SERVER_ERROR  | service unavailable",
        "504 | TIMEOUT       | gateway timeout"
      })
  void shouldClassifyErrorStatusAndQuoteCohereMessage(int status, Kind kind, String message)
      throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                status, "{\"id\":\"a8e0c2f1\",\"message\":\"" + message + "\"}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(request("command-a-03-2025", "Hi")));

    assertEquals(kind, e.kind());
    assertEquals(status, e.httpStatus());
    assertEquals("cohere returned HTTP " + status + ": " + message, e.getMessage());
    assertNull(e.retryAfterMillis());
    assertTrue(e.latencyNanos() > 0);
  }

  @Test
  void shouldParseRetryAfterSecondsOn429() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "12");
              FakeCohereServer.respond(
                  exchange, 429, "{\"message\":\"Please wait and try again later\"}");
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertTrue(e.retryable());
    assertEquals(12_000L, e.retryAfterMillis());
  }

  @Test
  void shouldParseRetryAfterHttpDateOn503() throws Exception {
    String inThirtySeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.now().plusSeconds(30).atOffset(ZoneOffset.UTC));
    server =
        new FakeCohereServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", inThirtySeconds);
              FakeCohereServer.respond(exchange, 503, "{\"message\":\"service unavailable\"}");
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    // Whole seconds in the date, and the time the exchange took, make it a little under 30 s.
    assertTrue(
        e.retryAfterMillis() > 25_000 && e.retryAfterMillis() <= 30_000, "" + e.retryAfterMillis());
  }

  @Test
  void shouldReadRetryAfterValuesAndIgnoreUnreadableOnes() {
    Instant now = Instant.parse("2015-10-21T07:27:00Z");
    assertEquals(120_000L, CohereProvider.retryAfterMillis("120", now));
    assertEquals(1_500L, CohereProvider.retryAfterMillis(" 1.5 ", now));
    assertEquals(60_000L, CohereProvider.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT", now));
    assertEquals(0L, CohereProvider.retryAfterMillis("Wed, 21 Oct 2015 07:00:00 GMT", now));
    assertNull(CohereProvider.retryAfterMillis("-5", now));
    assertNull(CohereProvider.retryAfterMillis("soon", now));
    assertNull(CohereProvider.retryAfterMillis("Infinity", now));
    assertNull(CohereProvider.retryAfterMillis("0x10", now));
    assertNull(CohereProvider.retryAfterMillis(null, now));
  }

  @Test
  void shouldCarryRetryAfterOnEmbedAndRerankFailuresToo() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "3");
              FakeCohereServer.respond(
                  exchange,
                  429,
                  "{\"message\":\"You are past the per minute request limit, please wait and try"
                      + " again later.\"}");
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException embed =
        failure(provider.embed(new EmbeddingRequest(null, List.of("a"), null)));
    ProviderException rerank =
        failure(provider.rerank(new RerankRequest(null, "q", List.of("d"), null, null)));

    assertEquals(Kind.RATE_LIMITED, embed.kind());
    assertEquals(3_000L, embed.retryAfterMillis());
    assertEquals(Kind.RATE_LIMITED, rerank.kind());
    assertEquals(3_000L, rerank.retryAfterMillis());
  }

  @Test
  void shouldNeverEchoTheApiKeyInErrors() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                401, "{\"message\":\"invalid api token: " + KEY + " is not a valid key\"}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
    assertTrue(e.getMessage().contains("invalid api token: ****"), e.getMessage());
  }

  @Test
  void shouldTruncateLongNonJsonErrorBodies() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(502, "<html>" + "x".repeat(5000)));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.getMessage().startsWith("cohere returned HTTP 502: <html>xxx"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, "length " + e.getMessage().length());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\": \"x\", \"message\": {\"role\": ",
        "{\"id\": \"x\", \"finish_reason\": \"COMPLETE\"}",
        "{\"id\": \"x\", \"message\": {\"content\": 42}}",
        "[1, 2]",
        "<html>OK</html>"
      })
  void shouldReportInvalidResponseForUnusableSuccessfulBody(String body) throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, body));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().startsWith("cohere returned an invalid response"), e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenServerNeverAnswers() throws Exception {
    server = new FakeCohereServer(exchange -> server.awaitClose());
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
                    Duration.ofMillis(300))));
    long elapsed = System.nanoTime() - start;

    assertEquals(Kind.TIMEOUT, e.kind());
    assertNull(e.httpStatus());
    assertEquals("cohere timed out after 300 ms", e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "" + e.latencyNanos());
    assertTrue(elapsed < TimeUnit.SECONDS.toNanos(3), "took " + elapsed);
  }

  @Test
  void shouldTimeOutWhenBodyStallsAfterHeadersUsingConfiguredTimeout() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 1000);
              OutputStream out = exchange.getResponseBody();
              out.write("{\"id\":".getBytes(StandardCharsets.UTF_8));
              out.flush();
              server.awaitClose();
            });
    var provider =
        new CohereProvider(
            new ProviderConfig(
                "cohere",
                "cohere",
                server.baseUrl(),
                KEY,
                List.of("command-a-03-2025"),
                Duration.ofMillis(300),
                Map.of()));

    long start = System.nanoTime();
    ProviderException e = failure(provider.embed(new EmbeddingRequest(null, List.of("a"), null)));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsReset() throws Exception {
    try (var resetting = new FakeCohereServer.Resetting("")) {
      var provider = new CohereProvider(config(resetting.baseUrl(), Map.of()));

      ProviderException e = failure(provider.complete(request("m", "Hi")));

      assertEquals(Kind.NETWORK, e.kind());
      assertNull(e.httpStatus());
      assertTrue(e.getMessage().contains(resetting.baseUrl().toString()), e.getMessage());
    }
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var provider =
        new CohereProvider(
            config(URI.create("http://127.0.0.1:" + port + "?key=secret"), Map.of()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }
}
