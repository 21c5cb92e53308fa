package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.function.Predicate;

/** A check of the output against an argument fixed at compile time ({@code contains}, ...). */
final class TextAssertion extends BaseAssertion {

  private final Predicate<String> condition;
  // The reasons depend only on the configuration, so both possible results are built once.
  private final AssertionResult whenHolds;
  private final AssertionResult whenNot;

  /** Creates the assertion; the phrases are those of {@link #outputResult}. */
  TextAssertion(
      Settings settings,
      Predicate<String> condition,
      String verb,
      String fact,
      String negatedFact) {
    super(settings);
    this.condition = condition;
    this.whenHolds = outputResult(true, verb, fact, negatedFact);
    this.whenNot = outputResult(false, verb, fact, negatedFact);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    return condition.test(ctx.output()) ? whenHolds : whenNot;
  }
}
