package dev.llmtestbench.provider.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process llama.cpp adapter on a tiny llama model with random weights that the test writes
 * itself as GGUF (see {@link TinyLlamaGguf}; format:
 * https://github.com/ggml-org/ggml/blob/master/docs/gguf.md). Its text is noise: what is checked is
 * the path through the real native library (load, template, tokenize, sample, stream) and what the
 * adapter makes of it.
 */
class LlamaCppLocalProviderTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static Path model;
  private static LlamaCppLocalProvider provider;

  @BeforeAll
  static void writeModel() throws Exception {
    model = TinyLlamaGguf.write(dir.resolve("tiny-random-llama.gguf"), 42);
    provider = new LlamaCppLocalProvider(config(model, Map.of()));
  }

  @AfterAll
  static void closeProvider() {
    if (provider != null) {
      provider.close();
    }
  }

  @Test
  void shouldGenerateWithRealTokenCountsAndTimeToFirstToken() throws Exception {
    Completion completion =
        provider
            .complete(streamed(request("Tell me about the sea.", 16, null)))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertNotNull(completion.text());
    assertFalse(completion.tokensEstimated());
    assertTrue(completion.promptTokens() > 0, "prompt " + completion.promptTokens());
    assertTrue(
        completion.completionTokens() >= 1 && completion.completionTokens() <= 16,
        "completion " + completion.completionTokens());
    assertEquals(
        completion.promptTokens() + completion.completionTokens(), completion.totalTokens());
    // A full budget ends with "length"; an end-of-sequence token earlier with "stop".
    if ("length".equals(completion.finishReason())) {
      assertEquals(16, completion.completionTokens());
    } else {
      assertEquals("stop", completion.finishReason());
      assertTrue(completion.completionTokens() < 16);
    }
    assertEquals(TinyLlamaGguf.NAME, completion.modelVersion());
    assertTrue(completion.latencyNanos() > 0);
    assertNotNull(completion.timeToFirstTokenNanos());
    assertTrue(completion.timeToFirstTokenNanos() > 0);
    assertTrue(completion.timeToFirstTokenNanos() <= completion.latencyNanos());
  }

  @Test
  void shouldCountPromptTokensWithTheModelsTokenizer() throws Exception {
    Completion shortPrompt =
        provider.complete(request("the", 1, null)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Completion longPrompt =
        provider
            .complete(request("the the the the", 1, null))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    // llama.cpp logs n_prompt_tokens = 51 for this prompt: the ChatML template llama.cpp falls
    // back to for a model without one, tokenized, plus the BOS token it adds.
    assertEquals(51, shortPrompt.promptTokens());
    // "▁the" is one token of the vocabulary: three more of them are three more tokens.
    assertEquals(shortPrompt.promptTokens() + 3, longPrompt.promptTokens());
    assertEquals(1, shortPrompt.completionTokens());
    assertEquals("length", shortPrompt.finishReason());
    // Not streamed: no time to first token is reported.
    assertNull(shortPrompt.timeToFirstTokenNanos());
  }

  @Test
  void shouldReuseTheLoadedModelAndSerializeConcurrentCalls() throws Exception {
    List<CompletableFuture<Completion>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(provider.complete(streamed(request("Question " + i, 8, 0.7))));
    }

    for (CompletableFuture<Completion> call : calls) {
      Completion completion = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(completion.completionTokens() >= 1);
    }
    assertEquals(1, provider.loads());
  }

  @Test
  void shouldAnswerAtOnceAndLoadTheModelLazilyOnItsOwnThread() throws Exception {
    var fresh = new LlamaCppLocalProvider(config(model, Map.of()));
    try {
      assertEquals(0, fresh.loads());

      CompletableFuture<Completion> call = fresh.complete(request("Hello", 4, null));

      assertFalse(call.isDone());
      assertTrue(call.get(WAIT.toSeconds(), TimeUnit.SECONDS).completionTokens() >= 1);
      fresh.complete(request("Hello again", 4, null)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(1, fresh.loads());
    } finally {
      fresh.close();
    }
  }

  @Test
  void shouldConstrainJsonObjectAnswersWithAGrammar() throws Exception {
    Completion completion =
        provider
            .complete(
                new CompletionRequest(
                    null,
                    List.of(new ChatMessage("user", "Reply in JSON.")),
                    null,
                    48,
                    null,
                    null,
                    false,
                    null,
                    ResponseFormat.jsonObject(),
                    null))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertTrue(completion.text().startsWith("{"), completion.text());
    if ("stop".equals(completion.finishReason())) {
      assertInstanceOf(JsonObject.class, json(completion.text()));
    }
  }

  @Test
  void shouldConstrainAnswersToAJsonSchema() throws Exception {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}";

    Completion completion =
        provider.complete(schemaRequest(schema, 48)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    // The grammar forces the one required key first, whatever the random weights prefer.
    assertTrue(completion.text().replaceAll("\\s", "").startsWith("{\"n\":"), completion.text());
    if ("stop".equals(completion.finishReason())) {
      assertTrue(json(completion.text()).containsKey("n"));
    }
  }

  @Test
  void shouldRejectASchemaLlamaCppCannotConvertAndStayUsable() throws Exception {
    ProviderException e =
        failure(provider.complete(schemaRequest("{\"$ref\":\"#/definitions/missing\"}", 8)));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("JSON schema conversion failed"), e.getMessage());
    assertTrue(
        provider
                .complete(request("Still there?", 2, null))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .completionTokens()
            >= 1);
  }

  @Test
  void shouldRejectASchemaThatIsNotJsonBeforeCallingLlamaCpp() {
    ProviderException e = failure(provider.complete(schemaRequest("{not json", 8)));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
  }

  @Test
  void shouldRefuseToolsMediaAndLogprobsAsUnsupported() {
    List<ChatMessage> hi = List.of(new ChatMessage("user", "Hi"));
    CompletionRequest tools =
        new CompletionRequest(
            null,
            hi,
            null,
            4,
            null,
            null,
            false,
            List.of(new ToolSpec("f", null, null)),
            null,
            null);
    CompletionRequest image =
        new CompletionRequest(
            null,
            List.of(
                new ChatMessage("user", "What?", List.of(ContentPart.image("image/png", "iV")))),
            null,
            4,
            null,
            null);
    CompletionRequest logprobs =
        new CompletionRequest(null, hi, null, 4, null, null, false, null, null, 0);
    CompletionRequest yaml =
        new CompletionRequest(
            null,
            hi,
            null,
            4,
            null,
            null,
            false,
            null,
            new ResponseFormat("yaml", null, null),
            null);

    for (CompletionRequest request : List.of(tools, image, logprobs, yaml)) {
      assertEquals(Kind.UNSUPPORTED, failure(provider.complete(request)).kind());
    }
    assertEquals(
        Kind.BAD_REQUEST,
        failure(provider.complete(new CompletionRequest(null, List.of(), null, 4, null, null)))
            .kind());
  }

  @Test
  void shouldTimeOutAndStayUsable() throws Exception {
    long start = System.nanoTime();
    ProviderException e =
        failure(
            provider.complete(
                new CompletionRequest(
                    null,
                    List.of(new ChatMessage("user", "Go on and on.")),
                    null,
                    200,
                    null,
                    Duration.ofMillis(1),
                    true,
                    null,
                    null,
                    null)));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("llamacpp-local timed out after 1 ms", e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
    assertTrue(
        provider
                .complete(request("Next", 2, null))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .completionTokens()
            >= 1);
  }

  @Test
  void shouldFailOnFirstUseWhenTheModelFileIsGone() throws Exception {
    Path copy = Files.copy(model, dir.resolve("gone.gguf"));
    var gone = new LlamaCppLocalProvider(config(copy, Map.of()));
    try {
      Files.delete(copy);

      ProviderException e = failure(gone.complete(request("Hi", 2, null)));
      HealthReport health = gone.health().get(10, TimeUnit.SECONDS);

      assertEquals(Kind.BAD_REQUEST, e.kind());
      assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
      assertEquals(0, gone.loads());
      assertFalse(health.up());
      assertTrue(health.message().contains(copy.toString()), health.message());
    } finally {
      gone.close();
    }
  }

  @Test
  void shouldSayWhyAFileIsNotAModel() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.gguf"), "These are my notes, not a model.");
    var notes = new LlamaCppLocalProvider(config(text, Map.of()));
    try {
      ProviderException e = failure(notes.complete(request("Hi", 2, null)));

      assertEquals(Kind.BAD_REQUEST, e.kind());
      assertTrue(e.getMessage().contains(text.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("not a GGUF file"), e.getMessage());
      assertFalse(notes.health().get(10, TimeUnit.SECONDS).up());
    } finally {
      notes.close();
    }
  }

  @Test
  void shouldReportAModelLlamaCppRejectsAndLoadOthersAfterwards() throws Exception {
    byte[] bytes = Files.readAllBytes(model);
    Path truncated =
        Files.write(dir.resolve("truncated.gguf"), Arrays.copyOf(bytes, bytes.length / 2));
    var broken = new LlamaCppLocalProvider(config(truncated, Map.of()));
    try {
      ProviderException e = failure(broken.complete(request("Hi", 2, null)));

      assertEquals(Kind.BAD_REQUEST, e.kind());
      assertTrue(
          e.getMessage().contains("llama.cpp could not load the model file " + truncated),
          e.getMessage());
      assertTrue(
          provider
                  .complete(request("Still fine?", 2, null))
                  .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                  .completionTokens()
              >= 1);
    } finally {
      broken.close();
    }
  }

  @Test
  void shouldRejectConfigurationWithoutAReadableModelOrWithBadNumbers() {
    Path missing = dir.resolve("missing.gguf");

    IllegalArgumentException noPath =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LlamaCppLocalProvider(
                    new ProviderConfig(
                        "llamacpp-local", "llamacpp-local", null, null, null, null, null)));
    IllegalArgumentException notThere =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LlamaCppLocalProvider(config(missing, Map.of())));
    IllegalArgumentException badContext =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LlamaCppLocalProvider(
                    config(model, Map.of(LlamaCppLocalProvider.CONTEXT_SIZE, "big"))));

    assertTrue(noPath.getMessage().contains("model-path"), noPath.getMessage());
    assertTrue(notThere.getMessage().contains(missing.toString()), notThere.getMessage());
    assertTrue(badContext.getMessage().contains("context-size"), badContext.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new LlamaCppLocalProvider(config(model, Map.of(LlamaCppLocalProvider.THREADS, "0"))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LlamaCppLocalProvider(
                config(model, Map.of(LlamaCppLocalProvider.GPU_LAYERS, "-1"))));
  }

  @Test
  void shouldDescribeItsModelAndCapabilities() throws Exception {
    List<ModelInfo> models = provider.listModels().get(10, TimeUnit.SECONDS);

    assertEquals(List.of("tiny-random-llama"), provider.models());
    assertEquals(
        List.of(new ModelInfo("tiny-random-llama", "GGUF model tiny-random-llama.gguf", 256)),
        models);
    assertEquals(List.of("streaming", "json_mode"), provider.capabilities(null).names());
    assertEquals(256, provider.capabilities(null).maxContextTokens());
    assertTrue(provider.health().get(10, TimeUnit.SECONDS).up());
  }

  @Test
  void factoryShouldDescribeALocalAdapterWithoutBaseUrl() {
    var factory = new LlamaCppLocalProviderFactory();

    assertEquals("llamacpp-local", factory.adapter());
    assertEquals("local", factory.kind());
    assertNull(factory.defaultBaseUrl());
    assertNull(factory.baseUrlEnv());
    assertNull(factory.apiKeyEnv());
  }

  private static ProviderConfig config(Path model, Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put(LlamaCppLocalProvider.MODEL_PATH, model.toString());
    settings.put(LlamaCppLocalProvider.CONTEXT_SIZE, "256");
    settings.put(LlamaCppLocalProvider.THREADS, "2");
    settings.put(LlamaCppLocalProvider.SEED, "7");
    settings.putAll(extra);
    return new ProviderConfig(
        "llamacpp-local", "llamacpp-local", null, null, null, null, Map.of(), settings);
  }

  private static CompletionRequest request(String prompt, int maxTokens, Double temperature) {
    return new CompletionRequest(
        null, List.of(new ChatMessage("user", prompt)), temperature, maxTokens, null, null);
  }

  private static CompletionRequest schemaRequest(String schema, int maxTokens) {
    return new CompletionRequest(
        null,
        List.of(new ChatMessage("user", "Reply in JSON.")),
        null,
        maxTokens,
        null,
        null,
        false,
        null,
        new ResponseFormat(ResponseFormat.JSON_SCHEMA, "answer", schema),
        null);
  }

  private static CompletionRequest streamed(CompletionRequest request) {
    return request.with(request.model(), request.timeout(), true, request.options());
  }

  private static ProviderException failure(CompletableFuture<Completion> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }
}
