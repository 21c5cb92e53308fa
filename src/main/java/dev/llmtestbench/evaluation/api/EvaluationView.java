package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import dev.llmtestbench.evaluation.service.GradingService;
import java.util.List;

/**
 * The verdict on one response: pass, weighted score, each assertion's outcome and reason, and what
 * grading with models cost ({@code grading}: judge calls, tokens, cost, evaluation cache use).
 */
public record EvaluationView(
    boolean pass, double score, List<AssertionResult> results, GradingUsage grading) {

  public static EvaluationView of(GradingService.Graded g) {
    return new EvaluationView(
        g.evaluation().pass(), g.evaluation().score(), g.evaluation().results(), g.usage());
  }
}
