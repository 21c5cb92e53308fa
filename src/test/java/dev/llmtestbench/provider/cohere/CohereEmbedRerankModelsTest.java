package dev.llmtestbench.provider.cohere;

import static dev.llmtestbench.provider.cohere.CohereChatTest.KEY;
import static dev.llmtestbench.provider.cohere.CohereChatTest.config;
import static dev.llmtestbench.provider.cohere.CohereChatTest.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.RerankRequest;
import dev.llmtestbench.provider.spi.RerankResult;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Embeddings, reranking and the model listing against a server speaking Cohere's API as documented.
 *
 * <p>References: https://docs.cohere.com/reference/embed (POST /v2/embed: texts, input_type,
 * embedding_types; embeddings.float, meta.billed_units), https://docs.cohere.com/reference/rerank
 * (POST /v2/rerank: query, documents, top_n; results[].index, relevance_score),
 * https://docs.cohere.com/reference/list-models (GET /v1/models: page_size, page_token;
 * models[].name, context_length, next_page_token), and cohere-openapi.yaml in
 * github.com/cohere-ai/cohere-developer-experience.
 */
class CohereEmbedRerankModelsTest {

  private FakeCohereServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldPostEmbedV2ForFloatsAndReturnVectorsInOrderWithBilledTokens() throws Exception {
    // The reference's example answer, vectors cut to three values.
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200,
                """
                {"id": "da6e531f-54c6-4a73-bf92-f60566d8d753",
                 "texts": ["hello", "goodbye"],
                 "embeddings": {"float": [[0.016296387, -0.008354187, -0.04699707],
                                          [-0.07104492, 0.00013196468, -0.014892578]]},
                 "meta": {"api_version": {"version": "2", "is_experimental": true},
                          "billed_units": {"input_tokens": 2}},
                 "response_type": "embeddings_by_type"}
                """));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    EmbeddingResult result =
        provider
            .embed(new EmbeddingRequest(null, List.of("hello", "goodbye"), Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeCohereServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v2/embed", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    assertEquals("application/json", request.headers().getFirst("Content-Type"));
    assertEquals(
        CohereJson.readObject(
            """
            {"model": "embed-v4.0", "texts": ["hello", "goodbye"],
             "input_type": "search_document", "embedding_types": ["float"]}
            """),
        CohereJson.readObject(request.body()));
    assertEquals(2, result.vectors().size());
    assertArrayEquals(
        new float[] {0.016296387f, -0.008354187f, -0.04699707f}, result.vectors().get(0));
    assertArrayEquals(
        new float[] {-0.07104492f, 0.00013196468f, -0.014892578f}, result.vectors().get(1));
    assertEquals(2, result.promptTokens());
    assertTrue(result.latencyNanos() > 0);
  }

  @Test
  void shouldTakeEmbeddingModelFromRequestOrSettingsAndInputTypeFromSettings() throws Exception {
    String answer = "{\"id\":\"e\",\"embeddings\":{\"float\":[[1.0]]},\"meta\":{}}";
    server = new FakeCohereServer(FakeCohereServer.answering(200, answer));
    var provider =
        new CohereProvider(
            config(
                server.baseUrl(),
                Map.of(),
                Map.of(
                    CohereProvider.EMBEDDING_MODEL, "embed-english-v3.0",
                    CohereProvider.INPUT_TYPE, "search_query")));

    EmbeddingResult fromSettings =
        provider.embed(new EmbeddingRequest(null, List.of("q"), null)).get(10, TimeUnit.SECONDS);
    provider
        .embed(new EmbeddingRequest("embed-multilingual-v3.0", List.of("q"), null))
        .get(10, TimeUnit.SECONDS);

    JsonObject first = CohereJson.readObject(server.takeRequest().body());
    assertEquals("embed-english-v3.0", first.getString("model"));
    assertEquals("search_query", first.getString("input_type"));
    assertEquals(
        "embed-multilingual-v3.0",
        CohereJson.readObject(server.takeRequest().body()).getString("model"));
    assertNull(fromSettings.promptTokens());
  }

  @Test
  void shouldReportInvalidResponseWhenEmbeddingCountDiffersFromTexts() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200, "{\"id\":\"e\",\"embeddings\":{\"float\":[[0.1,0.2]]}}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e =
        failure(provider.embed(new EmbeddingRequest(null, List.of("a", "b"), null)));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
    assertTrue(e.getMessage().contains("1 embeddings for 2 texts"), e.getMessage());
  }

  @Test
  void shouldUseDefaultsForBlankSettings() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(200, "{\"id\":\"e\",\"embeddings\":{\"float\":[[1.0]]}}"));
    var provider =
        new CohereProvider(
            config(
                server.baseUrl(),
                Map.of(),
                Map.of(CohereProvider.EMBEDDING_MODEL, " ", CohereProvider.INPUT_TYPE, "")));

    provider.embed(new EmbeddingRequest(null, List.of("q"), null)).get(10, TimeUnit.SECONDS);

    JsonObject body = CohereJson.readObject(server.takeRequest().body());
    assertEquals("embed-v4.0", body.getString("model"));
    assertEquals("search_document", body.getString("input_type"));
  }

  @Test
  void shouldRefuseEmptyEmbeddingRequestWithoutSending() throws Exception {
    server = new FakeCohereServer(FakeCohereServer.answering(200, "{}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    assertEquals(
        Kind.BAD_REQUEST,
        failure(provider.embed(new EmbeddingRequest(null, List.of(), null))).kind());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldPostRerankV2AndReturnHitsMostRelevantFirst() throws Exception {
    // The reference's example answer, with its results deliberately out of order.
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200,
                """
                {"id": "07734bd2-2473-4f07-94e1-0d9f0e6843cf",
                 "results": [{"index": 4, "relevance_score": 0.7867867},
                             {"index": 3, "relevance_score": 0.999071},
                             {"index": 0, "relevance_score": 0.32713068}],
                 "meta": {"api_version": {"version": "2", "is_experimental": false},
                          "billed_units": {"search_units": 1}}}
                """));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));
    List<String> documents =
        List.of(
            "Carson City is the capital city of the American state of Nevada.",
            "The Commonwealth of the Northern Mariana Islands is a group of islands.",
            "Capitalization in English grammar is the use of a capital letter.",
            "Washington, D.C. is the capital of the United States.",
            "Capital punishment has existed in the United States since before it was a country.");

    RerankResult result =
        provider
            .rerank(
                new RerankRequest(
                    null, "What is the capital of the United States?", documents, 3, null))
            .get(10, TimeUnit.SECONDS);

    FakeCohereServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v2/rerank", request.path());
    assertEquals("Bearer " + KEY, request.headers().getFirst("Authorization"));
    JsonObject body = CohereJson.readObject(request.body());
    assertEquals(Set.of("model", "query", "documents", "top_n"), body.keySet());
    assertEquals("rerank-v3.5", body.getString("model"));
    assertEquals("What is the capital of the United States?", body.getString("query"));
    assertEquals(5, body.getJsonArray("documents").size());
    assertEquals(documents.get(3), body.getJsonArray("documents").getString(3));
    assertEquals(3, body.getInt("top_n"));
    assertEquals(
        List.of(
            new RerankResult.Hit(3, 0.999071),
            new RerankResult.Hit(4, 0.7867867),
            new RerankResult.Hit(0, 0.32713068)),
        result.hits());
  }

  @Test
  void shouldOmitTopNAndUseRerankModelSetting() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200, "{\"results\":[{\"index\":0,\"relevance_score\":0.5}]}"));
    var provider =
        new CohereProvider(
            config(
                server.baseUrl(),
                Map.of(),
                Map.of(CohereProvider.RERANK_MODEL, "rerank-v4.0-pro")));

    provider
        .rerank(new RerankRequest(null, "q", List.of("d"), null, null))
        .get(10, TimeUnit.SECONDS);

    JsonObject body = CohereJson.readObject(server.takeRequest().body());
    assertEquals("rerank-v4.0-pro", body.getString("model"));
    assertFalse(body.containsKey("top_n"));
  }

  @Test
  void shouldReportInvalidResponseForRerankIndexOutsideDocuments() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200, "{\"results\":[{\"index\":7,\"relevance_score\":0.5}]}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    ProviderException e =
        failure(provider.rerank(new RerankRequest(null, "q", List.of("a", "b"), null, null)));

    assertEquals(Kind.INVALID_RESPONSE, e.kind());
  }

  @Test
  void shouldListEveryPageOfModelsAndRememberContextLengths() throws Exception {
    server =
        new FakeCohereServer(
            exchange -> {
              String query = exchange.getRequestURI().getRawQuery();
              FakeCohereServer.respond(
                  exchange,
                  200,
                  query.contains("page_token")
                      ? """
                        {"models": [{"name": "embed-v4.0", "endpoints": ["embed"],
                                     "finetuned": false, "context_length": 128000}]}
                        """
                      : """
                        {"models": [
                           {"name": "command-a-03-2025", "is_deprecated": false,
                            "endpoints": ["chat"], "finetuned": false, "context_length": 256000,
                            "tokenizer_url": "https://storage.googleapis.com/cohere-public/tokenizers/command-a-03-2025.json",
                            "default_endpoints": [], "features": ["tools", "json_mode"]},
                           {"name": "command-r-plus", "is_deprecated": true,
                            "endpoints": ["generate", "chat"], "context_length": 128000}],
                         "next_page_token": "eyJwYWdlIjoxfQ=="}
                        """);
            });
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    assertNull(provider.capabilities("command-a-03-2025").maxContextTokens());
    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);

    FakeCohereServer.Received first = server.takeRequest();
    assertEquals("GET", first.method());
    assertEquals("/v1/models", first.path());
    assertEquals("page_size=1000", first.query());
    assertEquals("Bearer " + KEY, first.headers().getFirst("Authorization"));
    FakeCohereServer.Received second = server.takeRequest();
    assertEquals("page_size=1000&page_token=eyJwYWdlIjoxfQ%3D%3D", second.query());
    assertEquals(
        List.of(
            new ModelInfo("command-a-03-2025", "endpoints: chat", 256000),
            new ModelInfo("command-r-plus", "endpoints: generate, chat (deprecated)", 128000),
            new ModelInfo("embed-v4.0", "endpoints: embed", 128000)),
        models);
    assertEquals(256000, provider.capabilities("command-a-03-2025").maxContextTokens());
  }

  @Test
  void shouldReportHealthFromOneModelPage() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(
                200, "{\"models\":[{\"name\":\"command-a-03-2025\"}],\"next_page_token\":\"x\"}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    assertTrue(health.up(), health.message());
    assertEquals("page_size=1", server.takeRequest().query());
    assertTrue(server.received.isEmpty(), "health must not page through the listing");
  }

  @Test
  void shouldReportHealthDownWithCohereMessageWhenKeyIsRejected() throws Exception {
    server =
        new FakeCohereServer(
            FakeCohereServer.answering(401, "{\"message\":\"invalid api token\"}"));
    var provider = new CohereProvider(config(server.baseUrl(), Map.of()));

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);

    assertFalse(health.up());
    assertEquals("cohere returned HTTP 401: invalid api token", health.message());
    // The listing fails with the ProviderException itself, as complete() does.
    Throwable error = provider.listModels().handle((models, e) -> e).get(10, TimeUnit.SECONDS);
    assertEquals(Kind.UNAUTHORIZED, assertInstanceOf(ProviderException.class, error).kind());
  }
}
