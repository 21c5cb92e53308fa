package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.call;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * cost, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#cost (passes when
 * the call's cost is at most the threshold in dollars; an unknown cost cannot be checked).
 */
class CostAssertionTest {

  private static AssertionResult check(String type, double maxUsd, Double costUsd) {
    return Fixtures.check(spec(type, null, maxUsd), call("out", "stop", costUsd, List.of()));
  }

  @Test
  void shouldPassAtOrBelowTheThreshold() {
    assertResult(
        check("cost", 0.001, 0.00042), true, 1.0, "Cost $0.00042 is within the $0.001 limit");
    assertResult(check("cost", 0.001, 0.001), true, 1.0, "Cost $0.001 is within the $0.001 limit");
  }

  @Test
  void shouldFailAboveTheThreshold() {
    assertResult(
        check("cost", 0.001, 0.0015), false, 0.0, "Expected a cost of at most $0.001, was $0.0015");
  }

  @Test
  void shouldInvertWhenNegated() {
    assertResult(check("not-cost", 0.001, 0.002), true, 1.0, "Cost $0.002 exceeds $0.001");
    assertResult(
        check("not-cost", 0.001, 0.0001), false, 0.0, "Expected a cost above $0.001, was $0.0001");
  }

  @Test
  void shouldFailNegatedOrNotWhenTheCostIsUnknown() {
    for (String type : new String[] {"cost", "not-cost"}) {
      assertResult(
          check(type, 1, null), false, 0.0, "The call's cost is unknown, so it cannot be checked");
    }
  }

  @Test
  void shouldRequireAThresholdOfZeroOrMore() {
    assertEquals(
        "Assertion ('cost'): 'threshold' is required: the maximum cost in US dollars, e.g."
            + " \"threshold\": 0.002, a number of 0 or more.",
        rejection(spec("cost", null)));
    assertEquals(
        "Assertion ('cost'): threshold -0.5 is invalid: the maximum cost in US dollars, e.g."
            + " \"threshold\": 0.002, a number of 0 or more.",
        rejection(spec("cost", null, -0.5)));
  }

  @Test
  void shouldAcceptThresholdsAboveOneDollar() {
    assertEquals(true, check("cost", 2.5, 1.75).pass());
  }

  @Test
  void shouldRejectTheLimitGivenAsValue() {
    assertEquals(
        "Assertion ('cost'): 'value' is not used: put the maximum cost in US dollars in"
            + " 'threshold', e.g. \"threshold\": 0.002. Remove 'value'.",
        rejection(new AssertionSpec("cost", "0.002", 0.002, null, null, null, null)));
  }
}
