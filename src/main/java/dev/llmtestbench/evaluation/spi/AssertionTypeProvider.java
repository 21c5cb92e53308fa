package dev.llmtestbench.evaluation.spi;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import java.util.Set;

/**
 * The extension point for assertion types beyond the built-in ones, such as metrics from
 * WebAssembly plugins. A provider is a CDI bean; the evaluation service finds every bean of this
 * type and offers its types next to the built-in ones.
 *
 * <p>A provider only scores: negation ({@code not-}), thresholds, weights and metric names work for
 * its types exactly as for built-in ones, applied around its {@link Scorer}.
 */
public interface AssertionTypeProvider {

  /**
   * The types this provider offers, without the {@code not-} prefix, e.g. {@code
   * "plugin:toxicity"}. A type that clashes with a built-in one is refused at start.
   */
  Set<String> types();

  /**
   * Validates a spec of one of this provider's types and prepares its scorer.
   *
   * @param type one of {@link #types()}, without the {@code not-} prefix
   * @param spec the assertion as configured: its value, options and provider are the provider's to
   *     read; threshold, weight, metric and negation are applied by the caller
   * @throws InvalidAssertionException when the spec cannot work, saying what to fix (use index 0;
   *     the caller adds the position)
   */
  Scorer compile(String type, AssertionSpec spec);
}
