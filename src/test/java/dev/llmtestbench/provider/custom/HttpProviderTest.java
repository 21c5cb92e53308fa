package dev.llmtestbench.provider.custom;

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
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tests the custom {@code http} adapter against a made-up in-house protocol, the "Acme inference
 * gateway": {@code POST /v2/models/{model}/infer} with {@code {"input": {...}, "params": {...}}},
 * answering {@code {"id", "output": {"text", "finish"}, "usage": {"input_tokens",
 * "output_tokens"}}}, errors as {@code {"error": {"code", "message"}}}, the key in {@code
 * X-Api-Key}. The mapping follows promptfoo's HTTP provider
 * (https://www.promptfoo.dev/docs/providers/http/); JSONPath syntax is Jayway's
 * (https://github.com/json-path/JsonPath).
 */
class HttpProviderTest {

  private static final String KEY = "acme-key-0123456789";

  private static final String ANSWER =
      """
      {"id": "req-7f3a",
       "output": {"text": "Paris.", "finish": "eos"},
       "usage": {"input_tokens": 21, "output_tokens": 2}}
      """;

  private static final String ACME_BODY =
      """
      {"input": {"text": {{prompt}}, "system": {{system}}, "history": {{messages}}},
       "params": {"temperature": {{temperature}}, "max_new_tokens": {{max_tokens}}},
       "tag": "bench {{model}}"}
      """;

  private FakeInHouseServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldRenderTheBodyTemplateAndMapTheInHouseAnswer() throws Exception {
    server =
        new FakeInHouseServer(
            exchange -> {
              exchange.getResponseHeaders().set("X-Request-Id", "req-7f3a");
              FakeInHouseServer.respond(exchange, 200, ANSWER);
            });
    var provider = new HttpProvider(config(server.baseUrl(), KEY, acmeSettings()));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "acme/large:v2",
                    List.of(
                        new ChatMessage("system", "Answer in one word."),
                        new ChatMessage("user", "Capital of Spain?"),
                        new ChatMessage("assistant", "Madrid."),
                        new ChatMessage("user", "Capital of France?")),
                    0.2,
                    64,
                    Map.of(),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeInHouseServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/gw/v2/models/acme%2Flarge:v2/infer", request.path());
    assertEquals("region=eu&mode=sync", request.query());
    assertEquals(KEY, request.headers().getFirst("X-Api-Key"));
    assertNull(request.headers().getFirst("Authorization"));
    assertEquals("bench", request.headers().getFirst("X-Team"));
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    assertEquals(
        json(
            """
            {"input": {"text": "Capital of France?", "system": "Answer in one word.",
                       "history": [{"role": "system", "content": "Answer in one word."},
                                   {"role": "user", "content": "Capital of Spain?"},
                                   {"role": "assistant", "content": "Madrid."},
                                   {"role": "user", "content": "Capital of France?"}]},
             "params": {"temperature": 0.2, "max_new_tokens": 64},
             "tag": "bench acme/large:v2"}
            """),
        json(request.body()));

    assertEquals("Paris.", completion.text());
    assertEquals("eos", completion.finishReason());
    assertEquals(21, completion.promptTokens());
    assertEquals(2, completion.completionTokens());
    assertEquals(23, completion.totalTokens());
    assertEquals("req-7f3a", completion.requestId());
    assertNull(completion.modelVersion());
    assertNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.latencyNanos() > 0);
  }

  @Test
  void shouldSendTheDefaultBodyWithABearerKeyToTheBaseUrl() throws Exception {
    server =
        new FakeInHouseServer(
            FakeInHouseServer.answering(200, "{\"output\":{\"text\":\"Hello there\"}}"));
    var provider =
        new HttpProvider(config(server.baseUrl(), KEY, Map.of("response.text", "$.output.text")));

    Completion completion = provider.complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    FakeInHouseServer.Received request = server.takeRequest();
    assertEquals("/gw", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    // The first configured model stands in for the request's.
    assertEquals(json("{\"model\":\"acme-small\",\"prompt\":\"Hi\"}"), json(request.body()));
    assertEquals("Hello there", completion.text());
    assertNull(completion.promptTokens());
    assertNull(completion.totalTokens());
    assertNull(completion.finishReason());
  }

  @Test
  void shouldSendNullsForUnsetValuesAndNoAuthHeaderWithoutAKey() throws Exception {
    server = new FakeInHouseServer(FakeInHouseServer.answering(200, ANSWER));
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    provider.complete(request("m", "Hi")).get(10, TimeUnit.SECONDS);

    FakeInHouseServer.Received request = server.takeRequest();
    assertNull(request.headers().getFirst("X-Api-Key"));
    JsonObject body = json(request.body());
    assertEquals(
        json("{\"temperature\":null,\"max_new_tokens\":null}"), body.getJsonObject("params"));
    assertEquals("", body.getJsonObject("input").getString("system"));
  }

  @Test
  void shouldUseTheConfiguredMethodAndARawKeyWithSchemeNone() throws Exception {
    server = new FakeInHouseServer(FakeInHouseServer.answering(200, ANSWER));
    Map<String, String> settings = acmeSettings();
    settings.put("method", "put");
    settings.put("auth-header", "Authorization");
    settings.put("auth-scheme", "none");
    var provider = new HttpProvider(config(server.baseUrl(), KEY, settings));

    provider.complete(request("m", "Hi")).get(10, TimeUnit.SECONDS);

    FakeInHouseServer.Received request = server.takeRequest();
    assertEquals("PUT", request.method());
    assertEquals(KEY, request.headers().getFirst("Authorization"));
  }

  @Test
  void shouldJoinTheMatchesOfAPathThatSelectsSeveralValues() throws Exception {
    server =
        new FakeInHouseServer(
            FakeInHouseServer.answering(
                200,
                "{\"chunks\":[{\"text\":\"Par\"},{\"text\":\"is.\"}],"
                    + "\"meta\":{\"tokens\":{\"in\":\"12\",\"out\":3}}}"));
    var provider =
        new HttpProvider(
            config(
                server.baseUrl(),
                null,
                Map.of(
                    "response.text", "$.chunks[*].text",
                    "response.prompt-tokens", "$.meta.tokens.in",
                    "response.completion-tokens", "$..out")));

    Completion completion = provider.complete(request("m", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("Paris.", completion.text());
    assertEquals(12, completion.promptTokens());
    assertEquals(3, completion.completionTokens());
  }

  @Test
  void shouldSelectTheTextWithAFilterPath() throws Exception {
    server =
        new FakeInHouseServer(
            FakeInHouseServer.answering(
                200,
                "{\"parts\":[{\"kind\":\"reasoning\",\"text\":\"Hmm. \"},"
                    + "{\"kind\":\"text\",\"text\":\"Paris.\"}]}"));
    var provider =
        new HttpProvider(
            config(
                server.baseUrl(),
                null,
                Map.of("response.text", "$.parts[?(@.kind in ['text', 'answer'])].text")));

    Completion completion = provider.complete(request("m", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("Paris.", completion.text());
  }

  @Test
  void shouldIgnoreTheStreamFlagAndMeasureNoTimeToFirstToken() throws Exception {
    server = new FakeInHouseServer(FakeInHouseServer.answering(200, ANSWER));
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    Completion completion =
        provider
            .complete(request("m", "Hi").with("m", Duration.ofSeconds(5), true, Map.of()))
            .get(10, TimeUnit.SECONDS);

    assertEquals("Paris.", completion.text());
    assertNull(completion.timeToFirstTokenNanos());
    assertFalse(server.takeRequest().body().contains("stream"));
  }

  @Test
  void shouldRefuseToolsFormatsPartsAndLogprobsAsUnsupportedWithoutSending() throws Exception {
    server = new FakeInHouseServer(FakeInHouseServer.answering(200, ANSWER));
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));
    List<ChatMessage> hi = List.of(new ChatMessage("user", "Hi"));

    List<CompletableFuture<Completion>> calls =
        List.of(
            provider.complete(
                new CompletionRequest(
                    "m",
                    hi,
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of(new ToolSpec("f", null, null)),
                    null,
                    null)),
            provider.complete(
                new CompletionRequest(
                    "m",
                    hi,
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    ResponseFormat.jsonObject(),
                    null)),
            provider.complete(
                new CompletionRequest("m", hi, null, null, null, null, false, null, null, 3)),
            provider.complete(
                new CompletionRequest(
                    "m",
                    List.of(
                        new ChatMessage(
                            "user",
                            "What is it?",
                            List.of(ContentPart.image("image/png", "AA==")))),
                    null,
                    null,
                    null,
                    null)));

    List<String> missing = List.of("tools", "json_object", "log probabilities", "image");
    for (int i = 0; i < calls.size(); i++) {
      ProviderException e = failure(calls.get(i));
      assertEquals(Kind.UNSUPPORTED, e.kind());
      assertTrue(e.getMessage().contains(missing.get(i)), e.getMessage());
    }
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldFailWhenTheBodyNeedsAPromptButNoUserMessageIsGiven() throws Exception {
    server = new FakeInHouseServer(FakeInHouseServer.answering(200, ANSWER));
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "m", List.of(new ChatMessage("system", "Be brief.")), null, null, null, null)));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertTrue(server.received.isEmpty());
  }

  // ---- Mapping failures ----

  @Test
  void shouldReportInvalidResponseNamingThePathWhenTheTextIsNotThere() throws Exception {
    server =
        new FakeInHouseServer(
            FakeInHouseServer.answering(200, "{\"result\":{\"answer\":\"Paris.\"}}"));
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertEquals(200, e.httpStatus());
    assertTrue(
        e.getMessage().startsWith("acme response has no text at response.text $.output.text"),
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{output: {text: Paris}}",
        "{\"output\": {\"text\": \"Par",
        "<html><body>502 Bad Gateway</body></html>",
        "''"
      })
  void shouldReportInvalidResponseForABodyThatIsNotJson(String body) throws Exception {
    server = new FakeInHouseServer(FakeInHouseServer.answering(200, body));
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().startsWith("acme response is not JSON"), e.getMessage());
  }

  @Test
  void shouldReportInvalidResponseWhenATokenCountIsNotANumber() throws Exception {
    server =
        new FakeInHouseServer(
            FakeInHouseServer.answering(
                200,
                "{\"output\":{\"text\":\"x\"},\"usage\":{\"input_tokens\":\"many\","
                    + "\"output_tokens\":1}}"));
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("response.prompt-tokens"), e.getMessage());
  }

  // ---- HTTP and transport failures ----

  @ParameterizedTest
  @CsvSource({
    "400, BAD_REQUEST",
    "401, UNAUTHORIZED",
    "403, UNAUTHORIZED",
    "404, BAD_REQUEST",
    "408, TIMEOUT",
    "422, BAD_REQUEST",
    "429, RATE_LIMITED",
    "500, SERVER_ERROR",
    "503, SERVER_ERROR",
    "504, TIMEOUT"
  })
  void shouldClassifyErrorStatusWithTheGatewaysMessage(int status, Kind kind) throws Exception {
    server =
        new FakeInHouseServer(
            FakeInHouseServer.answering(
                status,
                "{\"error\":{\"code\":\"E" + status + "\",\"message\":\"gateway says no\"}}"));
    var provider = new HttpProvider(config(server.baseUrl(), KEY, acmeSettings()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(kind, e.kind());
    assertEquals(status, e.httpStatus());
    assertEquals("acme returned HTTP " + status + ": gateway says no", e.getMessage());
  }

  @Test
  void shouldPassRetryAfterAndNeverLeakTheKey() throws Exception {
    server =
        new FakeInHouseServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "3");
              FakeInHouseServer.respond(
                  exchange, 429, "{\"message\":\"quota exceeded for key " + KEY + "\"}");
            });
    var provider = new HttpProvider(config(server.baseUrl(), KEY, acmeSettings()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(3000L, e.retryAfterMillis());
    assertEquals("acme returned HTTP 429: quota exceeded for key ****", e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenTheEndpointNeverAnswers() throws Exception {
    server = new FakeInHouseServer(exchange -> server.awaitClose());
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(request("m", "Hi").with("m", Duration.ofMillis(300), false, null)));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("acme timed out after 300 ms", e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "took too long");
  }

  @Test
  void shouldTimeOutWhenTheBodyStallsAfterTheHeaders() throws Exception {
    server =
        new FakeInHouseServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 1000);
              OutputStream out = exchange.getResponseBody();
              out.write("{\"output\":".getBytes(StandardCharsets.UTF_8));
              out.flush();
              server.awaitClose();
            });
    var provider = new HttpProvider(config(server.baseUrl(), null, acmeSettings()));

    ProviderException e =
        failure(
            provider.complete(request("m", "Hi").with("m", Duration.ofMillis(300), false, null)));

    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @Test
  void shouldReportAConnectionResetAsNetworkFailure() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread resetter =
          new Thread(
              () -> {
                try (Socket connection = socket.accept()) {
                  readHeaders(connection.getInputStream());
                  connection.setSoLinger(true, 0);
                } catch (Exception ignored) {
                  // The test fails on its own if the reset does not happen.
                }
              });
      resetter.setDaemon(true);
      resetter.start();
      var provider =
          new HttpProvider(
              config(
                  URI.create("http://127.0.0.1:" + socket.getLocalPort()), null, acmeSettings()));

      ProviderException e = failure(provider.complete(request("m", "Hi")));

      assertEquals(Kind.NETWORK, e.kind());
      assertNull(e.httpStatus());
    }
  }

  @Test
  void shouldReportARefusedConnectionAsNetworkFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var provider =
        new HttpProvider(config(URI.create("http://127.0.0.1:" + port), null, acmeSettings()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  // ---- Settings ----

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "response.text|''|response.text is required",
        "response.text|$.output[?(@.x ==|response.text is not a valid JSONPath",
        "response.prompt-tokens|$..[|response.prompt-tokens is not a valid JSONPath",
        "body|{\"q\": {{prompt}|body has a malformed placeholder",
        "body|{\"q\": {{prompt}} \"x\"}|body is not a JSON template",
        "body|{\"q\": \"{{user}}\"}|body uses unknown placeholder {{user}}",
        "method|GET|method must be one of [POST, PUT, PATCH]",
        "path|/v1/{{prompt}}|path may contain only the {{model}} placeholder",
        "path|/v1/a b|path is not a valid URL path",
        "auth-header|Bad Header|auth-header is not a header that can be sent",
        "header.Host|evil.test|header.Host is not a header that can be sent"
      })
  void shouldRejectWrongSettingsNamingTheSetting(String key, String value, String message) {
    Map<String, String> settings = acmeSettings();
    settings.put(key, value);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HttpProvider(config(URI.create("http://gw.test"), null, settings)));

    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void shouldRequireABaseUrl() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HttpProvider(config(null, null, acmeSettings())));

    assertTrue(e.getMessage().startsWith("baseUrl is required"), e.getMessage());
  }

  @Test
  void shouldOfferTextOnlyAndReportHealthAsNotChecked() throws Exception {
    var provider = new HttpProvider(config(URI.create("http://gw.test"), null, acmeSettings()));

    HealthReport health = provider.health().get(1, TimeUnit.SECONDS);

    assertEquals(Capabilities.TEXT_ONLY, provider.capabilities("m"));
    assertTrue(health.message().startsWith("not checked"), health.message());
    assertEquals("http", provider.type());
  }

  @Test
  void shouldEncodeModelNamesAsPathSegments() {
    assertEquals("llama3:8b", HttpProvider.encodeSegment("llama3:8b"));
    assertEquals("org%2Fmodel%20x%C3%A9", HttpProvider.encodeSegment("org/model x\u00e9"));
  }

  // ---- Helpers ----

  private static Map<String, String> acmeSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("path", "/v2/models/{{model}}/infer?mode=sync");
    settings.put("body", ACME_BODY);
    settings.put("response.text", "$.output.text");
    settings.put("response.prompt-tokens", "$.usage.input_tokens");
    settings.put("response.completion-tokens", "$.usage.output_tokens");
    settings.put("response.finish-reason", "$.output.finish");
    settings.put("auth-header", "X-Api-Key");
    settings.put("auth-scheme", "");
    settings.put("header.X-Team", "bench");
    return settings;
  }

  private static ProviderConfig config(URI base, String apiKey, Map<String, String> settings) {
    return new ProviderConfig(
        "acme",
        "http",
        base == null ? null : URI.create(base + "/gw?region=eu"),
        apiKey,
        List.of("acme-small"),
        Duration.ofSeconds(10),
        Map.of(),
        settings);
  }

  private static CompletionRequest request(String model, String prompt) {
    return new CompletionRequest(
        model, List.of(new ChatMessage("user", prompt)), null, null, null, null);
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
}
