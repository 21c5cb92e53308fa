package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.metrics.TextMetricAssertion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text-metric assertion types as compiled by {@link Assertions}. */
class TextMetricAssertionsTest {

  private static final double EPS = 1e-12;

  // Expected values from sacreBLEU 2.6.0 (lowercase=True) and NLTK 3.10.3 on 13a tokens.
  private static final String OUTPUT = "the Cat was sitting on the mat.";
  private static final String REFERENCE = "The cat sat on the mat.";

  private static AssertionResult check(String type, Double threshold, EvaluationContext ctx) {
    return Assertions.compile(new AssertionSpec(type, REFERENCE, threshold, null, null, null, null))
        .evaluate(ctx);
  }

  private static EvaluationContext withLogprobs(List<Double> logprobs) {
    return new EvaluationContext(
        "prompt", "output", null, 0, Map.of(), "stop", null, List.of(), logprobs);
  }

  private static AssertionResult perplexity(String type, Double threshold, List<Double> logprobs) {
    return Assertions.compile(new AssertionSpec(type, null, threshold, null, null, null, null))
        .evaluate(withLogprobs(logprobs));
  }

  private static InvalidAssertionException rejected(AssertionSpec spec) {
    return assertThrows(
        InvalidAssertionException.class, () -> Assertions.compileAll(List.of(spec)));
  }

  private static void assertResult(
      AssertionResult result, boolean pass, double score, String reason) {
    assertEquals(pass, result.pass(), "pass");
    assertEquals(score, result.score(), EPS, "score");
    assertEquals(reason, result.reason(), "reason");
  }

  @Test
  void shouldListEveryTextMetricTypeAsSupported() {
    assertTrue(Assertions.TYPES.containsAll(TextMetricAssertion.TYPES));
  }

  @Test
  void shouldScoreEachMetricAgainstItsReference() {
    EvaluationContext ctx = output(OUTPUT);
    assertEquals(5.0 / 6, check("rouge-n", 0.0, ctx).score(), EPS);
    assertEquals(0.7692307692307692, check("rouge-1", 0.0, ctx).score(), EPS);
    assertEquals(0.5454545454545454, check("rouge-2", 0.0, ctx).score(), EPS);
    assertEquals(0.7692307692307692, check("rouge-l", 0.0, ctx).score(), EPS);
    assertEquals(0.4111336169005198, check("bleu", 0.0, ctx).score(), EPS);
    assertEquals(0.6029763296907166, check("chrf", 0.0, ctx).score(), EPS);
    assertEquals(0.5, check("gleu", 0.0, ctx).score(), EPS);
    assertEquals(0.8294209702660407, check("meteor", 0.0, ctx).score(), EPS);
  }

  @Test
  void shouldPassRougeNAtPromptfoosDefaultThreshold() {
    assertResult(
        check("rouge-n", null, output(OUTPUT)),
        true,
        5.0 / 6,
        "ROUGE-1 recall 0.8333 is at least the threshold 0.75");
  }

  @Test
  void shouldFailBelowTheDefaultThreshold() {
    assertResult(
        check("bleu", null, output(OUTPUT)),
        false,
        0.4111336169005198,
        "Expected BLEU of at least 0.5, was 0.4111");
    assertResult(
        check("rouge-2", null, output(OUTPUT)),
        false,
        0.5454545454545454,
        "Expected ROUGE-2 of at least 0.75, was 0.5455");
  }

  @Test
  void shouldUsePromptfoosDefaultThresholds() {
    // A score between 0.5 and 0.75 passes the 0.5 defaults and fails the ROUGE 0.75 default.
    EvaluationContext ctx = output(OUTPUT);
    assertTrue(check("chrf", null, ctx).pass());
    assertTrue(check("gleu", null, ctx).pass());
    assertTrue(check("meteor", null, ctx).pass());
    assertFalse(check("rouge-2", null, ctx).pass());
  }

  @Test
  void shouldApplyAConfiguredThreshold() {
    assertTrue(check("bleu", 0.4, output(OUTPUT)).pass());
    assertFalse(check("rouge-l", 0.8, output(OUTPUT)).pass());
    assertResult(
        check("rouge-l", 0.7692307692307692, output(OUTPUT)),
        true,
        0.7692307692307692,
        "ROUGE-L 0.7692 is at least the threshold 0.7692307692307692");
  }

