package dev.llmtestbench.provider.mistral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.openai.FakeOpenAiServer;
import dev.llmtestbench.provider.openai.RawHttpServer;
import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mistral's chat, embeddings and models APIs, as its reference defines them: {@code POST
 * /v1/chat/completions} with Bearer auth and a request schema that forbids unknown fields ({@code
 * random_seed}, {@code tool_choice} auto/none/any/required, {@code response_format} text,
 * json_object or json_schema, image_url and input_audio chunks given as strings), streaming as
 * data-only server-sent events ended by {@code data: [DONE]} with usage on the last chunk, {@code
 * POST /v1/embeddings}, {@code GET /v1/models}, and errors as {@code {"object":"error","message"}}
 * or, for validation, {@code {"detail": [{"loc", "msg", "type"}]}}.
 *
 * <p>References: https://docs.mistral.ai/api (the OpenAPI spec: ChatCompletionRequest,
 * CompletionChunk, EmbeddingRequest/Response, ModelList, HTTPValidationError), published as
 * public/openapi.yaml in github.com/mistralai/platform-docs-public, whose guides were read from the
 * same repository: public/studio-api/conversations/function-calling.md (tool_choice any), vision.md
 * (image_url strings), structured-output/custom.md (json_schema), advanced/prompt-caching.md
 * (usage.prompt_tokens_details.cached_tokens), public/resources/error-glossary.md (error body,
 * Retry-After) and the audio chat examples (input_audio strings) in public/llms-full.txt.
 */
class MistralProviderTest {

  private static final String KEY = "mistral-test-key-0123456789";

  private static final String COMPLETION =
      """
      {"id":"cf79f7daaee244b1a0ae5c7b1444424a","object":"chat.completion",\
      "model":"mistral-small-latest","usage":{"prompt_tokens":24,"completion_tokens":27,\
      "total_tokens":51,"prompt_audio_seconds":{}},"created":1759500534,"choices":[{"index":0,\
      "message":{"content":"Claude Monet, savvy?","tool_calls":null,"prefix":false,\
      "role":"assistant"},"finish_reason":"stop"}]}""";

  private FakeOpenAiServer server;
  private RawHttpServer raw;

  @AfterEach
  void stopServers() throws Exception {
    if (server != null) {
      server.close();
    }
    if (raw != null) {
      raw.close();
    }
  }

  @Test
  void shouldPostChatCompletionWithBearerKeyAndMistralFieldNames() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    Provider provider = create(server.baseUrl());

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "mistral-small-latest",
                    List.of(
                        new ChatMessage("system", "Answer like a pirate."),
                        new ChatMessage("user", "Who is the best French painter?")),
                    0.3,
                    64,
                    Map.of("seed", "42", "top_p", "0.9"),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    JsonObject body = json(request.body());
    // Every field must exist in Mistral's schema, which has additionalProperties: false.
    assertEquals(
        Set.of("model", "messages", "temperature", "max_tokens", "top_p", "random_seed", "stream"),
        body.keySet());
    assertEquals("mistral-small-latest", body.getString("model"));
    assertEquals(42, body.getInt("random_seed"));
    assertEquals(64, body.getInt("max_tokens"));
    assertFalse(body.getBoolean("stream"));

    assertEquals("Claude Monet, savvy?", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(24, completion.promptTokens());
    assertEquals(27, completion.completionTokens());
    assertEquals(51, completion.totalTokens());
    assertEquals("cf79f7daaee244b1a0ae5c7b1444424a", completion.requestId());
    assertEquals("mistral", provider.type());
  }

