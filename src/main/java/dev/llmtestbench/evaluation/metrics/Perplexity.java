package dev.llmtestbench.evaluation.metrics;

import java.util.List;

/**
 * Perplexity of a generated text from its tokens' log-probabilities: {@code exp(-mean logprob)}, as
 * promptfoo's {@code perplexity} assertion computes it.
 */
public final class Perplexity {

  private Perplexity() {}

  /**
   * Returns {@code exp(-mean)} of the natural-log probabilities: 1 when every token was certain,
   * larger the less likely the tokens were, infinite if a token had probability 0.
   *
   * @throws IllegalArgumentException if there are none, or one is null, NaN or +infinity
   */
  public static double of(List<Double> logprobs) {
    if (logprobs == null || logprobs.isEmpty()) {
      throw new IllegalArgumentException("Perplexity needs at least one token log-probability");
    }
    double sum = 0;
    for (Double logprob : logprobs) {
      if (logprob == null || logprob.isNaN() || logprob == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("Invalid token log-probability: " + logprob);
      }
      sum += logprob;
    }
    return Math.exp(-(sum / logprobs.size()));
  }

  /**
   * Maps a perplexity to a score from 0 to 1, higher being better: {@code 1 / perplexity}, the
   * geometric mean of the tokens' probabilities, 1 when every token was certain. Log-probabilities
   * slightly above 0 (rounding in some providers) would give more than 1, so it is capped at 1.
   *
   * <p>promptfoo's {@code perplexity-score} is {@code 1 / (1 + perplexity)} instead, which never
   * exceeds 0.5; this score reaches the whole range.
   */
  public static double score(double perplexity) {
    if (Double.isNaN(perplexity) || perplexity <= 0) {
      throw new IllegalArgumentException("Perplexity must be positive, was " + perplexity);
    }
    return Math.min(1.0, 1.0 / perplexity);
  }
}
