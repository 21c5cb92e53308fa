package dev.llmtestbench.evaluation.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.provider.openai.FakeOpenAiServer;
import dev.llmtestbench.provider.openai.OpenAiCompatibleProvider;
import dev.llmtestbench.provider.resilience.ProviderGuard;
import dev.llmtestbench.provider.resilience.ResiliencePolicy;
import dev.llmtestbench.provider.service.ProviderGuards;
import dev.llmtestbench.provider.service.ProviderRegistry;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderConfig;
import jakarta.json.Json;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedding service: the in-process model off the caller's thread, bounded and with a timeout;
 * provider embeddings over the OpenAI {@code /v1/embeddings} protocol against a loopback server;
 * and {@code similar} graded with the real model end to end.
 */
class EmbeddingServiceTest {

  private final ExecutorService threads =
      Executors.newFixedThreadPool(2, r -> new Thread(r, "embedder"));
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private FakeOpenAiServer server;

  @AfterEach
  void stop() {
    threads.shutdownNow();
    scheduler.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private EmbeddingService service(java.util.concurrent.Executor executor, long timeoutMs) {
    EmbeddingService service = new EmbeddingService();
    service.timeoutMs = timeoutMs;
    service.localThreads = 2;
    service.localQueue = 4;
    service.localExecutor = service.bounded(executor);
    return service;
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(60, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void shouldEmbedWithTheInProcessModelByDefaultOffTheCallersThread() throws Exception {
    List<String> threadNames = new ArrayList<>();
    EmbeddingService service =
        service(
            task ->
                threads.execute(
                    () -> {
                      synchronized (threadNames) {
                        threadNames.add(Thread.currentThread().getName());
                      }
                      task.run();
                    }),
            60_000);

    Embeddings embeddings =
        await(service.embedAll(null, List.of("Hello there.", "General Kenobi.")));

    assertEquals(EmbeddingService.LOCAL_MODEL, embeddings.model());
    assertEquals("local:all-minilm-l6-v2-q", embeddings.model());
    assertEquals(384, embeddings.dimensions());
    assertEquals(2, embeddings.vectors().size());
    assertEquals(List.of("embedder"), threadNames);
    assertArrayEquals(
        embeddings.vectors().get(0),
        await(service.embed("local", List.of("Hello there."))).get(0),
        1e-5f);
    assertArrayEquals(
        embeddings.vectors().get(1),
        await(service.embed(" local:all-minilm-l6-v2-q ", List.of("General Kenobi."))).get(0),
        1e-5f);
  }

  @Test
  void shouldRejectAnotherLocalModelName() {
    Throwable t = failure(service(threads, 1000).embed("local:bge-small", List.of("x")));
    assertEquals(
        "\"local:bge-small\" names no in-process model: the one built in is"
            + " \"local:all-minilm-l6-v2-q\" (or just \"local\").",
        t.getMessage());
  }

  @Test
  void shouldFailBlankTextsWithTheModelsReason() {
    Throwable t = failure(service(threads, 60_000).embed(null, List.of("fine", "")));
    assertEquals("Text 2 is empty: all-minilm-l6-v2-q cannot embed empty text.", t.getMessage());
  }

  @Test
  void shouldTimeOutWhenTheModelDoesNotGetAThread() {
    List<Runnable> neverRun = new ArrayList<>();
    Throwable t = failure(service(neverRun::add, 50).embed(null, List.of("x")));
    assertTrue(t instanceof TimeoutException, t.toString());
    assertEquals(
        "The in-process embedding model did not answer within 50 ms"
            + " (ltb.evaluation.embedding.timeout-ms).",
        t.getMessage());
    assertEquals(1, neverRun.size());
  }

  @Test
  void shouldRejectAtOnceWhenTooManyCallsWait() {
    List<Runnable> held = new ArrayList<>();
    EmbeddingService service = service(held::add, 60_000);
    for (int i = 0; i < 6; i++) { // 2 running + 4 waiting
      assertFalse(service.embed(null, List.of("x")).isDone());
    }
    Throwable t = failure(service.embed(null, List.of("x")));
    assertEquals(
        "The in-process embedding model is busy (2 running and 4 waiting, the most allowed; see"
            + " ltb.evaluation.embedding.local.threads and .queue). Try again later.",
        t.getMessage());
  }

  @Test
  void shouldRejectInvalidLimits() {
    EmbeddingService service = new EmbeddingService();
    service.localThreads = 0;
    service.localQueue = 10;
    var e = assertThrows(IllegalArgumentException.class, () -> service.bounded(threads));
    assertTrue(e.getMessage().startsWith("ltb.evaluation.embedding.local.threads must be 1"));
  }

  // --- Provider embeddings over the OpenAI protocol ---------------------------------------------

  private static final String EMBEDDINGS =
      """
      {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]},\
      {"object":"embedding","index":1,"embedding":[1.0,0.0]}],\
      "model":"text-embedding-3-small","usage":{"prompt_tokens":6,"total_tokens":6}}""";

  private EmbeddingService withProvider(Map<String, String> settings) throws Exception {
    var config =
        new ProviderConfig(
            "openai",
            "openai",
            server.baseUrl(),
            "sk-test-0123456789abcdef",
            List.of("gpt-4o-mini"),
            Duration.ofSeconds(5),
            Map.of(),
            settings);
    var registered =
        new RegisteredProvider(
            UUID.randomUUID(),
            new OpenAiCompatibleProvider(config),
            config,
            "cloud",
            "config",
            null);
    EmbeddingService service = service(threads, 5000);
    service.registry =
        new ProviderRegistry() {
          @Override
          public Optional<RegisteredProvider> find(String name) {
            return registered.name().equals(name) ? Optional.of(registered) : Optional.empty();
          }

          @Override
          public List<RegisteredProvider> all() {
            return List.of(registered);
          }
        };
    service.guards =
        new ProviderGuards() {
          final ProviderGuard guard =
              new ProviderGuard("openai", ResiliencePolicy.DEFAULTS, scheduler, null);

          @Override
          public ProviderGuard guard(RegisteredProvider p) {
            return guard;
          }
        };
    return service;
  }

  @Test
  void shouldEmbedWithAProviderModelOverTheOpenAiProtocol() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, EMBEDDINGS));
    EmbeddingService service = withProvider(Map.of());

    Embeddings embeddings =
        await(service.embedAll("openai:text-embedding-3-small", List.of("first", "second")));

    var request = server.takeRequest();
    assertEquals("POST", request.method());
    assertEquals("/v1/embeddings", request.path());
    var body = Json.createReader(new StringReader(request.body())).readObject();
    assertEquals("text-embedding-3-small", body.getString("model"));
    assertEquals(
        List.of("first", "second"),
        body.getJsonArray("input").getValuesAs(jakarta.json.JsonString::getString));
    assertEquals("openai:text-embedding-3-small", embeddings.model());
    assertEquals(2, embeddings.dimensions());
    assertArrayEquals(new float[] {0.6f, 0.8f}, embeddings.vectors().get(0));
    assertArrayEquals(new float[] {1.0f, 0.0f}, embeddings.vectors().get(1));
  }

