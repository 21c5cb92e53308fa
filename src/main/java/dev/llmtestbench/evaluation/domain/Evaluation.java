package dev.llmtestbench.evaluation.domain;

import java.util.List;

/**
 * The combined outcome of all of a test case's assertions against one output.
 *
 * @param pass true when every assertion with a weight above 0 passed
 * @param score the weighted mean of the scores of assertions with a weight above 0, or 1.0 when
 *     there are none
 * @param results one result per assertion, in assertion order, including those weighted 0
 */
public record Evaluation(boolean pass, double score, List<AssertionResult> results) {

  private static final Evaluation EMPTY = new Evaluation(true, 1.0, List.of());

  public Evaluation {
    results = results == null ? List.of() : List.copyOf(results);
  }

  /** Returns the evaluation of a test case without assertions: it passes with score 1.0. */
  public static Evaluation empty() {
    return EMPTY;
  }
}