  @Test
  void shouldInvertPassAndScoreWhenNegated() {
    assertResult(
        check("not-bleu", null, output(OUTPUT)),
        true,
        1 - 0.4111336169005198,
        "BLEU 0.4111 is below the threshold 0.5");
    assertResult(
        check("not-rouge-n", null, output(OUTPUT)),
        false,
        1 - 5.0 / 6,
        "Expected ROUGE-1 recall below 0.75, was 0.8333");
  }

  @Test
  void shouldIgnoreCase() {
    EvaluationContext shouting = output("THE CAT SAT ON THE MAT.");
    for (String type :
        List.of("rouge-n", "rouge-1", "rouge-2", "rouge-l", "bleu", "chrf", "gleu")) {
      assertEquals(1.0, check(type, null, shouting).score(), type);
    }
  }

  @Test
  void shouldPassAThresholdOfOneForIdenticalText() {
    // Scores are rounded, so float noise cannot fail a perfect match. METEOR never reaches 1:
    // its fragmentation penalty is 0.5 / matches^3 even for one chunk.
    for (String type :
        List.of("rouge-n", "rouge-1", "rouge-2", "rouge-l", "bleu", "chrf", "gleu")) {
      AssertionResult result = check(type, 1.0, output(REFERENCE));
      assertTrue(result.pass(), type);
      assertEquals(1.0, result.score(), type);
    }
    assertEquals(1 - 0.5 / (7 * 7 * 7), check("meteor", 1.0, output(REFERENCE)).score(), EPS);
  }

  @Test
  void shouldTakeTheReferenceFromExpectedWithoutValue() {
    Assertion bleu = Assertions.compile(spec("bleu", null));

    assertEquals(1.0, bleu.evaluate(output(REFERENCE, REFERENCE)).score());
    assertEquals(0.0, bleu.evaluate(output("dog", REFERENCE)).score());
  }

  @Test
  void shouldFailWithoutAnyReferenceWhetherNegatedOrNot() {
    String reason =
        "No reference text: set 'value' on the assertion or 'expected' on the test case";
    assertResult(
        Assertions.compile(spec("meteor", null)).evaluate(output("x")), false, 0.0, reason);
    assertResult(
        Assertions.compile(spec("not-meteor", null)).evaluate(output("x")), false, 0.0, reason);
  }

  @Test
  void shouldScoreEmptyOutputZero() {
    for (String type : List.of("rouge-n", "rouge-l", "bleu", "chrf", "gleu", "meteor")) {
      AssertionResult result = check(type, null, output(""));
      assertEquals(0.0, result.score(), type);
      assertFalse(result.pass(), type);
    }
  }

  @Test
  void shouldRejectAnEmptyReference() {
    assertEquals(
        "Assertion 1 ('rouge-n'): 'value' is empty. Give the reference text, or omit 'value' to"
            + " use the test's expected answer.",
        rejected(spec("rouge-n", "")).getMessage());
  }

  @Test
  void shouldRejectAScoreThresholdOutsideZeroToOne() {
    assertTrue(
        rejected(new AssertionSpec("chrf", "x", 1.5, null, null, null, null))
            .getMessage()
            .contains("threshold 1.5 is out of range"));
  }

  @Test
  void shouldReportUnderTheConfiguredMetricAndWeight() {
    Assertion assertion =
        Assertions.compile(
            new AssertionSpec("not-gleu", REFERENCE, 0.9, 2.0, "fluency", null, null));
    AssertionResult result = assertion.evaluate(output(OUTPUT));

    assertEquals("fluency", result.metric());
    assertEquals("not-gleu", result.type());
    assertEquals(2.0, assertion.weight());
  }

  @Test
  void shouldWeighTheMetricScoreInTheEvaluation() {
    List<Assertion> assertions =
        Assertions.compileAll(
            List.of(
                new AssertionSpec("bleu", REFERENCE, 0.0, 1.0, null, null, null),
                new AssertionSpec("contains", "mat", null, 1.0, null, null, null)));
    Evaluation evaluation = Evaluator.evaluate(assertions, output(OUTPUT));

    assertTrue(evaluation.pass());
    assertEquals((0.4111336169005198 + 1.0) / 2, evaluation.score(), EPS);
  }

  // Token probabilities 1/2 and 1/8: perplexity 4.
  private static final List<Double> LOGPROBS = List.of(Math.log(0.5), Math.log(0.125));

