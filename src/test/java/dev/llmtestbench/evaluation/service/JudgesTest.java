package dev.llmtestbench.evaluation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ResponseFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The judge assertion types against a scripted grader: worked examples, parsing, retries. */
class JudgesTest {

  /** Answers judge calls from a script, in order, and embeds from a table of vectors. */
  static final class ScriptedGrader implements Grader {
    final Deque<String> answers = new ArrayDeque<>();
    final List<CompletionRequest> requests = new ArrayList<>();
    final List<String> providers = new ArrayList<>();
    Map<String, float[]> vectors = Map.of();
    List<String> embedded = List.of();

    ScriptedGrader answer(String... scripted) {
      answers.addAll(List.of(scripted));
      return this;
    }

    @Override
    public synchronized CompletableFuture<Completion> complete(
        String provider, CompletionRequest request) {
      requests.add(request);
      providers.add(provider);
      if (answers.isEmpty()) {
        return CompletableFuture.failedFuture(new IllegalStateException("judge unreachable"));
      }
      return CompletableFuture.completedFuture(
          new Completion(answers.poll(), "stop", 10, 5, 15, 1_000_000, "judge", "req"));
    }

    @Override
    public CompletableFuture<List<float[]>> embed(String provider, List<String> texts) {
      embedded = texts;
      return CompletableFuture.completedFuture(
          texts.stream().map(t -> vectors.getOrDefault(t, new float[] {0, 1})).toList());
    }
  }

  private static final EvaluationContext CTX =
      new EvaluationContext(
          "What is the capital of France?",
          "Paris is the capital of France.",
          "Paris",
          10,
          Map.of(
              "city",
              "Paris",
              "context",
              "Paris is the capital of France.\nFrance is in Europe.\nIts currency is the euro.",
              "query",
              "capital of France?"));

  private static ModelGradedAssertion judge(
      String type, String value, Double threshold, Map<String, Object> options) {
    return (ModelGradedAssertion)
        Assertions.compile(
            new AssertionSpec(type, value, threshold, null, null, "openai:gpt-4o-mini", options));
  }

  private static AssertionResult grade(ModelGradedAssertion a, Grader g) {
    return a.evaluateAsync(CTX, g).join();
  }

  private static String rubric(boolean pass, double score, String reason) {
    return "{\"pass\": " + pass + ", \"score\": " + score + ", \"reason\": \"" + reason + "\"}";
  }

  @Test
  void shouldPassAnLlmRubricTheJudgePassesAndReportItsReasonAndPromptVersion() {
    ScriptedGrader g = new ScriptedGrader().answer(rubric(true, 1.0, "names Paris"));
    AssertionResult r = grade(judge("llm-rubric", "Names {{city}}", null, null), g);
    assertTrue(r.pass(), r.toString());
    assertEquals(1.0, r.score());
    assertTrue(r.reason().contains("names Paris"), r.reason());
    assertTrue(r.reason().contains("llm-rubric@1"), r.reason());
    assertEquals("openai:gpt-4o-mini", g.providers.get(0));
    String user = g.requests.get(0).messages().get(1).content();
    assertTrue(user.contains("Names Paris"), "the rubric's variables are filled in: " + user);
    assertTrue(user.contains(CTX.output()), user);
    ResponseFormat format = g.requests.get(0).responseFormat();
    assertEquals(ResponseFormat.JSON_SCHEMA, format.type());
    assertEquals(0.0, g.requests.get(0).temperature());
  }

  @Test
  void shouldApplyThresholdAndNegationToTheJudgesScore() {
    var passing = new ScriptedGrader().answer(rubric(true, 0.6, "partly"));
    AssertionResult below = grade(judge("llm-rubric", "x", 0.8, null), passing);
    assertFalse(below.pass(), "0.6 is below the threshold 0.8 though the judge passed it");
    assertEquals(0.6, below.score(), 1e-9);

    var failing = new ScriptedGrader().answer(rubric(false, 0.0, "pirate talk"));
    AssertionResult negated =
        grade(judge("not-llm-rubric", "talks like a pirate", null, null), failing);
    assertTrue(negated.pass(), negated.toString());
    assertEquals(1.0, negated.score(), 1e-9);
  }

  @Test
  void shouldRetryMalformedAnswersAndAcceptACodeFence() {
    ScriptedGrader g =
        new ScriptedGrader()
            .answer(
                "Sure! It passes.",
                "{\"pass\": true, \"score\": 7, \"reason\": \"out of range\"}",
                "```json\n" + rubric(true, 0.9, "fine") + "\n```");
    AssertionResult r = grade(judge("llm-rubric", "x", null, null), g);
    assertTrue(r.pass(), r.toString());
    assertEquals(3, g.requests.size(), "two retries by default");
    List<?> third = g.requests.get(2).messages();
    assertEquals(6, third.size(), "each retry shows the judge its answer and what was wrong");
    assertTrue(
        g.requests.get(2).messages().get(5).content().contains("does not match the schema"),
        g.requests.get(2).messages().get(5).content());
  }

