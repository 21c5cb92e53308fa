package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.List;

/** Runs a test's compiled assertions against one output and combines their results. */
public final class Evaluator {

  private Evaluator() {}

  /**
   * Evaluates every assertion against the output.
   *
   * <p>The evaluation passes only if every assertion weighted above 0 passes, as in promptfoo; its
   * score is their weighted mean score, or 1.0 when there are none.
   */
  public static Evaluation evaluate(List<Assertion> assertions, EvaluationContext ctx) {
    if (assertions.isEmpty()) {
      return Evaluation.empty();
    }
    AssertionResult[] results = new AssertionResult[assertions.size()];
    double weightedScores = 0;
    double totalWeight = 0;
    boolean pass = true;
    int i = 0;
    for (Assertion assertion : assertions) {
      AssertionResult result = assertion.evaluate(ctx);
      if (result == null) {
        throw new IllegalStateException(assertion + " returned no result");
      }
      results[i++] = result;
      double weight = assertion.weight();
      if (weight > 0) {
        weightedScores += weight * result.score();
        totalWeight += weight;
        pass &= result.pass();
      }
    }
    double score = totalWeight > 0 ? weightedScores / totalWeight : 1.0;
    return new Evaluation(pass, score, List.of(results));
  }
}
