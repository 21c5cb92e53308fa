package dev.llmtestbench.provider.openai;

import static dev.llmtestbench.provider.openai.OpenAiStreamingTest.failure;
import static dev.llmtestbench.provider.openai.OpenAiStreamingTest.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tools, response formats, log probabilities, image and audio parts, cached tokens, the output
 * token field, embeddings and the model listing, against OpenAI's documented wire format.
 *
 * <p>References: https://platform.openai.com/docs/api-reference/chat/create (tools, tool_choice,
 * response_format, logprobs/top_logprobs, max_completion_tokens, seed, content parts image_url and
 * input_audio), https://platform.openai.com/docs/api-reference/chat/object (message.tool_calls,
 * choices[].logprobs.content, usage.prompt_tokens_details.cached_tokens),
 * https://platform.openai.com/docs/guides/structured-outputs,
 * https://platform.openai.com/docs/api-reference/embeddings/create,
 * https://platform.openai.com/docs/api-reference/models/list.
 */
class OpenAiFeaturesTest {

  private static final String KEY = "sk-test-0123456789abcdef";

  private FakeOpenAiServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static String completion(String message, String finishReason, String extra) {
    return """
        {"id":"chatcmpl-AbC","object":"chat.completion","created":1741569952,\
        "model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":%s,"logprobs":%s,\
        "finish_reason":"%s"}],"usage":{"prompt_tokens":1150,"completion_tokens":20,\
        "total_tokens":1170,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},\
        "completion_tokens_details":{"reasoning_tokens":0}},"system_fingerprint":"fp_1"}"""
        .formatted(message, extra == null ? "null" : extra, finishReason);
  }

  @Test
  void shouldSendToolsAndReturnToolCalls() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                completion(
                    """
                    {"role":"assistant","content":null,"tool_calls":[{"id":"call_12345xyz",\
                    "type":"function","function":{"name":"get_weather",\
                    "arguments":"{\\"location\\":\\"Paris, France\\"}"}}],"refusal":null}""",
                    "tool_calls",
                    null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider
            .complete(
                request(
                    "gpt-4o",
                    new ChatMessage("user", "Weather in Paris?"),
                    List.of(
                        new ToolSpec(
                            "get_weather",
                            "Get the current weather",
                            "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
                                + "\"required\":[\"location\"]}")),
                    null,
                    null,
                    Map.of("tool_choice", "required")))
            .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    JsonObject tool = body.getJsonArray("tools").getJsonObject(0);
    assertEquals("function", tool.getString("type"));
    JsonObject function = tool.getJsonObject("function");
    assertEquals("get_weather", function.getString("name"));
    assertEquals("Get the current weather", function.getString("description"));
    assertEquals("object", function.getJsonObject("parameters").getString("type"));
    assertEquals(
        "location", function.getJsonObject("parameters").getJsonArray("required").getString(0));
    assertEquals("required", body.getString("tool_choice"));

    assertEquals(
        List.of(new ToolCall("call_12345xyz", "get_weather", "{\"location\":\"Paris, France\"}")),
        completion.toolCalls());
    assertEquals("tool_calls", completion.finishReason());
    assertEquals("", completion.text());
  }

  @Test
  void shouldForceNamedFunctionWhenToolChoiceNamesOne() throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("ok"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    provider
        .complete(
            request(
                "gpt-4o",
                new ChatMessage("user", "Hi"),
                List.of(new ToolSpec("get_weather", null, null)),
                null,
                null,
                Map.of("tool_choice", "get_weather")))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals(
        "get_weather",
        body.getJsonObject("tool_choice").getJsonObject("function").getString("name"));
    assertEquals("function", body.getJsonObject("tool_choice").getString("type"));
    // A tool without description or schema still sends an object schema, as the API requires.
    JsonObject function = body.getJsonArray("tools").getJsonObject(0).getJsonObject("function");
    assertFalse(function.containsKey("description"));
    assertEquals("object", function.getJsonObject("parameters").getString("type"));
  }

