package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Perplexity is exp(-mean logprob), as promptfoo's src/assertions/perplexity.ts computes it. */
class PerplexityTest {

  @Test
  void shouldBeOneWhenEveryTokenIsCertain() {
    assertEquals(1.0, Perplexity.of(List.of(0.0, 0.0, 0.0)));
    assertEquals(1.0, Perplexity.score(1.0));
  }

  @Test
  void shouldBeTheInverseGeometricMeanProbability() {
    // Probabilities 1/2 and 1/8: geometric mean 1/4, so perplexity 4 and score 1/4.
    double perplexity = Perplexity.of(List.of(Math.log(0.5), Math.log(0.125)));

    assertEquals(4.0, perplexity, 1e-12);
    assertEquals(0.25, Perplexity.score(perplexity), 1e-12);
  }

  @Test
  void shouldBeInfiniteWhenATokenHadProbabilityZero() {
    double perplexity = Perplexity.of(List.of(-0.1, Double.NEGATIVE_INFINITY));

    assertEquals(Double.POSITIVE_INFINITY, perplexity);
    assertEquals(0.0, Perplexity.score(perplexity));
  }

  @Test
  void shouldCapTheScoreAtOneForRoundingAboveZero() {
    assertEquals(1.0, Perplexity.score(Perplexity.of(List.of(1e-9, 0.0))));
  }

  @Test
  void shouldRejectMissingOrInvalidLogprobs() {
    assertThrows(IllegalArgumentException.class, () -> Perplexity.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> Perplexity.of(null));
    assertThrows(IllegalArgumentException.class, () -> Perplexity.of(List.of(-1.0, Double.NaN)));
    assertThrows(
        IllegalArgumentException.class, () -> Perplexity.of(List.of(Double.POSITIVE_INFINITY)));
    assertThrows(IllegalArgumentException.class, () -> Perplexity.of(Arrays.asList(-1.0, null)));
  }
}
