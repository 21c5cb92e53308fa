package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * An assertion whose score is graded between 0 and 1 rather than 1 or 0.
 *
 * <p>Negated ({@code not-}), it passes exactly when the plain assertion would fail, and reports
 * {@code 1 - score}, as promptfoo does for its similarity metrics, so that a passing negated
 * assertion does not drag the test's score down.
 */
abstract class GradedAssertion extends BaseAssertion {

  GradedAssertion(Settings settings) {
    super(settings);
  }

  /**
   * Builds the result of a graded check.
   *
   * @param plainPass whether the plain (not negated) assertion passes
   * @param plainScore the plain assertion's score, between 0 and 1
   * @param reason what was measured, e.g. {@code "F1 0.800 against \"Denver Broncos\""}
   * @param plainCondition the plain assertion's pass condition, e.g. {@code "at least 0.5"}
   */
  final AssertionResult graded(
      boolean plainPass, double plainScore, String reason, String plainCondition) {
    boolean pass = plainPass != negated;
    double score = negated ? 1.0 - plainScore : plainScore;
    String verdict =
        pass
            ? ""
            : negated
                ? "; expected it not to be " + plainCondition
                : "; expected " + plainCondition;
    return new AssertionResult(metric(), type(), pass, score, reason + verdict);
  }

  /** Formats a number as configured: without a spurious ".0" or an exponent. */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** Formats a score with three decimals, independently of the default locale. */
  static String decimal(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
