package dev.llmtestbench.provider.openai;

import static dev.llmtestbench.provider.openai.OpenAiStreamingTest.failure;
import static dev.llmtestbench.provider.openai.OpenAiStreamingTest.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI: {@code POST {endpoint}/openai/deployments/{deployment-id}/chat/completions
 * ?api-version=2024-10-21} with an {@code api-key} header, OpenAI-shaped bodies without a model
 * (the deployment is in the path), streamed chunks that begin with prompt filter results, errors as
 * {@code {"error": {"code", "message"}}} with {@code retry-after}/{@code retry-after-ms}, and a 400
 * {@code content_filter} error for a flagged prompt.
 *
 * <p>References: https://learn.microsoft.com/azure/ai-services/openai/reference (data plane
 * inference, latest GA 2024-10-21; the api-key header), and the specs behind it in
 * github.com/Azure/azure-rest-api-specs:
 * specification/cognitiveservices/data-plane/AzureOpenAI/inference/stable/2024-10-21/inference.json
 * (paths, createChatCompletionRequest, errorResponse, prompt_filter_results, its examples) and
 * .../authoring/stable/2024-10-21 (GET /openai/models, examples/get_models.json).
 */
class AzureOpenAiProviderTest {

  private static final String KEY = "0123456789abcdef0123456789abcdef";

  private static final String COMPLETION =
      """
      {"id":"chatcmpl-7R1nGnsXO8n4oi9UPz2f3UHdgAYMn","object":"chat.completion",\
      "created":1686676106,"model":"gpt-4o-2024-08-06","prompt_filter_results":[{"prompt_index":0,\
      "content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],"choices":[{"index":0,\
      "finish_reason":"stop","message":{"role":"assistant","content":"Ahoy matey!"},\
      "content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],\
      "usage":{"completion_tokens":557,"prompt_tokens":33,"total_tokens":590}}""";