  @Test
  void shouldSendJsonModeResponseFormat() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200, completion(text("{\\\"capital\\\":\\\"Paris\\\"}"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider
            .complete(
                request(
                    "gpt-4o",
                    new ChatMessage("user", "Capital of France as JSON"),
                    null,
                    ResponseFormat.jsonObject(),
                    null,
                    Map.of()))
            .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals(json("{\"type\":\"json_object\"}"), body.getJsonObject("response_format"));
    assertEquals("{\"capital\":\"Paris\"}", completion.text());
  }

  @Test
  void shouldSendStrictJsonSchemaResponseFormat() throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("{}"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"capital\":{\"type\":\"string\"}},"
            + "\"required\":[\"capital\"],\"additionalProperties\":false}";

    provider
        .complete(
            request(
                "gpt-4o",
                new ChatMessage("user", "Capital of France"),
                null,
                new ResponseFormat(ResponseFormat.JSON_SCHEMA, "capital_answer", schema),
                null,
                Map.of()))
        .get(10, TimeUnit.SECONDS);

    JsonObject format = json(server.takeRequest().body()).getJsonObject("response_format");
    assertEquals("json_schema", format.getString("type"));
    JsonObject jsonSchema = format.getJsonObject("json_schema");
    assertEquals("capital_answer", jsonSchema.getString("name"));
    assertTrue(jsonSchema.getBoolean("strict"));
    assertEquals(json(schema), jsonSchema.getJsonObject("schema"));
  }

  @Test
  void shouldRejectSchemaThatIsNotJsonObjectBeforeSending() throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("{}"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    ProviderException e =
        failure(
            provider.complete(
                request(
                    "gpt-4o",
                    new ChatMessage("user", "Hi"),
                    null,
                    new ResponseFormat(ResponseFormat.JSON_SCHEMA, null, "[\"not\", \"a schema\"]"),
                    null,
                    Map.of())));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldRequestAndReturnLogprobs() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                completion(
                    text("Paris."),
                    "stop",
                    """
                    {"content":[{"token":"Paris","logprob":-0.0009,"bytes":[80,97,114,105,115],\
                    "top_logprobs":[{"token":"Paris","logprob":-0.0009,"bytes":[80]},\
                    {"token":"The","logprob":-7.2,"bytes":[84]}]},{"token":".","logprob":-0.25,\
                    "bytes":[46],"top_logprobs":[]}],"refusal":null}""")));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider
            .complete(
                request("gpt-4o", new ChatMessage("user", "Capital?"), null, null, 2, Map.of()))
            .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertTrue(body.getBoolean("logprobs"));
    assertEquals(2, body.getInt("top_logprobs"));
    assertEquals(
        List.of(new TokenLogprob("Paris", -0.0009), new TokenLogprob(".", -0.25)),
        completion.logprobs());
  }

  @Test
  void shouldSendLogprobsWithoutTopLogprobsWhenZeroAlternativesAsked() throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("ok"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    provider
        .complete(request("gpt-4o", new ChatMessage("user", "Hi"), null, null, 0, Map.of()))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertTrue(body.getBoolean("logprobs"));
    assertFalse(body.containsKey("top_logprobs"));
  }

  @Test
  void shouldSendImagePartsAsImageUrlContent() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(200, completion(text("A cat."), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    provider
        .complete(
            request(
                "gpt-4o",
                new ChatMessage(
                    "user",
                    "What is in these images?",
                    List.of(
                        ContentPart.image("image/png", "iVBORw0KGgo="),
                        new ContentPart(
                            ContentPart.IMAGE, null, null, "https://example.com/cat.jpg"))),
                null,
                null,
                null,
                Map.of()))
        .get(10, TimeUnit.SECONDS);

    JsonArray content =
        json(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("content");
    assertEquals(3, content.size());
    assertEquals(
        json("{\"type\":\"text\",\"text\":\"What is in these images?\"}"),
        content.getJsonObject(0));
    assertEquals(
        json(
            "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}"),
        content.getJsonObject(1));
    assertEquals(
        json("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\"}}"),
        content.getJsonObject(2));
  }

  @Test
  void shouldSendAudioPartsAsInputAudio() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(200, completion(text("Hello."), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    provider
        .complete(
            request(
                "gpt-4o-audio-preview",
                new ChatMessage(
                    "user",
                    "Transcribe this.",
                    List.of(
                        ContentPart.audio("audio/wav", "UklGRg=="),
                        ContentPart.audio("audio/mpeg", "SUQz"))),
                null,
                null,
                null,
                Map.of()))
        .get(10, TimeUnit.SECONDS);

    JsonArray content =
        json(server.takeRequest().body())
            .getJsonArray("messages")
            .getJsonObject(0)
            .getJsonArray("content");
    assertEquals(
        json(
            "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}"),
        content.getJsonObject(1));
    assertEquals("mp3", content.getJsonObject(2).getJsonObject("input_audio").getString("format"));
  }

  @Test
  void shouldRejectAudioFormatsOpenAiDoesNotTakeWithoutSending() throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("x"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    ProviderException ogg =
        failure(
            provider.complete(
                request(
                    "gpt-4o-audio-preview",
                    new ChatMessage(
                        "user", "Hi", List.of(ContentPart.audio("audio/ogg", "T2dnUw=="))),
                    null,
                    null,
                    null,
                    Map.of())));
    ProviderException byUrl =
        failure(
            provider.complete(
                request(
                    "gpt-4o-audio-preview",
                    new ChatMessage(
                        "user",
                        "Hi",
                        List.of(
                            new ContentPart(
                                ContentPart.AUDIO, "audio/wav", null, "https://x/a.wav"))),
                    null,
                    null,
                    null,
                    Map.of())));

    assertEquals(Kind.UNSUPPORTED, ogg.kind());
    assertTrue(ogg.getMessage().contains("audio/ogg"), ogg.getMessage());
    assertEquals(Kind.UNSUPPORTED, byUrl.kind());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldReportCachedPromptTokens() throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("ok"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider
            .complete(request("gpt-4o", new ChatMessage("user", "Hi"), null, null, null, Map.of()))
            .get(10, TimeUnit.SECONDS);

    assertEquals(1024, completion.cachedPromptTokens());
    assertEquals(1150, completion.promptTokens());
  }

  @Test
  void shouldMarkContentFilteredAnswerAsBlocked() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(200, completion(text(""), "content_filter", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    Completion completion =
        provider
            .complete(request("gpt-4o", new ChatMessage("user", "Hi"), null, null, null, Map.of()))
            .get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals("content_filter", completion.finishReason());
  }

  @ParameterizedTest
  @CsvSource({
    "o3-mini, , max_completion_tokens",
    "o1, , max_completion_tokens",
    "o4-mini, , max_completion_tokens",
    "gpt-5-mini, , max_completion_tokens",
    "gpt-4o-mini, , max_tokens",
    "gpt-4o-mini, max_completion_tokens, max_completion_tokens",
    "o3-mini, max_tokens, max_tokens"
  })
  void shouldChooseOutputTokenFieldByModelUnlessConfigured(
      String model, String setting, String field) throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("ok"), "stop", null)));
    Map<String, String> settings = setting == null ? Map.of() : Map.of("max-tokens-field", setting);
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), settings));

    provider
        .complete(
            new CompletionRequest(
                model,
                List.of(new ChatMessage("user", "Hi")),
                null,
                50,
                null,
                Duration.ofSeconds(5)))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals(50, body.getInt(field));
    assertFalse(
        body.containsKey(field.equals("max_tokens") ? "max_completion_tokens" : "max_tokens"));
  }

  @Test
  void shouldRejectUnknownMaxTokensFieldSetting() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new OpenAiCompatibleProvider(
                config(
                    URI.create("http://127.0.0.1:1/v1"), Map.of("max-tokens-field", "max_len"))));
  }

  @Test
  void shouldSendSeedAndTopPFromOptions() throws Exception {
    server =
        new FakeOpenAiServer(FakeOpenAiServer.answering(200, completion(text("ok"), "stop", null)));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    provider
        .complete(
            request(
                "gpt-4o",
                new ChatMessage("user", "Hi"),
                null,
                null,
                null,
                Map.of("seed", "42", "top_p", "0.9", "unrelated", "x")))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    assertEquals(42, body.getInt("seed"));
    assertEquals(0.9, body.getJsonNumber("top_p").doubleValue());
    assertFalse(body.containsKey("unrelated"));
    assertEquals(
        Kind.BAD_REQUEST,
        failure(
                provider.complete(
                    request(
                        "gpt-4o",
                        new ChatMessage("user", "Hi"),
                        null,
                        null,
                        null,
                        Map.of("seed", "x"))))
            .kind());
  }

  @Test
  void shouldEmbedInInputOrderEvenWhenDataArrivesOutOfOrder() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,-0.25]},\
                {"object":"embedding","index":0,"embedding":[0.0023064255,-0.009327292]}],\
                "model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}"""));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    EmbeddingResult result =
        provider
            .embed(new EmbeddingRequest(null, List.of("first text", "second text"), null))
            .get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1/embeddings", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals(
        json("{\"model\":\"text-embedding-3-small\",\"input\":[\"first text\",\"second text\"]}"),
        json(request.body()));
    assertArrayEquals(new float[] {0.0023064255f, -0.009327292f}, result.vectors().get(0));
    assertArrayEquals(new float[] {0.5f, -0.25f}, result.vectors().get(1));
    assertEquals(8, result.promptTokens());
    assertEquals("text-embedding-3-small", result.modelVersion());
    assertTrue(result.latencyNanos() > 0);
  }

  @Test
  void shouldReportInvalidResponseWhenEmbeddingCountDiffers() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[1]}]}"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                provider
                    .embed(new EmbeddingRequest("text-embedding-3-small", List.of("a", "b"), null))
                    .get(10, TimeUnit.SECONDS));

    assertEquals(
        Kind.INVALID_RESPONSE, assertInstanceOf(ProviderException.class, e.getCause()).kind());
  }

  @Test
  void shouldListModelsFromModelsEndpoint() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,\
                "owned_by":"system"},{"id":"text-embedding-3-small","object":"model",\
                "created":1705948997,"owned_by":"system"}]}"""));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);
    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("GET", request.method());
    assertEquals("/v1/models", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals(
        List.of(ModelInfo.of("gpt-4o-mini"), ModelInfo.of("text-embedding-3-small")), models);
    assertTrue(health.up());
    assertEquals("2 model(s)", health.message());
  }

  @Test
  void shouldReportHealthDownWithProviderMessage() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                401,
                "{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\","
                    + "\"param\":null,\"code\":\"invalid_api_key\"}}"));
    var provider = new OpenAiCompatibleProvider(config(server.baseUrl(), Map.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    assertFalse(health.up());
    assertEquals("openai returned HTTP 401: Incorrect API key provided.", health.message());
  }

  @Test
  void shouldJudgeCapabilitiesByModelName() {
    var provider =
        new OpenAiCompatibleProvider(config(URI.create("http://127.0.0.1:1/v1"), Map.of()));

    Capabilities gpt4o = provider.capabilities("gpt-4o-mini");
    Capabilities o3 = provider.capabilities("o3-mini");
    Capabilities embedding = provider.capabilities("text-embedding-3-large");
    Capabilities unknown = provider.capabilities("llama-3.1-8b-instruct");

    assertTrue(gpt4o.vision() && gpt4o.functionCalling() && gpt4o.jsonMode() && gpt4o.logprobs());
    assertTrue(o3.vision() && o3.functionCalling() && o3.jsonMode());
    assertFalse(o3.logprobs());
    assertTrue(embedding.embeddings());
    assertFalse(embedding.streaming());
    assertEquals(List.of("streaming", "function_calling", "json_mode"), unknown.names());
    assertNull(provider.apiVersion());
    assertEquals("openai", provider.type());
  }

  private static String text(String content) {
    return "{\"role\":\"assistant\",\"content\":\"" + content + "\",\"refusal\":null}";
  }

  private static ProviderConfig config(URI baseUrl, Map<String, String> settings) {
    return new ProviderConfig(
        "openai",
        "openai",
        baseUrl,
        KEY,
        List.of("gpt-4o"),
        Duration.ofSeconds(5),
        Map.of(),
        settings);
  }

  private static CompletionRequest request(
      String model,
      ChatMessage message,
      List<ToolSpec> tools,
      ResponseFormat format,
      Integer topLogprobs,
      Map<String, String> options) {
    return new CompletionRequest(
        model,
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
}