  @Test
  void shouldSendToolsWithToolChoiceAnyAndReadToolCalls() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"id":"cmpl-e5cc70bb28c444948073e77776eb30ef","object":"chat.completion",\
                "created":1702256327,"model":"mistral-large-latest","choices":[{"index":0,\
                "message":{"role":"assistant","content":"","tool_calls":[{"id":"D681PevKs",\
                "type":"function","function":{"name":"retrieve_payment_status",\
                "arguments":"{\\"transaction_id\\": \\"T1001\\"}"},"index":0}]},\
                "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":118,\
                "completion_tokens":35,"total_tokens":153}}"""));
    Provider provider = create(server.baseUrl());

    Completion completion =
        provider
            .complete(
                request(
                    List.of(
                        new ToolSpec(
                            "retrieve_payment_status",
                            "Get payment status of a transaction",
                            "{\"type\":\"object\",\"properties\":{\"transaction_id\":"
                                + "{\"type\":\"string\"}},\"required\":[\"transaction_id\"]}")),
                    null,
                    null,
                    Map.of("tool_choice", "required"),
                    new ChatMessage("user", "What's the status of my transaction T1001?")))
            .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals("any", body.getString("tool_choice"), "Mistral's word for a required call");
    JsonObject function = body.getJsonArray("tools").getJsonObject(0).getJsonObject("function");
    assertEquals("function", body.getJsonArray("tools").getJsonObject(0).getString("type"));
    assertEquals("retrieve_payment_status", function.getString("name"));
    assertEquals("object", function.getJsonObject("parameters").getString("type"));

    assertEquals(
        List.of(
            new ToolCall(
                "D681PevKs", "retrieve_payment_status", "{\"transaction_id\": \"T1001\"}")),
        completion.toolCalls());
    assertEquals("tool_calls", completion.finishReason());
  }

  @Test
  void shouldReadToolCallArgumentsGivenAsObject() throws Exception {
    // Mistral's FunctionCall.arguments may be an object as well as JSON text.
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"id":"c1","object":"chat.completion","created":1,"model":"mistral-large-latest",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"","tool_calls":\
                [{"id":"a1","type":"function","function":{"name":"f","arguments":{"x":1}},\
                "index":0},{"id":"b2","type":"function","function":{"name":"g",\
                "arguments":"{}"},"index":0}]},"finish_reason":"tool_calls"}],\
                "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"""));
    Provider provider = create(server.baseUrl());

    Completion completion =
        provider
            .complete(
                request(
                    List.of(new ToolSpec("f", null, null), new ToolSpec("g", null, null)),
                    null,
                    null,
                    Map.of("tool_choice", "auto"),
                    new ChatMessage("user", "Call f and g")))
            .get(10, TimeUnit.SECONDS);

    assertEquals("auto", json(server.takeRequest().body()).getString("tool_choice"));
    // Both calls say index 0; their ids tell them apart.
    assertEquals(
        List.of(new ToolCall("a1", "f", "{\"x\":1}"), new ToolCall("b2", "g", "{}")),
        completion.toolCalls());
  }

  @Test
  void shouldSendJsonModeAndJsonSchemaResponseFormats() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    Provider provider = create(server.baseUrl());
    String schema =
        "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
            + "\"required\":[\"name\"],\"additionalProperties\":false}";

    provider
        .complete(request(null, ResponseFormat.jsonObject(), null, Map.of(), user("Book as JSON")))
        .get(10, TimeUnit.SECONDS);
    provider
        .complete(
            request(
                null,
                new ResponseFormat(ResponseFormat.JSON_SCHEMA, "book", schema),
                null,
                Map.of(),
                user("Book")))
        .get(10, TimeUnit.SECONDS);

    assertEquals(
        json("{\"type\":\"json_object\"}"),
        json(server.takeRequest().body()).getJsonObject("response_format"));
    assertEquals(
        json(
            "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"book\",\"schema\":"
                + schema
                + ",\"strict\":true}}"),
        json(server.takeRequest().body()).getJsonObject("response_format"));
  }

  @Test
  void shouldSendImageUrlAndInputAudioChunksAsStrings() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    Provider provider = create(server.baseUrl());

    provider
        .complete(
            request(
                null,
                null,
                null,
                Map.of(),
                new ChatMessage(
                    "user",
                    "What's in this image and this file?",
                    List.of(
                        ContentPart.image("image/jpeg", "/9j/4AAQ"),
                        new ContentPart(
                            ContentPart.IMAGE,
                            null,
                            null,
                            "https://docs.mistral.ai/img/eiffel-tower-paris.jpg"),
                        ContentPart.audio("audio/mpeg", "SUQzBAAAAA")))))
        .get(10, TimeUnit.SECONDS);

    JsonArray content =
        json(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("content");
    assertEquals(
        json("{\"type\":\"text\",\"text\":\"What's in this image and this file?\"}"),
        content.getJsonObject(0));
    assertEquals(
        json("{\"type\":\"image_url\",\"image_url\":\"data:image/jpeg;base64,/9j/4AAQ\"}"),
        content.getJsonObject(1));
    assertEquals(
        json(
            "{\"type\":\"image_url\","
                + "\"image_url\":\"https://docs.mistral.ai/img/eiffel-tower-paris.jpg\"}"),
        content.getJsonObject(2));
    assertEquals(
        json("{\"type\":\"input_audio\",\"input_audio\":\"SUQzBAAAAA\"}"),
        content.getJsonObject(3));
  }

  @Test
  void shouldRefuseLogprobsAsUnsupportedWithoutCallingMistral() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, 3, Map.of(), user("Capital of France?"))));

    assertEquals(Kind.UNSUPPORTED, e.kind());
    assertTrue(e.getMessage().contains("logprobs"), e.getMessage());
    assertTrue(server.received.isEmpty());
    assertFalse(provider.capabilities("mistral-small-latest").logprobs());
  }

  @Test
  void shouldStreamWithUsageOnLastChunkAndWithoutStreamOptions() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, null),
                chunk("{\"content\":\"384,400\"}", null, null),
                chunk(
                    "{\"content\":\" km\"}",
                    "stop",
                    "{\"prompt_tokens\":18,\"total_tokens\":26,\"completion_tokens\":8}"),
                "[DONE]"));
    Provider provider = create(server.baseUrl());

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "mistral-large-latest",
                    List.of(user("How far is the moon from earth?")),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    true,
                    null,
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertTrue(body.getBoolean("stream"));
    assertFalse(body.containsKey("stream_options"), "Mistral's schema has no stream_options");
    assertEquals("384,400 km", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals(18, completion.promptTokens());
    assertEquals(8, completion.completionTokens());
    assertEquals(26, completion.totalTokens());
    assertNotNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.timeToFirstTokenNanos() <= completion.latencyNanos());
  }

  @Test
  void shouldFailTruncatedStreamAsInvalidResponse() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null, null),
                chunk("{\"content\":\"384,\"}", null, null)));
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "mistral-large-latest",
                    List.of(user("How far is the moon?")),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    true,
                    null,
                    null,
                    null)));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().startsWith("mistral stream ended after 2 event(s)"), e.getMessage());
  }

  @Test
  void shouldKeepOnlyTextChunksOfListContent() throws Exception {
    // Reasoning models answer content as a list of chunks, thinking before text.
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"id":"r1","object":"chat.completion","created":1,"model":"magistral-medium-latest",\
                "choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"thinking",\
                "thinking":[{"type":"text","text":"2 plus 2..."}]},{"type":"text",\
                "text":"The answer is 4."}],"tool_calls":null,"prefix":false},\
                "finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":20,\
                "total_tokens":30}}"""));
    Provider provider = create(server.baseUrl());

    Completion completion =
        provider
            .complete(request(null, null, null, Map.of(), user("2+2?")))
            .get(10, TimeUnit.SECONDS);

    assertEquals("The answer is 4.", completion.text());
  }

  @Test
  void shouldEmbedWithMistralEmbedByDefault() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"id":"e1","object":"list","data":[{"embedding":[-0.016632080078125,\
                0.0701904296875],"index":0,"object":"embedding"},{"embedding":\
                [-0.0230560302734375,0.039337158203125],"index":1,"object":"embedding"}],\
                "model":"mistral-embed","usage":{"prompt_tokens":15,"completion_tokens":0,\
                "total_tokens":15,"prompt_audio_seconds":null}}"""));
    Provider provider = create(server.baseUrl());

    EmbeddingResult result =
        provider
            .embed(
                new EmbeddingRequest(
                    null, List.of("Embed this sentence.", "As well as this one."), null))
            .get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("/v1/embeddings", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals(
        json(
            "{\"model\":\"mistral-embed\","
                + "\"input\":[\"Embed this sentence.\",\"As well as this one.\"]}"),
        json(request.body()));
    assertArrayEquals(new float[] {-0.016632080078125f, 0.0701904296875f}, result.vectors().get(0));
    assertArrayEquals(
        new float[] {-0.0230560302734375f, 0.039337158203125f}, result.vectors().get(1));
    assertEquals(15, result.promptTokens());
  }

  @Test
  void shouldListModelsWithDescriptionAndContextLength() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"object":"list","data":[{"id":"mistral-small-latest","object":"model",\
                "created":1711430400,"owned_by":"mistralai","capabilities":{"completion_chat":true,\
                "function_calling":true,"vision":true},"name":"mistral-small-2506",\
                "description":"Our latest enterprise-grade small model.",\
                "max_context_length":131072,"aliases":["mistral-small-2506"],"deprecation":null,\
                "default_model_temperature":0.3,"type":"base"},{"id":"mistral-embed",\
                "object":"model","created":1711430400,"owned_by":"mistralai","capabilities":\
                {"completion_chat":false},"max_context_length":8192,"type":"base"}]}"""));
    Provider provider = create(server.baseUrl());

    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("GET", request.method());
    assertEquals("/v1/models", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals(
        List.of(
            new ModelInfo(
                "mistral-small-latest", "Our latest enterprise-grade small model.", 131072),
            new ModelInfo("mistral-embed", null, 8192)),
        models);
  }

  @Test
  void shouldReportUnauthorizedWithMistralMessage() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                401, "{\"message\":\"Unauthorized\",\"request_id\":\"4c2c9cb1d7f35c8e\"}"));
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, null, Map.of(), user("Hi"))));

    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertEquals("mistral returned HTTP 401: Unauthorized", e.getMessage());
  }

  @Test
  void shouldReportValidationErrorDetails() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                422,
                """
                {"detail":[{"loc":["body","temperature"],"msg":"Input should be less than or equal \
                to 1.5","type":"less_than_equal","input":3.0,"ctx":{"le":1.5}}]}"""));
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, null, Map.of(), user("Hi"))));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals(
        "mistral returned HTTP 422: body.temperature: Input should be less than or equal to 1.5",
        e.getMessage());
  }

  @Test
  void shouldReportRateLimitWithRetryAfter() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              exchange.getResponseHeaders().set("Retry-After", "3");
              FakeOpenAiServer.respond(
                  exchange,
                  429,
                  "{\"object\":\"error\",\"message\":\"Rate limit exceeded\",\"type\":\"rate_limited\","
                      + "\"param\":null,\"code\":\"1300\"}");
            });
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, null, Map.of(), user("Hi"))));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(3000L, e.retryAfterMillis());
    assertEquals("mistral returned HTTP 429: Rate limit exceeded", e.getMessage());
  }

  @Test
  void shouldTreatCapacityExceededAsServerErrorNotRateLimit() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                429,
                "{\"object\":\"error\",\"message\":\"Service tier capacity exceeded for this model.\","
                    + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}"));
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, null, Map.of(), user("Hi"))));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertEquals(429, e.httpStatus());
    assertTrue(e.retryable());
  }

  @Test
  void shouldReportServiceUnavailableAsServerError() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                503,
                "{\"object\":\"error\",\"message\":\"Service unavailable.\",\"type\":\"server_error\","
                    + "\"param\":null,\"code\":null}"));
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, null, Map.of(), user("Hi"))));

    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertEquals("mistral returned HTTP 503: Service unavailable.", e.getMessage());
  }

  @Test
  void shouldTimeOutQuicklyWhenMistralNeverAnswers() throws Exception {
    server = new FakeOpenAiServer(exchange -> server.awaitClose());
    Provider provider = create(server.baseUrl());

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "mistral-small-latest",
                    List.of(user("Hi")),
                    null,
                    null,
                    null,
                    Duration.ofMillis(300))));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000);
  }

  @Test
  void shouldReportInvalidResponseForMalformedJson() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, "{\"id\":\"x\",\"choices\":"));
    Provider provider = create(server.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, null, Map.of(), user("Hi"))));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
  }

  @Test
  void shouldReportNetworkErrorWhenConnectionIsReset() throws Exception {
    raw = new RawHttpServer(RawHttpServer::reset);
    Provider provider = create(raw.baseUrl());

    ProviderException e =
        failure(provider.complete(request(null, null, null, Map.of(), user("Hi"))));

    assertEquals(Kind.NETWORK, e.kind(), e.getMessage());
  }

  @Test
  void shouldJudgeCapabilitiesByModelFamily() {
    Provider provider = create(URI.create("http://127.0.0.1:1/v1"));

    Capabilities small = provider.capabilities("mistral-small-latest");
    Capabilities codestral = provider.capabilities("codestral-latest");
    Capabilities embed = provider.capabilities("mistral-embed");
    Capabilities voxtral = provider.capabilities("voxtral-small-latest");

    assertTrue(small.vision() && small.functionCalling() && small.jsonMode() && small.streaming());
    assertFalse(codestral.vision());
    assertTrue(codestral.functionCalling());
    assertTrue(embed.embeddings());
    assertFalse(embed.streaming());
    assertTrue(voxtral.audio());
    assertNull(provider.apiVersion());
  }

  @Test
  void shouldDescribeFactory() {
    var factory = new MistralProviderFactory();

    assertEquals("mistral", factory.adapter());
    assertEquals(URI.create("https://api.mistral.ai/v1"), factory.defaultBaseUrl());
    assertEquals("MISTRAL_API_KEY", factory.apiKeyEnv());
    assertTrue(factory.defaultModels().contains("mistral-small-latest"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            factory.create(
                new ProviderConfig(
                    "m", "mistral", URI.create("ftp://x"), KEY, null, null, Map.of())));
  }

  private static String chunk(String delta, String finishReason, String usage) {
    return """
        {"id":"6a3a7a4ed1e1456d8a6ad8b6a7e5f0c1","object":"chat.completion.chunk",\
        "created":1759500534,"model":"mistral-large-latest","choices":[{"index":0,\
        "delta":%s,"finish_reason":%s}]%s}"""
        .formatted(
            delta,
            finishReason == null ? "null" : "\"" + finishReason + "\"",
            usage == null ? "" : ",\"usage\":" + usage);
  }

  private static Provider create(URI baseUrl) {
    return new MistralProviderFactory()
        .create(
            new ProviderConfig(
                "mistral",
                "mistral",
                baseUrl,
                KEY,
                List.of("mistral-small-latest"),
                Duration.ofSeconds(5),
                Map.of()));
  }

  private static ChatMessage user(String text) {
    return new ChatMessage("user", text);
  }

  private static CompletionRequest request(
      List<ToolSpec> tools,
      ResponseFormat format,
      Integer topLogprobs,
      Map<String, String> options,
      ChatMessage message) {
    return new CompletionRequest(
        null,
        List.of(message),
        null,
        null,
        options,
        Duration.ofSeconds(5),
        false,
        tools,
        format,
        topLogprobs);
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
