package dev.llmtestbench.provider.gemini;

import static dev.llmtestbench.provider.gemini.GeminiTestSupport.KEY;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.config;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.failure;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.json;
import static dev.llmtestbench.provider.gemini.GeminiTestSupport.provider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.RerankRequest;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * batchEmbedContents, models.list, health, capabilities and the factory.
 *
 * <p>References: https://ai.google.dev/api/embeddings (batchEmbedContents: {@code requests[]} of
 * EmbedContentRequest with {@code model}, {@code content}, {@code taskType}, {@code
 * outputDimensionality}; response {@code embeddings[].values}; at most 100 requests per batch),
 * https://ai.google.dev/api/models (models.list: {@code pageSize}, {@code pageToken}; response
 * {@code models[]} with {@code name}, {@code inputTokenLimit}, and {@code nextPageToken}).
 */
class GeminiEmbeddingsAndModelsTest {

  // Json.createXxx looks the JSON-P provider up on every call, which is slow in a loop.
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

  private FakeGeminiServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldBatchEmbedWithDefaultModelTaskTypeAndDimensions() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200,
                """
                {"embeddings": [{"values": [0.013168523, -0.008711934, -0.046782676]},
                                {"values": [0.5, 0.25, -0.125]}]}
                """));
    var provider =
        new GeminiProvider(
            config(
                server.baseUrl(),
                Map.of("embedding-task-type", "RETRIEVAL_DOCUMENT", "embedding-dimensions", "3")));

    EmbeddingResult result =
        provider
            .embed(new EmbeddingRequest(null, List.of("What is life?", "How does it work?"), null))
            .get(10, TimeUnit.SECONDS);

    FakeGeminiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1beta/models/gemini-embedding-001:batchEmbedContents", request.path());
    assertNull(request.query());
    assertEquals(KEY, request.headers().getFirst("x-goog-api-key"));
    JsonArray requests = json(request.body()).getJsonArray("requests");
    assertEquals(2, requests.size());
    JsonObject first = requests.getJsonObject(0);
    assertEquals("models/gemini-embedding-001", first.getString("model"));
    assertEquals(
        "What is life?",
        first.getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text"));
    assertEquals("RETRIEVAL_DOCUMENT", first.getString("taskType"));
    assertEquals(3, first.getInt("outputDimensionality"));

    assertEquals(2, result.vectors().size());
    assertArrayEquals(
        new float[] {0.013168523f, -0.008711934f, -0.046782676f}, result.vectors().get(0));
    assertArrayEquals(new float[] {0.5f, 0.25f, -0.125f}, result.vectors().get(1));
    // batchEmbedContents reports no token usage.
    assertNull(result.promptTokens());
    assertEquals("gemini-embedding-001", result.modelVersion());
    assertTrue(result.latencyNanos() > 0);
  }

  @Test
  void shouldSplitMoreThanOneHundredInputsIntoBatchesKeepingOrder() throws Exception {
    server =
        new FakeGeminiServer(
            exchange -> {
              // One vector per input, holding the number in its text, so order is checkable.
              JsonArray requests =
                  json((String) exchange.getAttribute(FakeGeminiServer.BODY))
                      .getJsonArray("requests");
              JsonArrayBuilder embeddings = JSON.createArrayBuilder();
              for (int i = 0; i < requests.size(); i++) {
                String text =
                    requests
                        .getJsonObject(i)
                        .getJsonObject("content")
                        .getJsonArray("parts")
                        .getJsonObject(0)
                        .getString("text");
                embeddings.add(
                    JSON.createObjectBuilder()
                        .add(
                            "values",
                            JSON.createArrayBuilder().add(Integer.parseInt(text.substring(5)))));
              }
              FakeGeminiServer.respond(
                  exchange,
                  200,
                  JSON.createObjectBuilder().add("embeddings", embeddings).build().toString());
            });
    List<String> inputs = IntStream.range(0, 150).mapToObj(i -> "text " + i).toList();

    EmbeddingResult result =
        provider(server.baseUrl())
            .embed(new EmbeddingRequest("text-embedding-004", inputs, Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    assertEquals(2, server.received.size());
    List<FakeGeminiServer.Received> calls = new ArrayList<>(server.received);
    assertEquals("/v1beta/models/text-embedding-004:batchEmbedContents", calls.get(0).path());
    assertEquals(100, json(calls.get(0).body()).getJsonArray("requests").size());
    assertEquals(50, json(calls.get(1).body()).getJsonArray("requests").size());
    assertEquals(150, result.vectors().size());
    for (int i = 0; i < 150; i++) {
      assertEquals(i, (int) result.vectors().get(i)[0], "vector " + i);
    }
  }

  @Test
  void shouldReportWrongNumberOfEmbeddingsAsInvalidResponse() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(200, "{\"embeddings\": [{\"values\": [0.1]}]}"));

    ProviderException e =
        failure(
            provider(server.baseUrl()).embed(new EmbeddingRequest(null, List.of("a", "b"), null)));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("1 embeddings for 2 inputs"), e.getMessage());
  }

  @Test
  void shouldMapEmbeddingErrorsLikeCompletionErrors() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                429,
                "{\"error\":{\"code\":429,\"message\":\"Quota exceeded.\",\"status\":"
                    + "\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                    + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"2s\"}]}}"));

    ProviderException e =
        failure(provider(server.baseUrl()).embed(new EmbeddingRequest(null, List.of("a"), null)));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(2_000L, e.retryAfterMillis());
  }

  @Test
  void shouldRejectEmptyEmbeddingRequestAndOfferNoRerank() {
    var provider = provider(URI.create("http://127.0.0.1:1"));

    assertEquals(
        Kind.BAD_REQUEST,
        failure(provider.embed(new EmbeddingRequest(null, List.of(), null))).kind());
    assertEquals(
        Kind.UNSUPPORTED,
        failure(provider.rerank(new RerankRequest(null, "q", List.of("d"), null, null))).kind());
  }

  @Test
  void shouldListModelsAcrossPagesWithoutPrefixAndRememberContextSizes() throws Exception {
    server =
        new FakeGeminiServer(
            exchange -> {
              String query = exchange.getRequestURI().getRawQuery();
              if (query.contains("pageToken=")) {
                FakeGeminiServer.respond(
                    exchange,
                    200,
                    """
                    {"models": [{"name": "models/gemini-embedding-001", "version": "001",
                      "displayName": "Gemini Embedding 001", "inputTokenLimit": 2048,
                      "outputTokenLimit": 1,
                      "supportedGenerationMethods": ["embedContent", "countTextTokens"]}]}
                    """);
              } else {
                FakeGeminiServer.respond(
                    exchange,
                    200,
                    """
                    {"models": [{"name": "models/gemini-2.5-flash", "version": "001",
                      "displayName": "Gemini 2.5 Flash",
                      "description": "Stable version of Gemini 2.5 Flash.",
                      "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
                      "supportedGenerationMethods": ["generateContent", "countTokens"],
                      "temperature": 1, "topP": 0.95, "topK": 64, "maxTemperature": 2,
                      "thinking": true}],
                     "nextPageToken": "Ch9tb2RlbHMv+Z2VtaW5p=="}
                    """);
              }
            });
    var provider = provider(server.baseUrl());
    assertNull(provider.capabilities("gemini-2.5-flash").maxContextTokens());

    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);

    FakeGeminiServer.Received first = server.takeRequest();
    assertEquals("GET", first.method());
    assertEquals("/v1beta/models", first.path());
    assertEquals("pageSize=1000", first.query());
    assertEquals(KEY, first.headers().getFirst("x-goog-api-key"));
    FakeGeminiServer.Received second = server.takeRequest();
    // The token is URL-encoded ('+', '/', '=' are not left raw).
    assertEquals("pageSize=1000&pageToken=Ch9tb2RlbHMv%2BZ2VtaW5p%3D%3D", second.query());
    assertEquals(
        List.of(
            new ModelInfo("gemini-2.5-flash", "Stable version of Gemini 2.5 Flash.", 1048576),
            new ModelInfo("gemini-embedding-001", "Gemini Embedding 001", 2048)),
        models);
    assertEquals(1048576, provider.capabilities("gemini-2.5-flash").maxContextTokens());
    assertEquals(2048, provider.capabilities("models/gemini-embedding-001").maxContextTokens());
  }

  @Test
  void shouldReportHealthFromModelListing() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                200, "{\"models\": [{\"name\": \"models/gemini-2.5-pro\"}]}"));

    HealthReport up = provider(server.baseUrl()).health().get(10, TimeUnit.SECONDS);

    assertTrue(up.up());
    assertEquals("1 model(s)", up.message());
  }

  @Test
  void shouldReportHealthDownWithTheProvidersMessage() throws Exception {
    server =
        new FakeGeminiServer(
            FakeGeminiServer.answering(
                403,
                "{\"error\":{\"code\":403,\"message\":\"Method doesn't allow unregistered callers.\","
                    + "\"status\":\"PERMISSION_DENIED\"}}"));

    HealthReport down = provider(server.baseUrl()).health().get(10, TimeUnit.SECONDS);

    assertFalse(down.up());
    assertEquals(
        "gemini returned HTTP 403 PERMISSION_DENIED: Method doesn't allow unregistered callers.",
        down.message());
  }

  @Test
  void shouldDescribeCapabilitiesOfGenerationAndEmbeddingModels() {
    var provider = provider(URI.create("http://127.0.0.1:1"));

    Capabilities flash = provider.capabilities("gemini-2.5-flash");
    assertEquals(
        List.of("streaming", "vision", "audio", "function_calling", "json_mode", "logprobs"),
        flash.names());
    assertEquals(List.of("embeddings"), provider.capabilities("gemini-embedding-001").names());
    assertTrue(provider.capabilities(null).embeddings());
    assertFalse(provider.capabilities(null).rerank());
  }

  @Test
  void shouldCreateProvidersFromFactoryDefaults() {
    var factory = new GeminiProviderFactory();

    assertEquals("gemini", factory.adapter());
    assertEquals("cloud", factory.kind());
    assertEquals("GEMINI_API_KEY", factory.apiKeyEnv());
    assertEquals(URI.create("https://generativelanguage.googleapis.com"), factory.defaultBaseUrl());
    assertTrue(factory.defaultModels().contains("gemini-2.5-flash"));
    var provider =
        factory.create(
            new ProviderConfig(
                "gemini",
                "gemini",
                factory.defaultBaseUrl(),
                KEY,
                factory.defaultModels(),
                null,
                null));
    assertEquals("gemini", provider.type());
    assertEquals("v1beta", provider.apiVersion());
    assertEquals(factory.defaultModels(), provider.models());
    assertFalse(provider.toString().contains(KEY));
  }
}