  @Test
  void shouldNameTheModelTheProviderAnsweredWithWhenNoneIsGiven() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, EMBEDDINGS));
    EmbeddingService service =
        withProvider(
            Map.of(OpenAiCompatibleProvider.EMBEDDING_MODEL_SETTING, "text-embedding-3-small"));

    Embeddings embeddings = await(service.embedAll("openai", List.of("first", "second")));

    assertEquals("openai:text-embedding-3-small", embeddings.model());
  }

  @Test
  void shouldFailForUnknownProvidersAndProviderErrors() throws Exception {
    server =
        new FakeOpenAiServer(
            FakeOpenAiServer.answering(
                400,
                "{\"error\":{\"message\":\"This model does not support embeddings.\","
                    + "\"type\":\"invalid_request_error\"}}"));
    EmbeddingService service = withProvider(Map.of());

    Throwable unknown = failure(service.embed("nope", List.of("x")));
    assertTrue(unknown instanceof ApiException);
    assertEquals("Unknown provider 'nope'. Known providers: [openai].", unknown.getMessage());

    Throwable rejected = failure(service.embed("openai:gpt-4o-mini", List.of("x")));
    assertTrue(
        rejected.getMessage().contains("This model does not support embeddings."),
        rejected.getMessage());
  }

  @Test
  void shouldGradeSimilarWithProviderEmbeddings() throws Exception {
    server = new FakeOpenAiServer(FakeOpenAiServer.answering(200, EMBEDDINGS));
    EmbeddingService service = withProvider(Map.of());
    // cos((0.6, 0.8), (1, 0)) = 0.6
    AssertionResult r =
        grade(
            new AssertionSpec(
                "similar", "reference", 0.5, null, null, "openai:text-embedding-3-small", null),
            "output",
            null,
            service);
    assertTrue(r.pass(), r.reason());
    assertEquals(0.6, r.score(), 1e-6);
  }

  // --- similar with the real model ---------------------------------------------------------------

  private static AssertionResult grade(
      AssertionSpec spec, String output, String expected, EmbeddingService service)
      throws Exception {
    Grader grader =
        new Grader() {
          @Override
          public CompletableFuture<Completion> complete(String provider, CompletionRequest r) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<List<float[]>> embed(String provider, List<String> texts) {
            return service.embed(provider, texts);
          }
        };
    Assertion assertion = Assertions.compile(spec);
    return await(
        ((ModelGradedAssertion) assertion)
            .evaluateAsync(new EvaluationContext("q", output, expected, 0, Map.of()), grader));
  }

  @Test
  void shouldGradeSimilarWithTheInProcessModel() throws Exception {
    EmbeddingService service = service(threads, 60_000);
    AssertionSpec similar = new AssertionSpec("similar", null, null, null, null, null, null);

    AssertionResult paraphrase =
        grade(
            similar,
            "Paris is the capital city of France.",
            "The capital of France is Paris.",
            service);
    AssertionResult unrelated =
        grade(
            similar, "I like to eat pasta for dinner.", "The capital of France is Paris.", service);

    assertTrue(paraphrase.pass(), paraphrase.reason());
    assertFalse(unrelated.pass(), unrelated.reason());
    assertNotEquals(paraphrase.score(), unrelated.score());
    assertTrue(paraphrase.score() > unrelated.score() + 0.4);
    assertTrue(
        grade(
                new AssertionSpec("not-similar", null, null, null, null, "local", null),
                "I like to eat pasta for dinner.",
                "The capital of France is Paris.",
                service)
            .pass());
  }
}