  @Test
  void shouldPassPerplexityAtOrBelowTheThreshold() {
    assertResult(
        perplexity("perplexity", 5.0, LOGPROBS),
        true,
        1.0,
        "Perplexity 4.0000 is within the 5 limit");
    assertTrue(perplexity("perplexity", 4.0 + 1e-9, LOGPROBS).pass());
  }

  @Test
  void shouldFailPerplexityAboveTheThreshold() {
    assertResult(
        perplexity("perplexity", 3.0, LOGPROBS),
        false,
        0.0,
        "Expected perplexity of at most 3, was 4.0000");
  }

  @Test
  void shouldInvertPerplexityWhenNegated() {
    assertResult(
        perplexity("not-perplexity", 3.0, LOGPROBS), true, 1.0, "Perplexity 4.0000 exceeds 3");
    assertResult(
        perplexity("not-perplexity", 5.0, LOGPROBS),
        false,
        0.0,
        "Expected perplexity above 5, was 4.0000");
  }

  @Test
  void shouldFailEveryPerplexityTypeWithoutLogprobs() {
    String reason =
        "No logprobs for this output: perplexity needs the model's token log-probabilities,"
            + " which this call did not return";
    assertResult(perplexity("perplexity", 5.0, List.of()), false, 0.0, reason);
    assertResult(perplexity("not-perplexity", 5.0, List.of()), false, 0.0, reason);
    assertResult(perplexity("perplexity-score", null, List.of()), false, 0.0, reason);
    assertResult(perplexity("not-perplexity-score", 0.5, List.of()), false, 0.0, reason);
    // The four-argument context has no logprobs at all.
    assertResult(
        Assertions.compile(new AssertionSpec("perplexity", null, 5.0, null, null, null, null))
            .evaluate(output("x")),
        false,
        0.0,
        reason);
  }

  @Test
  void shouldFailPerplexityForNanLogprobs() {
    assertResult(
        perplexity("perplexity", 5.0, List.of(-1.0, Double.NaN)),
        false,
        0.0,
        "Invalid logprobs for this output: NaN and +Infinity are not log-probabilities");
  }

  @Test
  void shouldReportPerplexityScoreWithoutThreshold() {
    assertResult(
        perplexity("perplexity-score", null, LOGPROBS),
        true,
        0.25,
        "Perplexity score 0.2500 (perplexity 4.0000)");
  }

  @Test
  void shouldCheckPerplexityScoreAgainstAThreshold() {
    assertResult(
        perplexity("perplexity-score", 0.5, LOGPROBS),
        false,
        0.25,
        "Expected perplexity score of at least 0.5, was 0.2500");
    assertResult(
        perplexity("not-perplexity-score", 0.5, LOGPROBS),
        true,
        0.75,
        "Perplexity score 0.2500 is below the threshold 0.5");
  }

  @Test
  void shouldRequireAPerplexityThresholdOfAtLeastOne() {
    assertEquals(
        "Assertion 1 ('perplexity'): 'threshold' is required: the maximum perplexity, e.g."
            + " \"threshold\": 20.",
        rejected(spec("perplexity", null)).getMessage());
    assertEquals(
        "Assertion 1 ('perplexity'): threshold 0.5 is not a valid perplexity. Use the maximum"
            + " perplexity, 1 or more (perplexity is never below 1).",
        rejected(new AssertionSpec("perplexity", null, 0.5, null, null, null, null)).getMessage());
    // A threshold above 1 is a perplexity, not an out-of-range score.
    assertEquals(
        "perplexity",
        Assertions.compile(new AssertionSpec("perplexity", null, 20.0, null, null, null, null))
            .type());
  }

  @Test
  void shouldRejectAValueForPerplexityTypes() {
    String problem =
        "'value' is not used: perplexity comes from the output's token log-probabilities. Remove"
            + " 'value'.";
    assertEquals(
        "Assertion 1 ('perplexity'): " + problem,
        rejected(new AssertionSpec("perplexity", "x", 5.0, null, null, null, null)).getMessage());
    assertEquals(
        "Assertion 1 ('perplexity-score'): " + problem,
        rejected(spec("perplexity-score", "x")).getMessage());
  }

  @Test
  void shouldRequireAThresholdForNegatedPerplexityScore() {
    assertEquals(
        "Assertion 1 ('not-perplexity-score'): 'threshold' is required with \"not-\": the"
            + " perplexity score below which it passes, between 0 and 1.",
        rejected(spec("not-perplexity-score", null)).getMessage());
  }
}