  @Test
  void shouldFailAfterTheBoundedRetriesSayingWhy() {
    ScriptedGrader g = new ScriptedGrader().answer("no", "still no", "never");
    ModelGradedAssertion a = judge("llm-rubric", "x", null, Map.of("retries", 1));
    AssertionResult r = grade(a, g);
    assertFalse(r.pass());
    assertEquals(2, g.requests.size(), "1 attempt + 1 retry, no more");
    assertTrue(r.reason().contains("malformed after 2 attempts"), r.reason());
    assertTrue(((JudgeAssertion) a).judge(CTX, new ScriptedGrader()).join().failed());
  }

  @Test
  void shouldFailWhenTheJudgeIsUnreachableWithoutThrowing() {
    AssertionResult r = grade(judge("llm-rubric", "x", null, null), new ScriptedGrader());
    assertFalse(r.pass());
    assertTrue(r.reason().contains("judge unreachable"), r.reason());
  }

  @ParameterizedTest
  @CsvSource({"mean, 0.6, true", "median, 0.8, true", "majority, 0.6, true"})
  void shouldAggregateSamples(String aggregation, double score, boolean pass) {
    ScriptedGrader g =
        new ScriptedGrader()
            .answer(rubric(true, 0.8, "a"), rubric(false, 0.2, "b"), rubric(true, 0.8, "c"));
    AssertionResult r =
        grade(judge("llm-rubric", "x", 0.5, Map.of("samples", 3, "aggregation", aggregation)), g);
    assertEquals(score, r.score(), 1e-9, r.toString());
    assertEquals(pass, r.pass(), r.toString());
    assertEquals(3, g.requests.size());
    assertEquals(0.7, g.requests.get(0).temperature(), "samples vary unless told otherwise");
    assertTrue(r.reason().contains("3 samples, " + aggregation + ", 2 passed"), r.reason());
  }

  @Test
  void shouldFailAMajorityOfFailingSamples() {
    ScriptedGrader g =
        new ScriptedGrader()
            .answer(rubric(false, 0.9, "a"), rubric(false, 0.9, "b"), rubric(true, 0.9, "c"));
    AssertionResult r =
        grade(judge("llm-rubric", "x", null, Map.of("samples", 3, "aggregation", "majority")), g);
    assertFalse(r.pass(), r.toString());
  }

  @ParameterizedTest
  @CsvSource({"A, 1.0, true", "B, 1.0, true", "C, 1.0, true", "D, 0.0, false", "E, 1.0, true"})
  void shouldMapFactualityCategoriesAsOpenAiEvalsAndPromptfooDo(
      String category, double score, boolean pass) {
    ScriptedGrader g =
        new ScriptedGrader()
            .answer("{\"category\": \"" + category + "\", \"reason\": \"compared\"}");
    AssertionResult r = grade(judge("factuality", null, null, null), g);
    assertEquals(score, r.score(), r.toString());
    assertEquals(pass, r.pass(), r.toString());
    assertTrue(r.reason().startsWith("(" + category + ") compared"), r.reason());
    assertTrue(g.requests.get(0).messages().get(1).content().contains("<expert>\nParis\n"));
  }

  @Test
  void shouldUseCustomFactualityScores() {
    ScriptedGrader g = new ScriptedGrader().answer("{\"category\": \"A\", \"reason\": \"subset\"}");
    Map<String, Object> options = Map.of("factuality", Map.of("subset", 0.4, "superset", 0));
    AssertionResult r = grade(judge("factuality", "Paris", null, options), g);
    assertEquals(0.4, r.score(), 1e-9);
    assertTrue(r.pass(), "a category above 0 passes");
    AssertionResult strict =
        grade(
            judge("factuality", "Paris", 0.5, options),
            new ScriptedGrader().answer("{\"category\": \"A\", \"reason\": \"subset\"}"));
    assertFalse(strict.pass(), "0.4 is below the threshold 0.5");
    AssertionResult invalid =
        grade(
            judge("factuality", "Paris", null, Map.of("retries", 0)),
            new ScriptedGrader().answer("{\"category\": \"F\", \"reason\": \"?\"}"));
    assertFalse(invalid.pass());
    assertTrue(invalid.reason().contains("malformed"), invalid.reason());
  }

