package dev.llmtestbench.evaluation.domain;

/** A validated, immutable, thread-safe check that scores one model output. */
public interface Assertion {

  /** Returns the name results are reported under. */
  String metric();

  /** Returns the assertion type, including any {@code "not-"} prefix. */
  String type();

  /** Returns this assertion's weight in the test's score (0 or more); 1.0 unless configured. */
  default double weight() {
    return 1.0;
  }

  /** Checks one output; never throws for any output, however malformed. */
  AssertionResult evaluate(EvaluationContext ctx);
}
