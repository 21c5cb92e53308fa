package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a test's compiled assertions against one output and combines their results. */
public final class Evaluator {

  private Evaluator() {}

  /**
   * Evaluates every assertion against the output, without a grader: model-graded assertions fail
   * saying they need one.
   *
   * <p>The evaluation passes only if every assertion weighted above 0 passes, as in promptfoo; its
   * score is their weighted mean score, or 1.0 when there are none.
   */
  public static Evaluation evaluate(List<Assertion> assertions, EvaluationContext ctx) {
    if (assertions.isEmpty()) {
      return Evaluation.empty();
    }
    AssertionResult[] results = new AssertionResult[assertions.size()];
    int i = 0;
    for (Assertion assertion : assertions) {
      results[i++] = checked(assertion, assertion.evaluate(ctx));
    }
    return combine(assertions, results);
  }

  /**
   * Evaluates every assertion, the model-graded ones through the grader and concurrently; the
   * others at once on the calling thread. The future never completes exceptionally.
   */
  public static CompletableFuture<Evaluation> evaluateAsync(
      List<Assertion> assertions, EvaluationContext ctx, Grader grader) {
    if (assertions.isEmpty()) {
      return CompletableFuture.completedFuture(Evaluation.empty());
    }
    AssertionResult[] results = new AssertionResult[assertions.size()];
    CompletableFuture<?>[] pending = new CompletableFuture<?>[assertions.size()];
    int graded = 0;
    for (int i = 0; i < results.length; i++) {
      Assertion assertion = assertions.get(i);
      if (assertion instanceof ModelGradedAssertion m && grader != null) {
        int at = i;
        CompletableFuture<AssertionResult> future;
        try {
          future = m.evaluateAsync(ctx, grader);
        } catch (RuntimeException e) {
          future = CompletableFuture.failedFuture(e);
        }
        pending[graded++] =
            future.handle(
                (r, failure) ->
                    results[at] =
                        failure == null
                            ? checked(assertion, r)
                            : new AssertionResult(
                                assertion.metric(),
                                assertion.type(),
                                false,
                                0.0,
                                "Grading failed: " + describe(failure)));
      } else {
        results[i] = checked(assertion, assertion.evaluate(ctx));
      }
    }
    if (graded == 0) {
      return CompletableFuture.completedFuture(combine(assertions, results));
    }
    CompletableFuture<?>[] all = java.util.Arrays.copyOf(pending, graded);
    // Each handle() stage has written its slot before allOf completes, so results is complete.
    return CompletableFuture.allOf(all).handle((v, f) -> combine(assertions, results));
  }

  private static AssertionResult checked(Assertion assertion, AssertionResult result) {
    if (result == null) {
      throw new IllegalStateException(assertion + " returned no result");
    }
    return result;
  }

  private static Evaluation combine(List<Assertion> assertions, AssertionResult[] results) {
    double weightedScores = 0;
    double totalWeight = 0;
    boolean pass = true;
    for (int i = 0; i < results.length; i++) {
      double weight = assertions.get(i).weight();
      if (weight > 0) {
        weightedScores += weight * results[i].score();
        totalWeight += weight;
        pass &= results[i].pass();
      }
    }
    double score = totalWeight > 0 ? weightedScores / totalWeight : 1.0;
    return new Evaluation(pass, score, List.of(results));
  }

  private static String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