  @Test
  void shouldGradeClosedQa() {
    AssertionResult yes =
        grade(
            judge("model-graded-closedqa", "names a city", null, null),
            new ScriptedGrader().answer("{\"reason\": \"Paris is a city\", \"pass\": true}"));
    assertTrue(yes.pass());
    assertEquals(1.0, yes.score());
    AssertionResult no =
        grade(
            judge("model-graded-closedqa", "answers in German", null, null),
            new ScriptedGrader().answer("{\"reason\": \"English\", \"pass\": false}"));
    assertFalse(no.pass());
    assertEquals(0.0, no.score());
  }

  @Test
  void shouldRunGEvalInTwoStepsAndScoreOutOfTen() {
    ScriptedGrader g =
        new ScriptedGrader()
            .answer(
                "{\"steps\": [\"Check the city\", \"Check the country\"]}",
                "{\"reason\": \"accurate\", \"score\": 8}");
    AssertionResult r = grade(judge("g-eval", "Accurate", null, null), g);
    assertEquals(0.8, r.score(), 1e-9);
    assertTrue(r.pass(), "0.8 reaches the default threshold 0.7");
    assertTrue(g.requests.get(1).messages().get(1).content().contains("- Check the country"));
    AssertionResult low =
        grade(
            judge("g-eval", "Accurate", null, null),
            new ScriptedGrader()
                .answer("{\"steps\": [\"a\"]}", "{\"reason\": \"meh\", \"score\": 6}"));
    assertFalse(low.pass());
    AssertionResult noSteps =
        grade(
            judge("g-eval", "Accurate", null, Map.of("retries", 0)),
            new ScriptedGrader().answer("{\"steps\": []}"));
    assertTrue(noSteps.reason().contains("'steps' is empty"), noSteps.reason());
  }

  @Test
  void shouldScoreAnswerRelevanceByEmbeddingGeneratedQuestions() {
    ScriptedGrader g =
        new ScriptedGrader()
            .answer(
                "{\"question\": \"What is the capital of France?\"}",
                "{\"question\": \"Which city is France's capital?\"}");
    g.vectors =
        Map.of(
            "capital of France?", new float[] {1, 0},
            "What is the capital of France?", new float[] {1, 0},
            "Which city is France's capital?", new float[] {0.6f, 0.8f});
    AssertionResult r = grade(judge("answer-relevance", null, 0.7, Map.of("questions", 2)), g);
    assertEquals(0.8, r.score(), 1e-6, r.toString());
    assertTrue(r.pass());
    assertEquals("capital of France?", g.embedded.get(0), "the query var comes first");
    assertEquals(3, g.embedded.size());
  }

  @Test
  void shouldScoreContextFaithfulnessAsSupportedStatements() {
    ScriptedGrader g =
        new ScriptedGrader()
            .answer(
                "{\"statements\": [\"Paris is the capital of France.\", \"Paris has 2 million"
                    + " people.\"]}",
                // One verdict for two statements is malformed: asked again.
                "{\"verdicts\": [{\"statement\": \"s\", \"reason\": \"r\", \"supported\": true}]}",
                "{\"verdicts\": [{\"statement\": \"Paris is the capital of France.\", \"reason\":"
                    + " \"stated\", \"supported\": true}, {\"statement\": \"Paris has 2 million"
                    + " people.\", \"reason\": \"not in context\", \"supported\": false}]}");
    AssertionResult r = grade(judge("context-faithfulness", null, 0.9, null), g);
    assertEquals(0.5, r.score(), 1e-9);
    assertFalse(r.pass());
    assertTrue(r.reason().contains("1 of 2 statements"), r.reason());
    assertTrue(r.reason().contains("2 million"), r.reason());
    assertEquals(3, g.requests.size());
  }

  @Test
  void shouldScoreContextRecallAndRelevance() {
    AssertionResult recall =
        grade(
            judge("context-recall", "Paris is the capital. It has the Louvre.", null, null),
            new ScriptedGrader()
                .answer(
                    "{\"sentences\": [{\"sentence\": \"Paris is the capital.\", \"reason\": \"yes\","
                        + " \"attributed\": true}, {\"sentence\": \"It has the Louvre.\","
                        + " \"reason\": \"absent\", \"attributed\": false}]}"));
    assertEquals(0.5, recall.score(), 1e-9);
    assertTrue(recall.pass(), "promptfoo's default threshold for context metrics is 0");

    AssertionResult relevance =
        grade(
            judge("context-relevance", null, 0.5, null),
            new ScriptedGrader()
                .answer("{\"relevant_sentences\": [\"Paris is the capital of France.\"]}"));
    assertEquals(1.0 / 3, relevance.score(), 1e-9, "1 of the context's 3 lines");
    assertFalse(relevance.pass());
  }

  @Test
  void shouldFailContextMetricsWithoutAContext() {
    EvaluationContext bare = new EvaluationContext("q", "a", null, 0, Map.of());
    AssertionResult r =
        judge("context-relevance", null, null, null)
            .evaluateAsync(bare, new ScriptedGrader())
            .join();
    assertFalse(r.pass());
    assertTrue(r.reason().contains("no 'context' variable"), r.reason());
  }

