package dev.llmtestbench.provider.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.TokenLogprob;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Non-streamed chat against a server speaking Cohere's Chat API v2 as documented.
 *
 * <p>References: https://docs.cohere.com/reference/chat (request and response bodies, finish
 * reasons, usage), https://docs.cohere.com/v2/docs/structured-outputs (response_format),
 * https://docs.cohere.com/docs/image-inputs (image_url content), and the OpenAPI document behind
 * them, cohere-openapi.yaml in github.com/cohere-ai/cohere-developer-experience.
 */
class CohereChatTest {

  static final String KEY = "co-test-0123456789abcdef";

  // The reference's example answer for "Tell me about LLMs" (text shortened).
  private static final String CHAT =
      """
      {
        "id": "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
        "message": {
          "role": "assistant",
          "content": [
            {"type": "text", "text": "LLMs stand for Large Language Models."}
          ]
        },
        "finish_reason": "COMPLETE",
        "usage": {
          "billed_units": {"input_tokens": 5, "output_tokens": 418},
          "tokens": {"input_tokens": 71, "output_tokens": 418}
        }
      }
      """;

  // The reference's tool-use example answer: a thinking item and two tool calls.
  private static final String TOOL_CALLS =
      """
      {
        "id": "9e5f00aa-bf1e-481a-abe3-0eceac18c3ec",
        "message": {
          "role": "assistant",
          "content": [
            {"type": "thinking", "thinking": "I will first find the sales summary for 29th September 2023."}
          ],
          "tool_calls": [
            {"id": "query_daily_sales_report_hgxxmkby3wta", "type": "function",
             "function": {"name": "query_daily_sales_report", "arguments": "{\\"day\\": \\"2023-09-29\\"}"}},
            {"id": "query_product_catalog_rpg0z5h8yyz2", "type": "function",
             "function": {"name": "query_product_catalog", "arguments": "{\\"category\\": \\"Electronics\\"}"}}
          ]
        },
        "finish_reason": "TOOL_CALL",
        "usage": {
          "billed_units": {"input_tokens": 127, "output_tokens": 69},
          "tokens": {"input_tokens": 1032, "output_tokens": 124}
        }
      }
      """;