  private FakeOpenAiServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldPostToDeploymentWithApiVersionAndApiKeyHeader() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    Provider provider = create(endpoint(), Map.of());

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "my-gpt4o",
                    List.of(
                        new ChatMessage("system", "you talk like a pirate"),
                        new ChatMessage("user", "how do I care for a parrot?")),
                    0.5,
                    100,
                    null,
                    Duration.ofSeconds(5)))
            .get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/openai/deployments/my-gpt4o/chat/completions", request.path());
    assertEquals("api-version=2024-10-21", request.query());
    assertEquals(KEY, request.headers().getFirst("api-key"));
    assertNull(request.headers().getFirst("Authorization"));
    JsonObject body = json(request.body());
    assertFalse(body.containsKey("model"), "the deployment in the path selects the model");
    assertEquals(100, body.getInt("max_tokens"));
    assertEquals(2, body.getJsonArray("messages").size());

    assertEquals("Ahoy matey!", completion.text());
    assertEquals(33, completion.promptTokens());
    assertEquals(557, completion.completionTokens());
    assertEquals("gpt-4o-2024-08-06", completion.modelVersion());
    assertEquals("azure-openai", provider.type());
    assertEquals("2024-10-21", provider.apiVersion());
  }

  @Test
  void shouldUseConfiguredApiVersionAndEncodeDeploymentName() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, COMPLETION));
    // An endpoint that already ends in /openai must not get a second one.
    Provider provider =
        create(
            URI.create(endpoint() + "/openai/"),
            Map.of(
                "api-version", "2025-01-01-preview", "max-tokens-field", "max_completion_tokens"));

    provider
        .complete(
            new CompletionRequest(
                "team a/o3", List.of(new ChatMessage("user", "Hi")), null, 10, null, null))
        .get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("/openai/deployments/team a/o3/chat/completions", request.path());
    assertEquals(
        "/openai/deployments/team%20a%2Fo3/chat/completions",
        request.rawPath(), "the deployment name is one encoded path segment");
    assertEquals("api-version=2025-01-01-preview", request.query());
    assertEquals(10, json(request.body()).getInt("max_completion_tokens"));
    assertEquals("2025-01-01-preview", provider.apiVersion());
  }

  @Test
  void shouldStreamPastPromptFilterChunkWithEmptyIds() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.streaming(
                """
                {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":\
                [{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,\
                "severity":"safe"}}}]}""",
                """
                {"choices":[{"content_filter_results":{},"delta":{"content":"","role":"assistant"},\
                "finish_reason":null,"index":0,"logprobs":null}],"created":1733000000,\
                "id":"chatcmpl-AzS","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk"}""",
                """
                {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},\
                "delta":{"content":"Ahoy!"},"finish_reason":null,"index":0,"logprobs":null}],\
                "created":1733000000,"id":"chatcmpl-AzS","model":"gpt-4o-2024-08-06",\
                "object":"chat.completion.chunk"}""",
                """
                {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop",\
                "index":0,"logprobs":null}],"created":1733000000,"id":"chatcmpl-AzS",\
                "model":"gpt-4o-2024-08-06","object":"chat.completion.chunk"}""",
                """
                {"choices":[],"created":1733000000,"id":"chatcmpl-AzS","model":"gpt-4o-2024-08-06",\
                "object":"chat.completion.chunk","usage":{"completion_tokens":2,"prompt_tokens":12,\
                "total_tokens":14}}""",
                "[DONE]"));
    Provider provider = create(endpoint(), Map.of());

    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    "my-gpt4o",
                    List.of(new ChatMessage("user", "Hi")),
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
    assertTrue(body.getJsonObject("stream_options").getBoolean("include_usage"));
    assertEquals("Ahoy!", completion.text());
    assertEquals("chatcmpl-AzS", completion.requestId());
    assertEquals("gpt-4o-2024-08-06", completion.modelVersion());
    assertEquals(14, completion.totalTokens());
    assertNotNull(completion.timeToFirstTokenNanos());
  }

  @Test
  void shouldRecordPromptRejectedByContentFilterAsBlockedAnswer() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                400,
                """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure \
                OpenAI's content management policy. Please modify your prompt and retry.",\
                "type":null,"param":"prompt","code":"content_filter","status":400,\
                "innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":\
                {"hate":{"filtered":true,"severity":"high"}}}}}"""));
    Provider provider = create(endpoint(), Map.of());

    Completion completion = provider.complete(request("my-gpt4o")).get(10, TimeUnit.SECONDS);

    assertTrue(completion.blocked());
    assertEquals("content_filter", completion.finishReason());
    assertEquals("", completion.text());
    assertNull(completion.promptTokens());
  }

  @Test
  void shouldReportRateLimitWithRetryAfterMillis() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange -> {
              exchange.getResponseHeaders().set("retry-after", "6");
              exchange.getResponseHeaders().set("retry-after-ms", "5500");
              FakeOpenAiServer.respond(
                  exchange,
                  429,
                  """
                  {"error":{"code":"429","message":"Requests to the ChatCompletions_Create \
                  Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate \
                  limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds."}}""");
            });
    Provider provider = create(endpoint(), Map.of());

    ProviderException e = failure(provider.complete(request("my-gpt4o")));

    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(5500L, e.retryAfterMillis());
    assertTrue(
        e.getMessage().startsWith("azure returned HTTP 429: Requests to the"), e.getMessage());
  }

  @Test
  void shouldReportUnauthorizedAndMissingDeployment() throws Exception {
    server =
        new FakeOpenAiServer(
            exchange ->
                FakeOpenAiServer.respond(
                    exchange,
                    exchange.getRequestURI().getPath().contains("/missing/") ? 404 : 401,
                    exchange.getRequestURI().getPath().contains("/missing/")
                        ? "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API"
                            + " deployment for this resource does not exist.\"}}"
                        : "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid"
                            + " subscription key or wrong API endpoint.\"}}"));
    Provider provider = create(endpoint(), Map.of());

    ProviderException unauthorized = failure(provider.complete(request("my-gpt4o")));
    ProviderException missing = failure(provider.complete(request("missing")));

    assertEquals(Kind.UNAUTHORIZED, unauthorized.kind());
    assertFalse(unauthorized.getMessage().contains(KEY));
    assertEquals(Kind.BAD_REQUEST, missing.kind());
    assertTrue(missing.getMessage().contains("deployment for this resource does not exist"));
  }

  @Test
  void shouldTimeOutWhenServerNeverAnswers() throws Exception {
    server = new FakeOpenAiServer(exchange -> server.awaitClose());
    Provider provider = create(endpoint(), Map.of());

    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    "my-gpt4o",
                    List.of(new ChatMessage("user", "Hi")),
                    null,
                    null,
                    null,
                    Duration.ofMillis(300))));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000);
  }

  @Test
  void shouldEmbedThroughEmbeddingsDeployment() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"object":"list","model":"text-embedding-3-small","data":[{"index":0,\
                "object":"embedding","embedding":[0.018990106880664825,-0.0073809814639389515]}],\
                "usage":{"prompt_tokens":4,"total_tokens":4}}"""));
    Provider provider = create(endpoint(), Map.of("embedding-model", "embed-small"));

    EmbeddingResult result =
        provider
            .embed(new EmbeddingRequest(null, List.of("This is a test."), null))
            .get(10, TimeUnit.SECONDS);

    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("/openai/deployments/embed-small/embeddings", request.path());
    assertEquals("api-version=2024-10-21", request.query());
    assertEquals(KEY, request.headers().getFirst("api-key"));
    assertEquals(json("{\"input\":[\"This is a test.\"]}"), json(request.body()));
    assertArrayEquals(
        new float[] {0.018990106880664825f, -0.0073809814639389515f}, result.vectors().get(0));
    assertEquals(4, result.promptTokens());
  }

  @Test
  void shouldFailEmbeddingWithoutDeploymentBeforeSending() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, "{}"));
    Provider provider = create(endpoint(), Map.of());

    var future = provider.embed(new EmbeddingRequest(null, List.of("x"), null));

    Throwable error = future.handle((r, e) -> e).get(10, TimeUnit.SECONDS);
    assertEquals(Kind.BAD_REQUEST, ((ProviderException) error).kind());
    assertTrue(server.received.isEmpty());
  }

  @Test
  void shouldListConfiguredDeploymentsAndCheckHealthOnModelsEndpoint() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                200,
                """
                {"data":[{"status":"succeeded","capabilities":{"fine_tune":true,"inference":true,\
                "completion":true,"chat_completion":false,"embeddings":false},\
                "lifecycle_status":"generally-available","id":"curie","created_at":1646126127,\
                "object":"model"}],"object":"list"}"""));
    Provider provider = create(endpoint(), Map.of());

    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(ModelInfo.of("my-gpt4o"), ModelInfo.of("embed-small")), models);
    assertTrue(server.received.isEmpty(), "the listing needs no call");

    HealthReport health = provider.health().get(10, TimeUnit.SECONDS);
    FakeOpenAiServer.Received request = server.takeRequest();
    assertEquals("GET", request.method());
    assertEquals("/openai/models", request.path());
    assertEquals("api-version=2024-10-21", request.query());
    assertEquals(KEY, request.headers().getFirst("api-key"));
    assertTrue(health.up(), health.message());
  }

  @Test
  void shouldDescribeFactoryForEnvironmentRegistration() {
    var factory = new AzureOpenAiProviderFactory();

    assertEquals("azure-openai", factory.adapter());
    assertNull(factory.defaultBaseUrl());
    assertEquals("AZURE_OPENAI_API_KEY", factory.apiKeyEnv());
    assertEquals("AZURE_OPENAI_ENDPOINT", factory.baseUrlEnv());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            factory.create(
                config(URI.create("https://x.openai.azure.com"), Map.of("api-version", " "))));
  }

  private Provider create(URI endpoint, Map<String, String> settings) {
    return new AzureOpenAiProviderFactory().create(config(endpoint, settings));
  }

  private URI endpoint() {
    // Azure endpoints are bare resource URLs; the test server's /v1 is dropped.
    return URI.create(server.baseUrl().toString().replace("/v1", ""));
  }

  private static ProviderConfig config(URI endpoint, Map<String, String> settings) {
    return new ProviderConfig(
        "azure",
        "azure-openai",
        endpoint,
        KEY,
        List.of("my-gpt4o", "embed-small"),
        Duration.ofSeconds(5),
        Map.of(),
        settings);
  }

  private static CompletionRequest request(String deployment) {
    return new CompletionRequest(
        deployment,
        List.of(new ChatMessage("user", "Hi")),
        null,
        null,
        null,
        Duration.ofSeconds(5));
  }
}