  @ParameterizedTest
  @CsvSource({"faithfulness, 5, 1.0", "relevance, 3, 0.5", "coherence, 1, 0.0"})
  void shouldNormaliseTheSeedsOneToFiveScores(String type, int rating, double score) {
    AssertionResult r =
        grade(
            judge(type, null, null, null),
            new ScriptedGrader().answer("{\"reason\": \"ok\", \"score\": " + rating + "}"));
    assertEquals(score, r.score(), 1e-9);
    assertEquals(score >= 0.5, r.pass());
    assertEquals(type, r.metric());
  }

  @Test
  void shouldRejectBadSpecsAtCompileTime() {
    assertThrows(InvalidAssertionException.class, () -> judge("llm-rubric", null, null, null));
    InvalidAssertionException unknown =
        assertThrows(
            InvalidAssertionException.class,
            () -> judge("llm-rubric", "x", null, Map.of("sample", 3)));
    assertTrue(unknown.getMessage().contains("unknown option 'sample'"), unknown.getMessage());
    assertThrows(
        InvalidAssertionException.class,
        () -> judge("llm-rubric", "x", null, Map.of("samples", 11)));
    assertThrows(
        InvalidAssertionException.class,
        () -> judge("llm-rubric", "x", null, Map.of("aggregation", "max")));
    assertThrows(
        InvalidAssertionException.class,
        () -> judge("g-eval", "x", null, Map.of("rubricPrompt", Map.of("nope", "t"))));
    assertThrows(InvalidAssertionException.class, () -> judge("coherence", "x", null, null));
    assertThrows(InvalidAssertionException.class, () -> judge("llm-rubric", "x", 1.5, null));
  }

  @Test
  void shouldVersionOverriddenPromptsAndKeyTheCacheOnWhatChangesTheVerdict() {
    JudgeAssertion plain = (JudgeAssertion) judge("llm-rubric", "x", null, null);
    JudgeAssertion custom =
        (JudgeAssertion) judge("llm-rubric", "x", null, Map.of("rubricPrompt", "Grade {{output}}"));
    assertEquals("1;llm-rubric@1", plain.version());
    assertTrue(custom.version().startsWith("1;llm-rubric@custom-"), custom.version());
    assertNotEquals(plain.cacheKey(CTX), custom.cacheKey(CTX));

    JudgeAssertion renamed =
        (JudgeAssertion)
            Assertions.compile(
                new AssertionSpec(
                    "llm-rubric", "x", null, 2.0, "tone", "openai:gpt-4o-mini", null));
    assertEquals(plain.cacheKey(CTX), renamed.cacheKey(CTX), "metric and weight do not matter");
    EvaluationContext other =
        new EvaluationContext(CTX.prompt(), "Lyon.", CTX.expected(), 10, CTX.vars());
    assertNotEquals(plain.cacheKey(CTX), plain.cacheKey(other));
    EvaluationContext unrelatedVar =
        new EvaluationContext(
            CTX.prompt(), CTX.output(), CTX.expected(), 99, Map.of("city", "Paris", "x", 1));
    JudgeAssertion usesCity = (JudgeAssertion) judge("llm-rubric", "Names {{city}}", null, null);
    EvaluationContext sameCity =
        new EvaluationContext(
            CTX.prompt(), CTX.output(), CTX.expected(), 5, Map.of("city", "Paris"));
    assertEquals(
        usesCity.cacheKey(unrelatedVar),
        usesCity.cacheKey(sameCity),
        "variables the judge never sees, and latency, are not part of the key");
  }

  @Test
  void shouldResolveTheJudgeOrSayHowToConfigureADefault() {
    assertEquals("openai", ProviderGrader.judgeRef("openai:gpt-4o", null).name());
    assertEquals("gpt-4o", ProviderGrader.judgeRef("openai:gpt-4o", "x:y").model());
    assertEquals("ollama", ProviderGrader.judgeRef(null, "ollama:llama3:8b").name());
    assertEquals("llama3:8b", ProviderGrader.judgeRef(null, "ollama:llama3:8b").model());
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> ProviderGrader.judgeRef(null, " "));
    assertTrue(none.getMessage().contains("ltb.evaluation.judge.provider"), none.getMessage());
  }

  @Test
  void shouldListEveryBuiltInPromptWithAValidSchema() {
    assertEquals(13, JudgePrompts.all().size());
    for (JudgePrompt p : JudgePrompts.all()) {
      JudgeCall.schema(p);
      assertFalse(p.version().isBlank());
      assertTrue(Assertions.TYPES.stream().anyMatch(t -> p.id().startsWith(t)), p.id());
    }
  }
}
