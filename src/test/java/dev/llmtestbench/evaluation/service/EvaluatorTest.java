package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static final String ANSWER = "The capital of France is Paris.";

  private static Evaluation evaluate(String output, AssertionSpec... specs) {
    return Evaluator.evaluate(Assertions.compileAll(List.of(specs)), output(output));
  }

  private static AssertionSpec weighted(String type, String value, double weight) {
    return new AssertionSpec(type, value, null, weight, null, null, null);
  }

  @Test
  void shouldPassWithFullScoreWhenThereAreNoAssertions() {
    Evaluation evaluation = Evaluator.evaluate(List.of(), output(ANSWER));

    assertTrue(evaluation.pass());
    assertEquals(1.0, evaluation.score());
    assertEquals(List.of(), evaluation.results());
    assertSame(Evaluation.empty(), evaluation);
  }

  @Test
  void shouldPassWhenEveryAssertionPasses() {
    Evaluation evaluation =
        evaluate(ANSWER, spec("contains", "Paris"), spec("not-icontains", "as an ai"));

    assertTrue(evaluation.pass());
    assertEquals(1.0, evaluation.score());
    assertEquals(2, evaluation.results().size());
  }

  @Test
  void shouldFailWhenAnyAssertionFailsAndScoreTheMean() {
    Evaluation evaluation =
        evaluate(ANSWER, spec("contains", "Paris"), spec("starts-with", "Paris"));

    assertFalse(evaluation.pass());
    assertEquals(0.5, evaluation.score());
  }

  @Test
  void shouldScoreTheWeightedMean() {
    Evaluation evaluation =
        evaluate(
            ANSWER,
            weighted("contains", "Paris", 3),
            weighted("contains", "Lyon", 1),
            weighted("is-json", null, 4));

    assertFalse(evaluation.pass());
    assertEquals(3.0 / 8.0, evaluation.score());
  }

  @Test
  void shouldReportButNotScoreAssertionsWeightedZero() {
    Evaluation evaluation =
        evaluate(ANSWER, spec("contains", "Paris"), weighted("contains", "Lyon", 0));

    assertTrue(evaluation.pass());
    assertEquals(1.0, evaluation.score());
    assertEquals(2, evaluation.results().size());
    assertFalse(evaluation.results().get(1).pass());
  }

  @Test
  void shouldPassWithFullScoreWhenAllWeightsAreZero() {
    Evaluation evaluation = evaluate(ANSWER, weighted("contains", "Lyon", 0));

    assertTrue(evaluation.pass());
    assertEquals(1.0, evaluation.score());
    assertEquals(0.0, evaluation.results().get(0).score());
  }

  @Test
  void shouldPassFailedBinaryAssertionWhoseThresholdIsZero() {
    Evaluation evaluation =
        evaluate(
            ANSWER,
            spec("contains", "Paris"),
            new AssertionSpec("contains", "Lyon", 0.0, null, null, null, null));

    assertTrue(evaluation.pass());
    assertEquals(0.5, evaluation.score());
    assertEquals(
        new AssertionResult(
            "contains", "contains", true, 0.0, "Expected output to contain \"Lyon\""),
        evaluation.results().get(1));
  }

  @Test
  void shouldFailBinaryAssertionWhoseThresholdIsBetweenZeroAndOne() {
    Evaluation evaluation =
        evaluate(ANSWER, new AssertionSpec("contains", "Lyon", 0.5, null, null, null, null));

    assertFalse(evaluation.pass());
  }

  @Test
  void shouldCombineLatencyWithOutputChecks() {
    EvaluationContext slow = new EvaluationContext("p", ANSWER, null, 2_500, Map.of());
    Evaluation evaluation =
        Evaluator.evaluate(
            Assertions.compileAll(
                List.of(
                    spec("contains", "Paris"),
                    new AssertionSpec("latency", null, 2000.0, null, null, null, null))),
            slow);

    assertFalse(evaluation.pass());
    assertEquals(0.5, evaluation.score());
    assertEquals(
        "Expected latency of at most 2000 ms, was 2500 ms", evaluation.results().get(1).reason());
  }

  @Test
  void shouldKeepResultsInAssertionOrderAndImmutable() {
    Evaluation evaluation =
        evaluate(ANSWER, spec("is-json", null), spec("contains", "Paris"), spec("regex", "\\.$"));

    assertEquals(
        List.of("is-json", "contains", "regex"),
        evaluation.results().stream().map(AssertionResult::type).toList());
    assertThrows(UnsupportedOperationException.class, () -> evaluation.results().clear());
  }
}
