package dev.llmtestbench.provider.gemini;

import static dev.llmtestbench.provider.gemini.GeminiTestSupport.KEY;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.config;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.failure;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.json;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.provider;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.request;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * generateContent against a local server speaking the Gemini API as its reference defines it.
 *
 * <p>References: https://ai.google.dev/api/generate-content (request: contents, systemInstruction,
 * generationConfig, tools; response: candidates, finishReason, usageMetadata, promptFeedback,
 * logprobsResult, modelVersion, responseId), https://ai.google.dev/api/caching#Content (Part: text,
 * inlineData, fileData, functionCall), https://ai.google.dev/gemini-api/docs/safety-settings and
 * the Safety REST quickstart
 * https://github.com/google-gemini/cookbook/blob/main/quickstarts/rest/Safety_REST.ipynb (a blocked
 * prompt has promptFeedback.blockReason and no candidates).
 */
class GeminiProviderTest {

  // A gemini-2.5-flash answer: two text parts, thinking tokens counted apart from the answer's.
  static final String ANSWER =
      """
      {
        "candidates": [
          {
            "content": {
              "parts": [{"text": "The capital of France"}, {"text": " is Paris."}],
              "role": "model"
            },
            "finishReason": "STOP",
            "index": 0
          }
        ],
        "usageMetadata": {
          "promptTokenCount": 9,
          "candidatesTokenCount": 8,
          "totalTokenCount": 52,
          "cachedContentTokenCount": 4,
          "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 9}],
          "thoughtsTokenCount": 35
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": "qzLFaI2RJ6ubz7IPmP6luQo"
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
  void shouldPostGenerateContentWithKeyInHeaderAndParseAnswer() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));
    // A trailing slash on the base URL is common in configs and must not produce "//v1beta".
    var provider = provider(URI.create(server.baseUrl() + "/"));

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "gemini-2.5-flash",
                    List.of(
                        new ChatMessage("system", "Answer in one sentence."),
                        new ChatMessage("user", "Capital of France?"),
                        new ChatMessage("assistant", "Do you mean today?"),
                        new ChatMessage("user", "Yes.")),
                    0.2,
                    64,
                    Map.of(),
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeGeminiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", request.path());
    // The key travels only in the header, never in the URL.
    assertNull(request.query());
    assertEquals(KEY, request.headers().getFirst("x-goog-api-key"));
    assertNull(request.headers().getFirst("Authorization"));
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    JsonObject body = json(request.body());
    assertEquals(
        Set.of("contents", "systemInstruction", "generationConfig"), body.keySet(), request.body());
    assertEquals(
        "Answer in one sentence.",
        body.getJsonObject("systemInstruction")
            .getJsonArray("parts")
            .getJsonObject(0)
            .getString("text"));
    JsonArray contents = body.getJsonArray("contents");
    assertEquals(3, contents.size());
    assertEquals("user", contents.getJsonObject(0).getString("role"));
    assertEquals(
        "Capital of France?",
        contents.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("text"));
    assertEquals("model", contents.getJsonObject(1).getString("role"));
    assertEquals("user", contents.getJsonObject(2).getString("role"));
    JsonObject config = body.getJsonObject("generationConfig");
    assertEquals(Set.of("temperature", "maxOutputTokens"), config.keySet());
    assertEquals(0.2, config.getJsonNumber("temperature").doubleValue());
    assertEquals(64, config.getInt("maxOutputTokens"));

    assertEquals("The capital of France is Paris.", completion.text());
    assertEquals("STOP", completion.finishReason());
    assertEquals(9, completion.promptTokens());
    // Thinking tokens are output tokens: 8 answer + 35 thoughts.
    assertEquals(43, completion.completionTokens());
    assertEquals(52, completion.totalTokens());
    assertEquals(4, completion.cachedPromptTokens());
    assertEquals("gemini-2.5-flash", completion.modelVersion());
    assertEquals("qzLFaI2RJ6ubz7IPmP6luQo", completion.requestId());
    assertNull(completion.timeToFirstTokenNanos());
    assertFalse(completion.blocked());
    assertFalse(completion.tokensEstimated());
    assertTrue(completion.latencyNanos() > 0);
  }

  @Test
  void shouldSendOnlyContentsAndUseFirstConfiguredModelWhenNothingElseIsSet() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));

    provider(server.baseUrl()).complete(request(null, "Hi")).get(10, TimeUnit.SECONDS);

    FakeGeminiServer.Received request = server.takeRequest();
    assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", request.path());
    JsonObject body = json(request.body());
    assertEquals(Set.of("contents"), body.keySet());
  }

  @Test
  void shouldMergeConsecutiveTurnsOfOneRoleBecauseGeminiWantsThemAlternating() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));

    provider(server.baseUrl())
        .complete(
            new CompletionRequest(
                "gemini-2.5-flash",
                List.of(new ChatMessage("user", "First."), new ChatMessage("user", "Second.")),
                null,
                null,
                null,
                null))
        .get(10, TimeUnit.SECONDS);

    JsonArray contents = json(server.takeRequest().body()).getJsonArray("contents");
    assertEquals(1, contents.size());
    JsonArray parts = contents.getJsonObject(0).getJsonArray("parts");
    assertEquals("First.", parts.getJsonObject(0).getString("text"));
    assertEquals("Second.", parts.getJsonObject(1).getString("text"));
  }

  @Test
  void shouldUseConfiguredApiVersionAndReportIt() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));
    var provider = new GeminiProvider(config(server.baseUrl(), Map.of("api-version", "v1")));

    provider.complete(request("gemini-2.5-pro", "Hi")).get(10, TimeUnit.SECONDS);

    assertEquals("/v1/models/gemini-2.5-pro:generateContent", server.takeRequest().path());
    assertEquals("v1", provider.apiVersion());
    assertEquals("v1beta", provider(server.baseUrl()).apiVersion());
  }

  @Test
  void shouldSendImageAndAudioInlineAndUrlPartsAsFileData() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));

    provider(server.baseUrl())
        .complete(
            new CompletionRequest(
                "gemini-2.5-flash",
                List.of(
                    new ChatMessage(
                        "user",
                        "What is shown and said?",
                        List.of(
                            ContentPart.image("image/png", "iVBORw0KGgo="),
                            ContentPart.audio("audio/wav", "UklGRiQAAABXQVZF"),
                            new ContentPart(
                                ContentPart.IMAGE,
                                "image/jpeg",
                                null,
                                "https://generativelanguage.googleapis.com/v1beta/files/abc")))),
                null,
                null,
                null,
                null))
        .get(10, TimeUnit.SECONDS);

    JsonArray parts =
        json(server.takeRequest().body())
            .getJsonArray("contents")
            .getJsonObject(0)
            .getJsonArray("parts");
    assertEquals(4, parts.size());
    assertEquals("What is shown and said?", parts.getJsonObject(0).getString("text"));
    JsonObject image = parts.getJsonObject(1).getJsonObject("inlineData");
    assertEquals("image/png", image.getString("mimeType"));
    assertEquals("iVBORw0KGgo=", image.getString("data"));
    JsonObject audio = parts.getJsonObject(2).getJsonObject("inlineData");
    assertEquals("audio/wav", audio.getString("mimeType"));
    assertEquals("UklGRiQAAABXQVZF", audio.getString("data"));
    JsonObject file = parts.getJsonObject(3).getJsonObject("fileData");
    assertEquals("image/jpeg", file.getString("mimeType"));
    assertEquals(
        "https://generativelanguage.googleapis.com/v1beta/files/abc", file.getString("fileUri"));
  }

  @Test
  void shouldDeclareToolsAsFunctionDeclarationsAndReturnFunctionCalls() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200,
                """
                {
                  "candidates": [{
                    "content": {
                      "parts": [{"functionCall": {"name": "get_weather",
                                                  "args": {"city": "Paris", "unit": "celsius"}}}],
                      "role": "model"
                    },
                    "finishReason": "STOP",
                    "index": 0
                  }],
                  "usageMetadata": {"promptTokenCount": 41, "candidatesTokenCount": 18,
                                    "totalTokenCount": 59},
                  "modelVersion": "gemini-2.5-flash",
                  "responseId": "fc-1"
                }
                """));
    String schema =
        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"],\"additionalProperties\":false}";

    Completion completion =
        provider(server.baseUrl())
            .complete(
                new CompletionRequest(
                    "gemini-2.5-flash",
                    List.of(new ChatMessage("user", "Weather in Paris?")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of(new ToolSpec("get_weather", "Current weather for a city.", schema)),
                    null,
                    null))
            .get(10, TimeUnit.SECONDS);

    JsonArray tools = json(server.takeRequest().body()).getJsonArray("tools");
    assertEquals(1, tools.size());
    JsonObject declaration =
        tools.getJsonObject(0).getJsonArray("functionDeclarations").getJsonObject(0);
    assertEquals("get_weather", declaration.getString("name"));
    assertEquals("Current weather for a city.", declaration.getString("description"));
    // Full JSON Schema (additionalProperties included) goes in parametersJsonSchema.
    assertEquals(json(schema), declaration.getJsonObject("parametersJsonSchema"));
    assertFalse(declaration.containsKey("parameters"));

    assertEquals("", completion.text());
    assertEquals(1, completion.toolCalls().size());
    ToolCall call = completion.toolCalls().get(0);
    assertNull(call.id());
    assertEquals("get_weather", call.name());
    assertEquals(json("{\"city\":\"Paris\",\"unit\":\"celsius\"}"), json(call.arguments()));
  }

  @Test
  void shouldAskForJsonMimeTypeForJsonObjectAndJsonSchemaForJsonSchema() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));
    var provider = provider(server.baseUrl());
    String schema = "{\"type\":\"object\",\"properties\":{\"capital\":{\"type\":\"string\"}}}";

    provider.complete(withFormat(ResponseFormat.jsonObject())).get(10, TimeUnit.SECONDS);
    provider
        .complete(withFormat(new ResponseFormat(ResponseFormat.JSON_SCHEMA, "capital", schema)))
        .get(10, TimeUnit.SECONDS);

    JsonObject jsonObject = json(server.takeRequest().body()).getJsonObject("generationConfig");
    assertEquals(Set.of("responseMimeType"), jsonObject.keySet());
    assertEquals("application/json", jsonObject.getString("responseMimeType"));
    JsonObject jsonSchema = json(server.takeRequest().body()).getJsonObject("generationConfig");
    assertEquals(Set.of("responseMimeType", "responseJsonSchema"), jsonSchema.keySet());
    assertEquals(json(schema), jsonSchema.getJsonObject("responseJsonSchema"));
  }

  @Test
  void shouldUseOpenApiSchemaFieldsWhenConfigured() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));
    var provider = new GeminiProvider(config(server.baseUrl(), Map.of("schema-fields", "openapi")));
    String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";

    provider
        .complete(
            new CompletionRequest(
                "gemini-2.5-flash",
                List.of(new ChatMessage("user", "Hi")),
                null,
                null,
                null,
                null,
                false,
                List.of(new ToolSpec("lookup", null, schema)),
                new ResponseFormat(ResponseFormat.JSON_SCHEMA, "x", schema),
                null))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = json(server.takeRequest().body());
    JsonObject declaration =
        body.getJsonArray("tools")
            .getJsonObject(0)
            .getJsonArray("functionDeclarations")
            .getJsonObject(0);
    assertEquals(Set.of("name", "parameters"), declaration.keySet());
    assertEquals(json(schema), declaration.getJsonObject("parameters"));
    assertEquals(
        json(schema), body.getJsonObject("generationConfig").getJsonObject("responseSchema"));
  }

  @Test
  void shouldRequestLogprobsAndReturnChosenTokens() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200,
                """
                {
                  "candidates": [{
                    "content": {"parts": [{"text": "Paris."}], "role": "model"},
                    "finishReason": "STOP",
                    "avgLogprobs": -0.005,
                    "logprobsResult": {
                      "topCandidates": [
                        {"candidates": [{"token": "Paris", "logProbability": -0.01},
                                        {"token": "paris", "logProbability": -4.7}]},
                        {"candidates": [{"token": "."}]}
                      ],
                      "chosenCandidates": [
                        {"token": "Paris", "logProbability": -0.01},
                        {"token": "."}
                      ]
                    },
                    "index": 0
                  }],
                  "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 2,
                                    "totalTokenCount": 7},
                  "modelVersion": "gemini-2.0-flash",
                  "responseId": "lp-1"
                }
                """));

    Completion completion =
        provider(server.baseUrl())
            .complete(
                new CompletionRequest(
                    "gemini-2.0-flash",
                    List.of(new ChatMessage("user", "Capital of France?")),
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    2))
            .get(10, TimeUnit.SECONDS);

    JsonObject config = json(server.takeRequest().body()).getJsonObject("generationConfig");
    assertTrue(config.getBoolean("responseLogprobs"));
    assertEquals(2, config.getInt("logprobs"));
    // proto3 JSON leaves out a zero logProbability, so "." (certain) reads as 0.0.
    assertEquals(
        List.of(new TokenLogprob("Paris", -0.01), new TokenLogprob(".", 0.0)),
        completion.logprobs());
  }

  @Test
  void shouldAskOnlyForChosenTokenLogprobsWhenTopLogprobsIsZero() throws Exception {
    server = new FakeGeminiServer(FakeGeminiServer.answering(200, ANSWER));

    provider(server.baseUrl())
        .complete(
            new CompletionRequest(
                "gemini-2.5-flash",
                List.of(new ChatMessage("user", "Hi")),
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                0))
        .get(10, TimeUnit.SECONDS);

    JsonObject config = json(server.takeRequest().body()).getJsonObject("generationConfig");
    assertEquals(Set.of("responseLogprobs"), config.keySet());
  }

  @Test
  void shouldReportBlockedPromptAsBlockedCompletionNotAsFailure() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200,
                """
                {
                  "promptFeedback": {
                    "blockReason": "SAFETY",
                    "safetyRatings": [
                      {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
                      {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
                      {"category": "HARM_CATEGORY_HARASSMENT", "probability": "MEDIUM"},
                      {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "NEGLIGIBLE"}
                    ]
                  },
                  "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8},
                  "modelVersion": "gemini-2.5-flash",
                  "responseId": "blk-1"
                }
                """));

    Completion completion =
        provider(server.baseUrl()).complete(request(null, "unsafe")).get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals("SAFETY", completion.finishReason());
    assertEquals("", completion.text());
    assertEquals(8, completion.promptTokens());
    assertEquals(0, completion.completionTokens());
    assertEquals(8, completion.totalTokens());
    assertEquals("blk-1", completion.requestId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII"})
  void shouldReportCandidateStoppedByFilterAsBlockedWithoutItsPartialText(String reason)
      throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200,
                """
                {
                  "candidates": [{
                    "content": {"parts": [{"text": "Step one: take the"}], "role": "model"},
                    "finishReason": "%s",
                    "index": 0,
                    "safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT",
                                       "probability": "HIGH", "blocked": true}]
                  }],
                  "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 5,
                                    "totalTokenCount": 17},
                  "modelVersion": "gemini-2.5-flash",
                  "responseId": "blk-2"
                }
                """
                    .formatted(reason)));

    Completion completion =
        provider(server.baseUrl()).complete(request(null, "How to...")).get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals(reason, completion.finishReason());
    assertEquals("", completion.text());
    assertEquals(5, completion.completionTokens());
  }

  @ParameterizedTest
  @ValueSource(strings = {"MAX_TOKENS", "RECITATION", "OTHER"})
  void shouldKeepTextAndNotMarkBlockedForOtherFinishReasons(String reason) throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200,
                """
                {"candidates": [{"content": {"parts": [{"text": "Once upon a"}], "role": "model"},
                                 "finishReason": "%s", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 3,
                                   "totalTokenCount": 7},
                 "modelVersion": "gemini-2.5-flash", "responseId": "mt-1"}
                """
                    .formatted(reason)));

    Completion completion =
        provider(server.baseUrl()).complete(request(null, "Story")).get(10, TimeUnit.SECONDS);

    assertFalse(completion.blocked());
    assertEquals(reason, completion.finishReason());
    assertEquals("Once upon a", completion.text());
  }

  @Test
  void shouldLeaveThoughtSummariesOutOfTheAnswerText() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200,
                """
                {"candidates": [{"content": {"parts": [
                   {"text": "**Recalling capitals** The user asks...", "thought": true},
                   {"text": "Paris."}], "role": "model"},
                  "finishReason": "STOP", "index": 0}],
                 "modelVersion": "gemini-2.5-pro", "responseId": "th-1"}
                """));

    Completion completion =
        provider(server.baseUrl()).complete(request(null, "Capital?")).get(10, TimeUnit.SECONDS);

    assertEquals("Paris.", completion.text());
    // No usageMetadata at all: counts are unknown, not zero.
    assertNull(completion.promptTokens());
    assertNull(completion.completionTokens());
    assertNull(completion.totalTokens());
  }

  @Test
  void shouldFailWithProviderExceptionItselfBeforeSendingInvalidRequests() {
    var provider = provider(URI.create("http://127.0.0.1:1"));
    var noModel =
        new GeminiProvider(
            new ProviderConfig(
                "g", "gemini", URI.create("http://127.0.0.1:1"), null, null, null, null));

    // The raw exception reaches handle()/whenComplete(), not a CompletionException wrapper.
    CompletableFuture<Completion> future = noModel.complete(request(null, "Hi"));
    Throwable error = future.handle((completion, e) -> e).join();
    assertEquals(Kind.BAD_REQUEST, assertInstanceOf(ProviderException.class, error).kind());

    assertEquals(
        Kind.BAD_REQUEST,
        failure(provider.complete(new CompletionRequest("m", List.of(), null, null, null, null)))
            .kind());
    assertEquals(Kind.BAD_REQUEST, failure(provider.complete(request("../../admin", "Hi"))).kind());
    assertEquals(
        Kind.BAD_REQUEST,
        failure(
                provider.complete(
                    new CompletionRequest(
                        "gemini-2.5-flash",
                        List.of(new ChatMessage("tool", "{\"temp\": 21}")),
                        null,
                        null,
                        null,
                        null)))
            .kind());
    assertEquals(
        Kind.BAD_REQUEST,
        failure(
                provider.complete(
                    new CompletionRequest(
                        "gemini-2.5-flash",
                        List.of(
                            new ChatMessage(
                                "user",
                                "What?",
                                List.of(new ContentPart(ContentPart.IMAGE, null, "AAAA", null)))),
                        null,
                        null,
                        null,
                        null)))
            .kind());
    ProviderException unsupported =
        failure(provider.complete(withFormat(new ResponseFormat("xml", null, null))));
    assertEquals(Kind.UNSUPPORTED, unsupported.kind());
    assertTrue(unsupported.getMessage().contains("'xml'"), unsupported.getMessage());
    assertEquals(
        Kind.BAD_REQUEST,
        failure(
                provider.complete(
                    withFormat(new ResponseFormat(ResponseFormat.JSON_SCHEMA, "x", "not json"))))
            .kind());
  }

  @Test
  void shouldRejectUnusableConfiguration() {
    URI base = URI.create("http://127.0.0.1:1");
    assertThrows(
        IllegalArgumentException.class,
        () -> new GeminiProvider(config(URI.create("ftp://host"), Map.of())));
    assertThrows(
        IllegalArgumentException.class,
        () -> new GeminiProvider(config(base, Map.of("api-version", "v1beta/../x"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new GeminiProvider(config(base, Map.of("schema-fields", "xml"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new GeminiProvider(config(base, Map.of("embedding-dimensions", "-1"))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new GeminiProvider(
                new ProviderConfig(
                    "g", "gemini", base, KEY, null, null, Map.of("Host", "evil"), Map.of())));
  }

  private static CompletionRequest withFormat(ResponseFormat format) {
    return new CompletionRequest(
        "gemini-2.5-flash",
        List.of(new ChatMessage("user", "Capital of France as JSON")),
        null,
        null,
        null,
        null,
        false,
        null,
        format,
        null);
  }
}
