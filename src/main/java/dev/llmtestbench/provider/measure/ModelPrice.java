package dev.llmtestbench.provider.measure;

/**
 * List prices of one model in the pricing table's currency per 1M tokens: {@code input} (uncached
 * prompt tokens), {@code cachedInput} (prompt tokens read from the provider's prompt cache; null
 * when the provider offers no discount, so they cost {@code input}), {@code output}, and optional
 * {@code imageInput} and {@code audioInput} rates for those modalities (null when not priced apart
 * from text).
 */
public record ModelPrice(
    double input, Double cachedInput, double output, Double imageInput, Double audioInput) {

  public ModelPrice {
    requireRate("input", input);
    requireRate("output", output);
    if (cachedInput != null) {
      requireRate("cachedInput", cachedInput);
    }
    if (imageInput != null) {
      requireRate("imageInput", imageInput);
    }
    if (audioInput != null) {
      requireRate("audioInput", audioInput);
    }
  }

  /** A text-only price without a cache discount. */
  public static ModelPrice of(double input, double output) {
    return new ModelPrice(input, null, output, null, null);
  }

  /** A text-only price with a cached-input rate. */
  public static ModelPrice of(double input, double cachedInput, double output) {
    return new ModelPrice(input, cachedInput, output, null, null);
  }

  /** The free price of local and simulated models. */
  public static ModelPrice free() {
    return new ModelPrice(0, null, 0, null, null);
  }

  /**
   * The rate for cached prompt tokens: {@code cachedInput}, or {@code input} without a discount.
   */
  public double effectiveCachedInput() {
    return cachedInput != null ? cachedInput : input;
  }

  private static void requireRate(String name, double rate) {
    if (!Double.isFinite(rate) || rate < 0) {
      throw new IllegalArgumentException(
          "Price '" + name + "' must be a finite number >= 0, was " + rate + ".");
    }
  }
}