  private FakeCohereServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldPostChatV2WithBearerKeyAndParseTheDocumentedAnswer() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of("X-Client-Name", "ltb")));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "command-a-03-2025",
                    List.of(
                        new ChatMessage("system", "Answer in one sentence."),
                        new ChatMessage("user", "Tell me about LLMs"),
                        new ChatMessage("assistant", "Sure."),
                        new ChatMessage("user", "Go on.")),
                    0.3,
                    256,
                    Map.of(),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeCohereServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v2/chat", request.path());
    assertNull(request.query());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    assertEquals("application/json", request.headers().getFirst("Accept"));
    assertEquals("ltb", request.headers().getFirst("X-Client-Name"));
    JsonObject body = CohereJson.readObject(request.body());
    assertEquals(Set.of("model", "messages", "temperature", "max_tokens", "stream"), body.keySet());
    assertEquals("command-a-03-2025", body.getString("model"));
    JsonArray messages = body.getJsonArray("messages");
    assertEquals(4, messages.size());
    assertEquals(
        CohereJson.readObject("{\"role\":\"system\",\"content\":\"Answer in one sentence.\"}"),
        messages.getJsonObject(0));
    assertEquals("user", messages.getJsonObject(1).getString("role"));
    assertEquals("Tell me about LLMs", messages.getJsonObject(1).getString("content"));
    assertEquals("assistant", messages.getJsonObject(2).getString("role"));
    assertEquals(0.3, body.getJsonNumber("temperature").doubleValue());
    assertEquals(256, body.getInt("max_tokens"));
    assertFalse(body.getBoolean("stream"));

    assertEquals("LLMs stand for Large Language Models.", completion.text());
    assertEquals("COMPLETE", completion.finishReason());
    // usage.tokens, not billed_units: Cohere bills fewer tokens than the model reads.
    assertEquals(71, completion.promptTokens());
    assertEquals(418, completion.completionTokens());
    assertEquals(489, completion.totalTokens());
    assertFalse(completion.tokensEstimated());
    assertEquals("c14c80c3-18eb-4519-9460-6c92edd8cfb4", completion.requestId());
    assertNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.toolCalls().isEmpty());
    assertTrue(completion.latencyNanos() > 0);
  }

  @Test
  void shouldSendOnlyRequiredFieldsAndUseFirstConfiguredModelWhenRequestNamesNone()
      throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    provider.complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    JsonObject body = CohereJson.readObject(server.takeRequest().body());
    assertEquals(Set.of("model", "messages", "stream"), body.keySet());
    assertEquals("command-a-03-2025", body.getString("model"));
  }

  @Test
  void shouldJoinTextItemsAndLeaveThinkingOut() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200,
                """
                {"id": "r-1", "finish_reason": "MAX_TOKENS",
                 "message": {"role": "assistant", "content": [
                   {"type": "thinking", "thinking": "The user wants two words."},
                   {"type": "text", "text": "Hello"},
                   {"type": "text", "text": " world"}]},
                 "usage": {"tokens": {"input_tokens": 3.0, "output_tokens": 2.0}, "cached_tokens": 1}}
                """));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider.complete(request("command-a-reasoning-08-2025", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("Hello world", completion.text());
    assertEquals("MAX_TOKENS", completion.finishReason());
    assertEquals(3, completion.promptTokens());
    assertEquals(2, completion.completionTokens());
    assertEquals(1, completion.cachedPromptTokens());
  }

  @Test
  void shouldFallBackToBilledUnitsAndLeaveTokensNullWhenUsageIsAbsent() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    server =
        new FakeCohereServer(
            exchange ->
                FakeCohereServer.respond(
                    exchange,
                    200,
                    calls.incrementAndGet() == 1
                        ? """
                          {"id": "a", "finish_reason": "COMPLETE",
                           "message": {"role": "assistant", "content": [{"type": "text", "text": "x"}]},
                           "usage": {"billed_units": {"input_tokens": 5, "output_tokens": 1}}}
                          """
                        : """
                          {"id": "b", "finish_reason": "COMPLETE",
                           "message": {"role": "assistant"}}
                          """));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    Completion billed = provider.complete(request("m", "Hi")).get(10, TimeUnit.SECONDS);
    Completion bare = provider.complete(request("m", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals(5, billed.promptTokens());
    assertEquals(1, billed.completionTokens());
    assertEquals("", bare.text());
    assertNull(bare.promptTokens());
    assertNull(bare.completionTokens());
    assertNull(bare.totalTokens());
  }

  @Test
  void shouldSendToolsInCohereFunctionFormatAndReturnToolCalls() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, TOOL_CALLS));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"day\":{\"type\":\"string\"}},\"required\":[\"day\"]}";

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "command-a-03-2025",
                    List.of(new ChatMessage("user", "Sales summary for 29th September 2023?")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of(
                        new ToolSpec(
                            "query_daily_sales_report",
                            "Retrieves sales information for a given day.",
                            schema),
                        new ToolSpec("query_product_catalog", null, null)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    JsonArray tools = CohereJson.readObject(server.takeRequest().body()).getJsonArray("tools");
    assertEquals(2, tools.size());
    assertEquals(
        CohereJson.readObject(
            "{\"type\":\"function\",\"function\":{\"name\":\"query_daily_sales_report\","
                + "\"description\":\"Retrieves sales information for a given day.\","
                + "\"parameters\":"
                + schema
                + "}}"),
        tools.getJsonObject(0));
    assertEquals(
        CohereJson.readObject(
            "{\"type\":\"function\",\"function\":{\"name\":\"query_product_catalog\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}"),
        tools.getJsonObject(1));

    assertEquals("", completion.text());
    assertEquals("TOOL_CALL", completion.finishReason());
    assertEquals(
        List.of(
            new ToolCall(
                "query_daily_sales_report_hgxxmkby3wta",
                "query_daily_sales_report",
                "{\"day\": \"2023-09-29\"}"),
            new ToolCall(
                "query_product_catalog_rpg0z5h8yyz2",
                "query_product_catalog",
                "{\"category\": \"Electronics\"}")),
        completion.toolCalls());
    assertEquals(1032, completion.promptTokens());
  }

  @Test
  void shouldRejectToolWhoseParametersAreNotJsonBeforeSending() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, TOOL_CALLS));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "m",
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of(new ToolSpec("broken", null, "{not json")),
                    null,
                    null)));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("parameters of tool broken"), e.getMessage());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldAskForJsonObjectAndForJsonSchema() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"}},\"required\":[\"title\"]}";

    provider.complete(withFormat(ResponseFormat.jsonObject())).get(10, TimeUnit.SECONDS);
    provider
        .complete(withFormat(new ResponseFormat(ResponseFormat.JSON_SCHEMA, "book", schema)))
        .get(10, TimeUnit.SECONDS);
    provider
        .complete(withFormat(new ResponseFormat(ResponseFormat.TEXT, null, null)))
        .get(10, TimeUnit.SECONDS);

    assertEquals(
        CohereJson.readObject("{\"type\":\"json_object\"}"),
        CohereJson.readObject(server.takeRequest().body()).getJsonObject("response_format"));
    assertEquals(
        CohereJson.readObject("{\"type\":\"json_object\",\"json_schema\":" + schema + "}"),
        CohereJson.readObject(server.takeRequest().body()).getJsonObject("response_format"));
    assertFalse(CohereJson.readObject(server.takeRequest().body()).containsKey("response_format"));
  }

  @Test
  void shouldRejectUnknownResponseFormatAsUnsupported() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e =
        failure(provider.complete(withFormat(new ResponseFormat("grammar", null, null))));

    assertEquals(Kind.UNSUPPORTED, e.kind());
    assertTrue(e.getMessage().contains("grammar"), e.getMessage());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldSendImagesAsImageUrlContentToVisionModels() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    provider
        .complete(
            request(
                "command-a-vision-07-2025",
                new ChatMessage(
                    "user",
                    "Describe this image",
                    List.of(
                        ContentPart.image("image/png", "iVBORw0KGgo="),
                        new ContentPart(
                            ContentPart.IMAGE,
                            null,
                            null,
                            "https://cohere.com/favicon-32x32.png")))))
        .get(10, TimeUnit.SECONDS);

    JsonObject message =
        CohereJson.readObject(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0);
    assertEquals(
        CohereJson.readObject(
            """
            {"role": "user", "content": [
              {"type": "text", "text": "Describe this image"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
              {"type": "image_url", "image_url": {"url": "https://cohere.com/favicon-32x32.png"}}
            ]}
            """),
        message);
  }

  @Test
  void shouldRefuseImagesForTextModelsAndAudioForAllWithoutSending() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException image =
        failure(
            provider.complete(
                request(
                    "command-a-03-2025",
                    new ChatMessage(
                        "user",
                        "What is this?",
                        List.of(ContentPart.image("image/png", "AAAA"))))));
    ProviderException audio =
        failure(
            provider.complete(
                request(
                    "command-a-vision-07-2025",
                    new ChatMessage(
                        "user", "Transcribe", List.of(ContentPart.audio("audio/wav", "AAAA"))))));

    assertEquals(Kind.UNSUPPORTED, image.kind());
    assertTrue(image.getMessage().contains("command-a-03-2025"), image.getMessage());
    assertEquals(Kind.UNSUPPORTED, audio.kind());
    assertTrue(audio.getMessage().contains("audio"), audio.getMessage());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldTreatModelsListedInVisionSettingAsVisionModels() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider =
        new CohereProvider(
            config(
                server.baseUrl(),
                Map.of(),
                Map.of(CohereProvider.VISION_MODELS, "my-finetuned-vision, other")));

    provider
        .complete(
            request(
                "my-finetuned-vision",
                new ChatMessage("user", "", List.of(ContentPart.image("image/jpeg", "AAAA")))))
        .get(10, TimeUnit.SECONDS);

    JsonArray content =
        CohereJson.readObject(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("content");
    // No empty text item before the image.
    assertEquals(1, content.size());
    assertEquals(
        "data:image/jpeg;base64,AAAA",
        content.getJsonObject(0).getJsonObject("image_url").getString("url"));
    assertTrue(provider.capabilities("my-finetuned-vision").vision());
    assertFalse(provider.capabilities("command-a-vision-07-2025").vision());
  }

  @Test
  void shouldAskForLogprobsAndSumEachChunksTokenLogprobs() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200,
                """
                {"id": "l-1", "finish_reason": "COMPLETE",
                 "message": {"role": "assistant", "content": [{"type": "text", "text": "Hello world"}]},
                 "logprobs": [
                   {"text": "Hello", "token_ids": [28339], "logprobs": [-0.25]},
                   {"text": " world", "token_ids": [2147, 90], "logprobs": [-0.5, -1.0]}
                 ]}
                """));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    Completion completion = provider.complete(withLogprobs(0)).get(10, TimeUnit.SECONDS);

    assertTrue(CohereJson.readObject(server.takeRequest().body()).getBoolean("logprobs"));
    assertEquals(
        List.of(new TokenLogprob("Hello", -0.25), new TokenLogprob(" world", -1.5)),
        completion.logprobs());
  }

  @Test
  void shouldRefuseTopAlternativeLogprobsAsUnsupported() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(withLogprobs(5)));

    assertEquals(Kind.UNSUPPORTED, e.kind());
    assertTrue(e.getMessage().contains("top 5"), e.getMessage());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldReportGenerationErrorFinishReasonAsServerError() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200,
                """
                {"id": "e-1", "finish_reason": "ERROR",
                 "message": {"role": "assistant", "content": []}}
                """));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e = failure(provider.complete(request("m", "Hi")));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.retryable());
  }

  @Test
  void shouldMapDeveloperRoleToSystemAndRefuseToolAndUnknownRoles() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    provider
        .complete(request("m", new ChatMessage("developer", "Be brief.")))
        .get(10, TimeUnit.SECONDS);
    ProviderException tool = failure(provider.complete(request("m", new ChatMessage("tool", "4"))));
    ProviderException odd = failure(provider.complete(request("m", new ChatMessage("bot", "x"))));

    assertEquals(
        "system",
        CohereJson.readObject(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0)
            .getString("role"));
    assertEquals(Kind.UNSUPPORTED, tool.kind());
    assertEquals(Kind.BAD_REQUEST, odd.kind());
  }

  @Test
  void shouldUseApiRootWhateverVersionOrSlashTheBaseUrlEndsWithAndKeepItsQuery() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, CHAT));

    new CohereProvider(config(URI.create(server.baseUrl() + "/v2/"), Map.of()))
        .complete(request("m", "Hi"))
        .get(10, TimeUnit.SECONDS);
    new CohereProvider(config(URI.create(server.baseUrl() + "/gateway/cohere?tenant=a"), Map.of()))
        .complete(request("m", "Hi"))
        .get(10, TimeUnit.SECONDS);

    assertEquals("/v2/chat", server.takeRequest().path());
    FakeCohereServer.Received gateway = server.takeRequest();
    assertEquals("/gateway/cohere/v2/chat", gateway.path());
    assertEquals("tenant=a", gateway.query());
  }

  @Test
  void shouldFailWithProviderExceptionAndNeverThrowFromComplete() {
    var provider =
        new CohereProvider(
            new ProviderConfig(
                "cohere", "cohere", URI.create("http://127.0.0.1:1"), null, null, null, null));

    Throwable error = provider.complete(request(null, "Hi")).handle((c, e) -> e).join();

    ProviderException e = assertInstanceOf(ProviderException.class, error);
    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals(
        Kind.BAD_REQUEST,
        failure(provider.complete(new CompletionRequest("m", List.of(), null, null, null, null)))
            .kind());
    assertEquals(Kind.BAD_REQUEST, failure(provider.complete(null)).kind());
  }

  @Test
  void shouldRejectConfigWithoutHttpBaseUrlOrWithForbiddenHeader() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new CohereProvider(config(URI.create("ftp://api.cohere.com"), Map.of())));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new CohereProvider(config(URI.create("https://api.cohere.com"), Map.of("Host", "x"))));
  }

  static ProviderConfig config(URI baseUrl, Map<String, String> headers) {
    return config(baseUrl, headers, Map.of());
  }

  static ProviderConfig config(
      URI baseUrl, Map<String, String> headers, Map<String, String> settings) {
    return new ProviderConfig(
        "cohere",
        "cohere",
        baseUrl,
        KEY,
        List.of("command-a-03-2025"),
        Duration.ofSeconds(10),
        headers,
        settings);
  }

  static CompletionRequest request(String model, String prompt) {
    return request(model, new ChatMessage("user", prompt));
  }

  static CompletionRequest request(String model, ChatMessage message) {
    return new CompletionRequest(model, List.of(message), null, null, null, null);
  }

  private static CompletionRequest withFormat(ResponseFormat format) {
    return new CompletionRequest(
        "command-a-03-2025",
        List.of(new ChatMessage("user", "Generate a JSON describing a book")),
        null,
        null,
        null,
        null,
        false,
        null,
        format,
        null);
  }

  private static CompletionRequest withLogprobs(int top) {
    return new CompletionRequest(
        "command-a-03-2025",
        List.of(new ChatMessage("user", "Say hello world")),
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        top);
  }

  static <T> ProviderException failure(CompletableFuture<T> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }
}
