package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;

/** Shared state and scoring of the built-in assertions, which are all pass/fail checks. */
abstract class BaseAssertion implements Assertion {

  private static final int MAX_QUOTED = 80;

  private final String metric;
  private final String type;
  private final double weight;
  private final double minScore;

  /** Whether the configured type had the {@code not-} prefix. */
  final boolean negated;

  BaseAssertion(Settings settings) {
    this.metric = settings.metric();
    this.type = settings.type();
    this.weight = settings.weight();
    this.minScore = settings.minScore();
    this.negated = settings.negated();
  }

  @Override
  public final String metric() {
    return metric;
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final double weight() {
    return weight;
  }

  /** Scores 1 or 0 for an assertion whose condition, after negation, was or was not satisfied. */
  final AssertionResult result(boolean satisfied, String reason) {
    double score = satisfied ? 1.0 : 0.0;
    return new AssertionResult(metric, type, score >= minScore, score, reason);
  }

  /**
   * Builds the result of a condition on the output, phrased for this assertion's negation.
   *
   * @param holds whether the condition, before negation, holds for the output
   * @param verb the condition in the infinitive, e.g. {@code contain "Paris"}
   * @param fact the condition as a fact, e.g. {@code contains "Paris"}
   * @param negatedFact the condition's negation as a fact, e.g. {@code does not contain "Paris"}
   */
  final AssertionResult outputResult(boolean holds, String verb, String fact, String negatedFact) {
    if (holds != negated) {
      return result(true, "Output " + (holds ? fact : negatedFact));
    }
    return result(false, (negated ? "Expected output not to " : "Expected output to ") + verb);
  }

  /** Fails whatever the negation or threshold, because the check could not be made at all. */
  final AssertionResult error(String reason) {
    return new AssertionResult(metric, type, false, 0.0, reason);
  }

  /** Quotes text for a reason, shortened and on one line so reasons stay readable. */
  static String quote(String text) {
    String shown = text;
    if (text.length() > MAX_QUOTED) {
      // Never cut between the two halves of a surrogate pair, which would leave invalid text.
      int end =
          Character.isHighSurrogate(text.charAt(MAX_QUOTED - 1)) ? MAX_QUOTED - 1 : MAX_QUOTED;
      shown = text.substring(0, end) + "...";
    }
    return '"' + shown.replace("\n", "\\n").replace("\r", "\\r") + '"';
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + type + "]";
  }

  /** The validated configuration common to all assertion types. */
  record Settings(String type, boolean negated, String metric, double weight, double minScore) {}
}
