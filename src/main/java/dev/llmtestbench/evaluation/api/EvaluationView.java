package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.Evaluation;
import java.util.List;

/** The verdict on one response: pass, weighted score, and each assertion's outcome and reason. */
public record EvaluationView(boolean pass, double score, List<AssertionResult> results) {

  public static EvaluationView of(Evaluation e) {
    return new EvaluationView(e.pass(), e.score(), e.results());
  }
}
