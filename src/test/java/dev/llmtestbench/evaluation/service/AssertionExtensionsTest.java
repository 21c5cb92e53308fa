package dev.llmtestbench.evaluation.service;

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
import dev.llmtestbench.evaluation.spi.AssertionTypeProvider;
import dev.llmtestbench.evaluation.spi.Score;
import dev.llmtestbench.evaluation.spi.Scorer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Custom assertion types through the SPI get negation, thresholds, weights and errors for free. */
class AssertionExtensionsTest {

  /** Scores the share of the output's characters that are vowels; "fail" makes scoring throw. */
  static final class VowelShare implements AssertionTypeProvider {
    @Override
    public Set<String> types() {
      return Set.of("plugin:vowels");
    }

    @Override
    public Scorer compile(String type, AssertionSpec spec) {
      if ("bad".equals(spec.value())) {
        throw new InvalidAssertionException(0, type, "'value' must not be \"bad\".");
      }
      return (ctx, grader) -> {
        if (ctx.output().equals("fail")) {
          return CompletableFuture.failedFuture(new IllegalStateException("plugin trapped"));
        }
        long vowels = ctx.output().chars().filter(c -> "aeiou".indexOf(c) >= 0).count();
        double share = ctx.output().isEmpty() ? 0 : (double) vowels / ctx.output().length();
        return CompletableFuture.completedFuture(new Score(share, vowels + " vowels"));
      };
    }
  }

  @AfterEach
  void uninstall() {
    AssertionExtensions.install(List.of());
  }

  private static EvaluationContext output(String text) {
    return new EvaluationContext("p", text, null, 0, null);
  }

  @Test
  void shouldScoreACustomTypeWithThresholdNegationWeightAndMetric() {
    AssertionExtensions.install(List.of(new VowelShare()));

    Assertion plain =
        Assertions.compile(new AssertionSpec("plugin:vowels", null, 0.5, 2.0, "v", null, null));
    AssertionResult half = plain.evaluate(output("abab"));
    assertEquals(0.5, half.score(), 1e-12);
    assertTrue(half.pass());
    assertEquals("v", half.metric());
    assertEquals(2.0, plain.weight());
    assertEquals("2 vowels", half.reason());

    Assertion negated =
        Assertions.compile(
            new AssertionSpec("not-plugin:vowels", null, 0.6, null, null, null, null));
    AssertionResult few = negated.evaluate(output("abbb"));
    assertEquals(0.75, few.score(), 1e-12);
    assertTrue(few.pass());
    assertFalse(negated.evaluate(output("aaab")).pass());
  }

  @Test
  void shouldFailTheAssertionNotTheEvaluationWhenAScorerFails() {
    AssertionExtensions.install(List.of(new VowelShare()));
    List<Assertion> assertions =
        Assertions.compileAll(
            List.of(
                new AssertionSpec("plugin:vowels", null, 0.0, null, null, null, null),
                new AssertionSpec("contains", "fa", null, null, null, null, null)));

    Evaluation e = Evaluator.evaluateAsync(assertions, output("fail"), null).join();

    assertFalse(e.pass());
    assertEquals("Scoring failed: plugin trapped", e.results().get(0).reason());
    assertTrue(e.results().get(1).pass());
  }

  @Test
  void shouldReportACustomTypesSpecErrorWithItsPosition() {
    AssertionExtensions.install(List.of(new VowelShare()));

    InvalidAssertionException e =
        assertThrows(
            InvalidAssertionException.class,
            () ->
                Assertions.compileAll(
                    List.of(
                        new AssertionSpec("contains", "x", null, null, null, null, null),
                        new AssertionSpec("plugin:vowels", "bad", null, null, null, null, null))));

    assertEquals("Assertion 2 ('plugin:vowels'): 'value' must not be \"bad\".", e.getMessage());
  }

  @Test
  void shouldNameCustomTypesWhenATypeIsUnknown() {
    AssertionExtensions.install(List.of(new VowelShare()));

    InvalidAssertionException e =
        assertThrows(
            InvalidAssertionException.class,
            () ->
                Assertions.compile(
                    new AssertionSpec("plugin:nope", null, null, null, null, null, null)));

    assertTrue(e.getMessage().endsWith("Custom types: plugin:vowels."), e.getMessage());
  }

  @Test
  void shouldRefuseTypesThatClashOrRepeat() {
    AssertionTypeProvider builtIn =
        new AssertionTypeProvider() {
          @Override
          public Set<String> types() {
            return Set.of("contains");
          }

          @Override
          public Scorer compile(String type, AssertionSpec spec) {
            throw new AssertionError();
          }
        };

    assertThrows(
        IllegalArgumentException.class, () -> AssertionExtensions.install(List.of(builtIn)));
    assertThrows(
        IllegalArgumentException.class,
        () -> AssertionExtensions.install(List.of(new VowelShare(), new VowelShare())));
    assertTrue(AssertionExtensions.types().isEmpty());
  }

  @Test
  void shouldRejectScoresOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new Score(1.5, "too much"));
    assertThrows(IllegalArgumentException.class, () -> new Score(Double.NaN, "nan"));
  }
}
