package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import dev.llmtestbench.evaluation.metrics.SimilarAssertion;
import dev.llmtestbench.evaluation.metrics.VectorSimilarity;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code similar} assertion with scripted embeddings: metrics, thresholds at the boundary,
 * negation, several references (promptfoo's "any" semantics), default reference, failures, and
 * validation.
 */
class SimilarAssertionTest {

  /** A grader whose embedder returns a scripted vector per text and records what it was asked. */
  static final class ScriptedGrader implements Grader {
    final Map<String, float[]> vectors = new HashMap<>();
    final List<String> providers = new ArrayList<>();
    final List<List<String>> asked = new ArrayList<>();
    RuntimeException failure;

    ScriptedGrader with(String text, float... vector) {
      vectors.put(text, vector);
      return this;
    }

    @Override
    public CompletableFuture<Completion> complete(String provider, CompletionRequest request) {
      throw new UnsupportedOperationException("no judge here");
    }

    @Override
    public CompletableFuture<List<float[]>> embed(String provider, List<String> texts) {
      providers.add(provider);
      asked.add(texts);
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      List<float[]> out = new ArrayList<>();
      for (String text : texts) {
        out.add(vectors.getOrDefault(text, new float[] {0, 0, 1}));
      }
      return CompletableFuture.completedFuture(out);
    }
  }

  private static AssertionSpec spec(String type, String value, Double threshold) {
    return new AssertionSpec(type, value, threshold, null, null, null, null);
  }

  private static AssertionResult grade(AssertionSpec spec, EvaluationContext ctx, Grader grader)
      throws Exception {
    Assertion assertion = Assertions.compile(spec);
    assertTrue(assertion instanceof ModelGradedAssertion, "similar must be model-graded");
    return ((ModelGradedAssertion) assertion).evaluateAsync(ctx, grader).get(10, TimeUnit.SECONDS);
  }

  // cos(out, ref) = 0.8: out = (0.8, 0.6), ref = (1, 0).
  private static ScriptedGrader grader() {
    return new ScriptedGrader()
        .with("out", 0.8f, 0.6f)
        .with("ref", 1, 0)
        .with("far", 0, 1)
        .with("same", 0.8f, 0.6f);
  }

  @Test
  void shouldPassCosineAtOrAboveTheDefaultThreshold() throws Exception {
    AssertionResult r = grade(spec("similar", "ref", null), output("out"), grader());
    assertTrue(r.pass());
    assertEquals(0.8, r.score(), 1e-6);
    assertEquals("Cosine similarity 0.8000 is at least the threshold 0.75", r.reason());
    assertEquals("similar", r.metric());
  }

  @Test
  void shouldFailCosineBelowTheThresholdAndPassAtItExactly() throws Exception {
    AssertionResult below = grade(spec("similar", "ref", 0.81), output("out"), grader());
    assertFalse(below.pass());
    assertEquals("Expected cosine similarity of at least 0.81, was 0.8000", below.reason());
    assertEquals(0.8, below.score(), 1e-6);

    assertTrue(grade(spec("similar:cosine", "ref", 0.8), output("out"), grader()).pass());
    // At the threshold the output is similar, so not-similar fails (promptfoo's rule).
    AssertionResult negated = grade(spec("not-similar", "ref", 0.8), output("out"), grader());
    assertFalse(negated.pass());
    assertEquals("Expected cosine similarity below 0.8, was 0.8000", negated.reason());
  }

  @Test
  void shouldNegateWithOneMinusTheScore() throws Exception {
    AssertionResult r = grade(spec("not-similar", "far", null), output("out"), grader());
    assertTrue(r.pass());
    assertEquals(1 - 0.6, r.score(), 1e-6);
    assertEquals("Cosine similarity 0.6000 is below the threshold 0.75", r.reason());
    assertEquals("not-similar", r.type());
  }

  @Test
  void shouldClampNegativeCosineToAScoreOfZero() throws Exception {
    ScriptedGrader g = grader().with("opposite", -1, 0);
    AssertionResult r = grade(spec("similar", "opposite", null), output("ref"), g);
    assertFalse(r.pass());
    assertEquals(0.0, r.score());
    assertEquals("Expected cosine similarity of at least 0.75, was -1.0000", r.reason());
  }

  @Test
  void shouldUseEuclideanThresholdAsMaximumDistance() throws Exception {
    // |(0.8,0.6) - (1,0)| = sqrt(0.04 + 0.36) = 0.632...
    double d = Math.sqrt(0.4);
    AssertionResult r = grade(spec("similar:euclidean", "ref", 0.7), output("out"), grader());
    assertTrue(r.pass());
    assertEquals(1 / (1 + d), r.score(), 1e-6);
    assertEquals("Euclidean distance 0.6325 is at most the threshold 0.7", r.reason());

    AssertionResult tooFar = grade(spec("similar:euclidean", "ref", 0.5), output("out"), grader());
    assertFalse(tooFar.pass());
    assertEquals("Expected Euclidean distance of at most 0.5, was 0.6325", tooFar.reason());

    AssertionResult negated =
        grade(spec("not-similar:euclidean", "ref", 0.5), output("out"), grader());
    assertTrue(negated.pass());
    assertEquals(d / (1 + d), negated.score(), 1e-6);
    assertEquals("Euclidean distance 0.6325 is above the threshold 0.5", negated.reason());
  }

  @Test
  void shouldUseDotProductFromTypeOrOptions() throws Exception {
    ScriptedGrader g = new ScriptedGrader().with("out", 2, 0).with("ref", 0.5f, 3);
    assertTrue(grade(spec("similar:dot", "ref", 1.0), output("out"), g).pass());
    AssertionSpec viaOptions =
        new AssertionSpec("similar", "ref", 1.5, null, null, null, Map.of("metric", "dot"));
    AssertionResult r = grade(viaOptions, output("out"), g);
    assertFalse(r.pass());
    assertEquals("Expected dot product of at least 1.5, was 1.0000", r.reason());
    assertEquals(
        VectorSimilarity.EUCLIDEAN,
        ((SimilarAssertion)
                Assertions.compile(
                    new AssertionSpec(
                        "similar", "r", null, null, null, null, Map.of("metric", "euclidean"))))
            .similarity());
  }

  @Test
  void shouldPassWhenAnyOfSeveralReferencesIsSimilarAndNameTheClosest() throws Exception {
    ScriptedGrader g = grader();
    AssertionResult r =
        grade(spec("similar", "[\"far\", \"ref\", \"same\"]", 0.9), output("out"), g);
    assertTrue(r.pass());
    assertEquals(1.0, r.score(), 1e-6);
    assertEquals(
        "Cosine similarity 1.0000 is at least the threshold 0.9 (closest of 3 references: number"
            + " 3)",
        r.reason());
    // One call embeds the output and every reference.
    assertEquals(List.of(List.of("out", "far", "ref", "same")), g.asked);

    AssertionResult none =
        grade(spec("similar", "[\"far\", \"ref\"]", 0.9), output("out"), grader());
    assertFalse(none.pass());
    assertEquals(0.8, none.score(), 1e-6);
    assertTrue(none.reason().endsWith("(closest of 2 references: number 2)"), none.reason());
  }

  @Test
  void shouldFailNotSimilarWhenAnyReferenceIsTooSimilar() throws Exception {
    AssertionResult r =
        grade(spec("not-similar", "[\"far\", \"same\"]", null), output("out"), grader());
    assertFalse(r.pass());
    assertEquals(0.0, r.score(), 1e-6);
    assertTrue(
        grade(spec("not-similar", "[\"far\", \"ref\"]", 0.9), output("out"), grader()).pass());
  }

  @Test
  void shouldCompareWithExpectedAnswerWhenValueIsAbsent() throws Exception {
    ScriptedGrader g = grader();
    assertTrue(grade(spec("similar", null, null), output("out", "same"), g).pass());
    assertEquals(List.of("out", "same"), g.asked.get(0));

    AssertionResult none = grade(spec("similar", null, null), output("out"), grader());
    assertFalse(none.pass());
    assertEquals(
        "No reference text: set 'value' on the assertion or 'expected' on the test case",
        none.reason());
    assertFalse(grade(spec("not-similar", null, null), output("out"), grader()).pass());
  }

  @Test
  void shouldFailEmptyOutputWithoutEmbedding() throws Exception {
    ScriptedGrader g = grader();
    AssertionResult r = grade(spec("not-similar", "ref", null), output("  "), g);
    assertFalse(r.pass());
    assertEquals("The output is empty: there is no text to embed and compare", r.reason());
    assertTrue(g.asked.isEmpty());
  }

  @Test
  void shouldTurnEmbeddingFailuresIntoFailingResults() throws Exception {
    ScriptedGrader g = grader();
    g.failure = new IllegalStateException("Unknown provider 'nope'. Known providers: simulator.");
    AssertionSpec withProvider =
        new AssertionSpec("similar", "ref", null, null, null, "nope:text-embed", null);
    AssertionResult r = grade(withProvider, output("out"), g);
    assertFalse(r.pass());
    assertEquals(0.0, r.score());
    assertEquals(
        "Could not embed the texts with nope:text-embed: Unknown provider 'nope'. Known providers:"
            + " simulator.",
        r.reason());
    assertEquals(List.of("nope:text-embed"), g.providers);
  }

  @Test
  void shouldFailWithAClearReasonWhenDimensionsDiffer() throws Exception {
    ScriptedGrader g = new ScriptedGrader().with("out", 1, 0, 0).with("ref", 1, 0);
    AssertionResult r = grade(spec("similar", "ref", null), output("out"), g);
    assertFalse(r.pass());
    assertTrue(r.reason().startsWith("The embeddings have different dimensions (3 and 2)"));

    ScriptedGrader zero = new ScriptedGrader().with("out", 0, 0).with("ref", 1, 0);
    assertTrue(
        grade(spec("similar", "ref", null), output("out"), zero)
            .reason()
            .startsWith("Cosine similarity is undefined for a zero vector"));
  }

  @Test
  void shouldAskTheDefaultEmbedderWhenNoProviderIsGiven() throws Exception {
    ScriptedGrader g = grader();
    grade(spec("similar", "ref", null), output("out"), g);
    assertEquals(1, g.providers.size());
    assertEquals(null, g.providers.get(0));
  }

  @Test
  void shouldFailWithoutAGraderSayingItNeedsOne() {
    AssertionResult r = Assertions.compile(spec("similar", "ref", null)).evaluate(output("out"));
    assertFalse(r.pass());
    assertEquals("similar needs a model to grade it, and none was given.", r.reason());
  }

  @Test
  void shouldCombineWithOtherAssertionsThroughEvaluateAsync() throws Exception {
    List<Assertion> assertions =
        Assertions.compileAll(
            List.of(
                new AssertionSpec("similar", "ref", null, 3.0, "semantic", null, null),
                spec("contains", "out", null)));
    Evaluation e =
        Evaluator.evaluateAsync(assertions, output("out"), grader()).get(10, TimeUnit.SECONDS);
    assertTrue(e.pass());
    assertEquals((3 * 0.8 + 1) / 4, e.score(), 1e-6);
    assertEquals("semantic", e.results().get(0).metric());
  }

  @Test
  void shouldRejectInvalidSpecs() {
    assertEquals(
        "Assertion ('similar'): options.metric \"manhattan\" is not a similarity metric. Use"
            + " cosine, dot or euclidean.",
        rejection(
            new AssertionSpec(
                "similar", "a", null, null, null, null, Map.of("metric", "manhattan"))));
    assertEquals(
        "Assertion ('similar:dot'): the type names the metric dot but options.metric says"
            + " cosine. Give the metric once.",
        rejection(
            new AssertionSpec(
                "similar:dot", "a", null, null, null, null, Map.of("metric", "cosine"))));
    assertEquals(
        "Assertion ('similar'): option 'samples' is not known. The only option is 'metric':"
            + " cosine, dot or euclidean.",
        rejection(new AssertionSpec("similar", "a", null, null, null, null, Map.of("samples", 3))));
    assertEquals(
        "Assertion ('similar'): threshold 1.5 is out of range. It is the minimum cosine"
            + " similarity to pass, between -1 and 1.",
        rejection(spec("similar", "a", 1.5)));
    assertEquals(
        "Assertion ('not-similar:euclidean'): threshold -0.1 is out of range. It is the maximum"
            + " Euclidean distance to pass, 0 or more.",
        rejection(spec("not-similar:euclidean", "a", -0.1)));
    assertTrue(rejection(spec("similar", "  ", null)).contains("'value' is blank"));
    assertTrue(rejection(spec("similar", "[]", null)).contains("'value' lists no texts"));
    assertTrue(rejection(spec("similar:manhattan", "a", null)).contains("unknown type"));
    assertEquals(
        "Assertion ('similar'): Provider reference \":model\" has no provider name before ':'.",
        rejection(new AssertionSpec("similar", "a", null, null, null, ":model", null)));
  }

  @Test
  void shouldAcceptThresholdsOutsideZeroToOneWhereTheMetricAllows() {
    assertEquals(
        2.5, ((SimilarAssertion) Assertions.compile(spec("similar:dot", "a", 2.5))).threshold());
    assertEquals(
        1.2,
        ((SimilarAssertion) Assertions.compile(spec("similar:euclidean", "a", 1.2))).threshold());
    assertEquals(
        -0.2, ((SimilarAssertion) Assertions.compile(spec("similar", "a", -0.2))).threshold());
    assertEquals(
        SimilarAssertion.DEFAULT_THRESHOLD,
        ((SimilarAssertion) Assertions.compile(spec("similar:euclidean", "a", null))).threshold());
  }
}
