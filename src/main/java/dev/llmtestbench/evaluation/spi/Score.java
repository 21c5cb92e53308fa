package dev.llmtestbench.evaluation.spi;

/**
 * What a {@link Scorer} found.
 *
 * @param value between 0 and 1, where 1 is best
 * @param reason a short explanation shown with the result
 */
public record Score(double value, String reason) {

  public Score {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("A score is between 0 and 1, was " + value);
    }
  }
}
