package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;

/** An {@code equals} without a value, which compares the output with the test's expected text. */
final class EqualsExpectedAssertion extends BaseAssertion {

  EqualsExpectedAssertion(Settings settings) {
    super(settings);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String expected = ctx.expected();
    if (expected == null) {
      return error(
          "Nothing to compare with: set 'value' on the assertion or 'expected' on the test case");
    }
    String quoted = quote(expected);
    return outputResult(
        ctx.output().equals(expected),
        "equal " + quoted,
        "equals " + quoted,
        "does not equal " + quoted);
  }
}
