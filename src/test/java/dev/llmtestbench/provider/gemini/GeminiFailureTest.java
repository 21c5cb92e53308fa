package dev.llmtestbench.provider.gemini;

import static dev.llmtestbench.provider.gemini.GeminiTestSupport.KEY;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.failure;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.provider;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Error answers and transport faults of the Gemini API.
 *
 * <p>References: https://ai.google.dev/gemini-api/docs/troubleshooting (HTTP status and error
 * status: 400 INVALID_ARGUMENT/FAILED_PRECONDITION, 403 PERMISSION_DENIED, 404 NOT_FOUND, 429
 * RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED),
 * https://ai.google.dev/gemini-api/docs/rate-limits and Google's error model
 * https://cloud.google.com/apis/design/errors (the {@code error} envelope with {@code details},
 * e.g. google.rpc.RetryInfo {@code retryDelay} and google.rpc.ErrorInfo {@code reason}).
 */
class GeminiFailureTest {

  // What Gemini answers when a free-tier quota runs out.
  static final String QUOTA_EXCEEDED =
      """
      {
        "error": {
          "code": 429,
          "message": "You exceeded your current quota, please check your plan and billing details.",
          "status": "RESOURCE_EXHAUSTED",
          "details": [
            {
              "@type": "type.googleapis.com/google.rpc.QuotaFailure",
              "violations": [{
                "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash"},
                "quotaValue": "10"
              }]
            },
            {
              "@type": "type.googleapis.com/google.rpc.Help",
              "links": [{"description": "Learn more about Gemini API quotas",
                         "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "13s"}
          ]
        }
      }
      """;

  private FakeGeminiServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldReportRateLimitWithRetryDelayFromRetryInfo() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(429, QUOTA_EXCEEDED));

    ProviderException e = failure(provider(server.baseUrl()).complete(request(null, "Hi")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(429, e.httpStatus());
    assertEquals(13_000L, e.retryAfterMillis());
    assertTrue(e.retryable());
    assertEquals(
        "gemini returned HTTP 429 RESOURCE_EXHAUSTED: You exceeded your current quota, please"
            + " check your plan and billing details.",
        e.getMessage());
    assertTrue(e.latencyNanos() > 0);
  }

  @Test
  void shouldPreferRetryAfterHeaderInSeconds() throws Exception {
    server =
        new FakeGeminiServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "7");
              FakeGeminiServer.respond(exchange, 429, QUOTA_EXCEEDED);
            });

    ProviderException e = failure(provider(server.baseUrl()).complete(request(null, "Hi")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(7_000L, e.retryAfterMillis());
  }

  @Test
  void shouldReadRetryAfterHeaderAsHttpDate() throws Exception {
    String in30s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
    server =
        new FakeGeminiServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", in30s);
              FakeGeminiServer.respond(
                  exchange,
                  503,
                  "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again"
                      + " later.\",\"status\":\"UNAVAILABLE\"}}");
            });

    ProviderException e = failure(provider(server.baseUrl()).complete(request(null, "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertEquals(503, e.httpStatus());
    assertTrue(
        e.retryAfterMillis() > 25_000L && e.retryAfterMillis() <= 30_000L,
        "" + e.retryAfterMillis());
    assertEquals(
        "gemini returned HTTP 503 UNAVAILABLE: The model is overloaded. Please try again later.",
        e.getMessage());
  }

  @Test
  void shouldParseRetryDelaysAndRetryAfterValues() {
    assertEquals(13_000L, GeminiWire.durationMillis("13s"));
    assertEquals(57_239L, GeminiWire.durationMillis("57.238747106s"));
    assertEquals(250L, GeminiWire.durationMillis("0.25s"));
    assertNull(GeminiWire.durationMillis("soon"));
    assertEquals(120_000L, GeminiProvider.retryAfterMillis(Optional.of("120")));
    assertEquals(0L, GeminiProvider.retryAfterMillis(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT")));
    assertNull(GeminiProvider.retryAfterMillis(Optional.of("later")));
    assertNull(GeminiProvider.retryAfterMillis(Optional.empty()));
  }

  @ParameterizedTest
  @CsvSource({
    "400, INVALID_ARGUMENT, BAD_REQUEST",
    "400, FAILED_PRECONDITION, BAD_REQUEST",
    "403, PERMISSION_DENIED, UNAUTHORIZED",
    "404, NOT_FOUND, BAD_REQUEST",
    "429, RESOURCE_EXHAUSTED, RATE_LIMITED",
    "500, INTERNAL, SERVER_ERROR",
    "503, UNAVAILABLE, SERVER_ERROR",
    "504, DEADLINE_EXCEEDED, TIMEOUT"
  })
  void shouldClassifyErrorStatus(int status, String apiStatus, Kind kind) throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                status,
                "{\"error\":{\"code\":%d,\"message\":\"Something about the request.\",\"status\":\"%s\"}}"
                    .formatted(status, apiStatus)));

    ProviderException e = failure(provider(server.baseUrl()).complete(request(null, "Hi")));

    assertEquals(kind, e.kind());
    assertEquals(status, e.httpStatus());
    assertNull(e.retryAfterMillis());
    assertEquals(
        "gemini returned HTTP " + status + " " + apiStatus + ": Something about the request.",
        e.getMessage());
  }

  @Test
  void shouldTreatRejectedKeyAsUnauthorizedAlthoughGeminiSays400WithoutEchoingTheKey()
      throws Exception {
    // Gemini's real answer to a wrong key, with the key echoed to check it never leaks.
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                400,
                """
                {"error": {"code": 400,
                  "message": "API key not valid. Please pass a valid API key. (%s)",
                  "status": "INVALID_ARGUMENT",
                  "details": [
                    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                     "domain": "googleapis.com",
                     "metadata": {"service": "generativelanguage.googleapis.com"}},
                    {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
                     "message": "API key not valid. Please pass a valid API key."}]}}
                """
                    .formatted(KEY)));

    ProviderException e = failure(provider(server.baseUrl()).complete(request(null, "Hi")));

    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertEquals(400, e.httpStatus());
    assertFalse(e.retryable());
    assertTrue(
        e.getMessage()
            .startsWith(
                "gemini returned HTTP 400 INVALID_ARGUMENT: API key not valid. Please pass a valid"
                    + " API key."),
        e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
  }

  @Test
  void shouldTruncateLongNonJsonErrorBodies() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(502, "<html>" + "x".repeat(5000)));

    ProviderException e = failure(provider(server.baseUrl()).complete(request(null, "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.getMessage().startsWith("gemini returned HTTP 502: <html>xxx"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, "length " + e.getMessage().length());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"candidates\": [{\"content\": ",
        "{\"usageMetadata\": {\"promptTokenCount\": 3}}",
        "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": 42}]}}]}",
        "[1, 2]"
      })
  void shouldReportUnusableBodyAsInvalidResponse(String body) throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, body));

    ProviderException e = failure(provider(server.baseUrl()).complete(request(null, "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(e.getMessage().startsWith("gemini returned an invalid response"), e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenServerNeverAnswers() throws Exception {
    server = new FakeGeminiServer(exchange -> server.awaitClose());

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider(server.baseUrl())
                .complete(
                    new CompletionRequest(
                        "gemini-2.5-flash",
                        List.of(new ChatMessage("user", "Hi")),
                        null,
                        null,
                        null,
                        Duration.ofMillis(300))));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertNull(e.httpStatus());
    assertEquals("gemini timed out after 300 ms", e.getMessage());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "" + e.latencyNanos());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "did not finish quickly");
  }

  @Test
  void shouldTimeOutWhenBodyStallsAfterHeaders() throws Exception {
    server =
        new FakeGeminiServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 1000);
              OutputStream out = exchange.getResponseBody();
              out.write("{\"candidates\":".getBytes(StandardCharsets.UTF_8));
              out.flush();
              server.awaitClose();
            });

    ProviderException e =
        failure(
            provider(server.baseUrl())
                .complete(
                    new CompletionRequest(
                        "gemini-2.5-flash",
                        List.of(new ChatMessage("user", "Hi")),
                        null,
                        null,
                        null,
                        Duration.ofMillis(300))));

    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @Test
  void shouldReportConnectionResetAsNetworkFailure() throws Exception {
    try (var resetting = new FakeGeminiServer.Resetting("")) {
      ProviderException e = failure(provider(resetting.baseUrl()).complete(request(null, "Hi")));

      assertEquals(Kind.NETWORK, e.kind());
      assertNull(e.httpStatus());
      assertTrue(e.retryable());
    }
  }

  @Test
  void shouldReportRefusedConnectionAsNetworkFailureNamingTheHost() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    ProviderException e =
        failure(provider(URI.create("http://127.0.0.1:" + port)).complete(request(null, "Hi")));

    assertEquals(Kind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }
}
