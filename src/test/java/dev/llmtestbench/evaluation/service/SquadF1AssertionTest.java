package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * f1: token F1 as the official SQuAD v1.1 evaluation script (evaluate-v1.1.py,
 * https://rajpurkar.github.io/SQuAD-explorer/) computes it: normalize_answer, then precision and
 * recall over shared tokens, then the maximum over the ground truths. The examples use the first
 * question of the SQuAD v1.1 dev set ("Which NFL team represented the AFC at Super Bowl 50?",
 * answers "Denver Broncos").
 */
class SquadF1AssertionTest {

  private static AssertionResult check(String type, String value, Double threshold, String out) {
    return Fixtures.check(spec(type, value, threshold), output(out));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "The Denver Broncos! | denver broncos",
        "  A   cat,  the\tdog. | cat dog",
        "an apple a day | apple day",
        "theater (2016) | theater 2016",
        "Ünïcode CAFÉ | ünïcode café",
      })
  void shouldNormaliseAsSquadsNormalizeAnswer(String text, String tokens) {
    assertEquals(List.of(tokens.split(" ")), SquadF1Assertion.tokens(text));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Denver Broncos | Denver Broncos | 1.0",
        "the Denver Broncos. | Denver Broncos | 1.0",
        "Broncos | Denver Broncos | 0.6666666666666666",
        "The Broncos of Denver | Denver Broncos | 0.8",
        "Carolina Panthers | Denver Broncos | 0.0",
        "the | a | 0.0",
        "New York New York | New York | 0.6666666666666666",
      })
  void shouldScoreTokenF1AsTheV11Script(String prediction, String truth, double f1) {
    assertEquals(
        f1,
        SquadF1Assertion.f1(SquadF1Assertion.tokens(prediction), SquadF1Assertion.tokens(truth)),
        1e-12);
  }

  @Test
  void shouldPassAtTheDefaultThresholdOfOneHalf() {
    assertResult(
        check("f1", "Denver Broncos", null, "The Broncos of Denver"),
        true,
        0.8,
        "F1 0.800 against \"Denver Broncos\"");
    assertResult(
        check("f1", "Denver Broncos", null, "The Carolina Panthers beat Denver"),
        false,
        2.0 * (1.0 / 4.0) * (1.0 / 2.0) / (1.0 / 4.0 + 1.0 / 2.0),
        "F1 0.333 against \"Denver Broncos\"; expected at least 0.5");
  }

  @Test
  void shouldHonourAConfiguredThreshold() {
    assertEquals(false, check("f1", "Denver Broncos", 0.9, "The Broncos of Denver").pass());
    assertEquals(true, check("f1", "Denver Broncos", 0.0, "Panthers").pass());
  }

  @Test
  void shouldTakeTheBestOfSeveralReferences() {
    assertResult(
        check("f1", "[\"Super Bowl L\", \"L\"]", null, "L"),
        true,
        1.0,
        "F1 1.000 against the best of 2 references, \"L\"");
  }

  @Test
  void shouldUseExpectedWithoutValue() {
    assertResult(
        Fixtures.check(spec("f1", null), output("Broncos", "Denver Broncos")),
        true,
        2.0 / 3.0,
        "F1 0.667 against \"Denver Broncos\"");
  }

  @Test
  void shouldScoreEmptyOutputZero() {
    assertResult(
        check("f1", "Denver Broncos", null, ""),
        false,
        0.0,
        "F1 0.000 against \"Denver Broncos\"; expected at least 0.5");
  }

  @Test
  void shouldInvertPassAndScoreWhenNegated() {
    assertResult(
        check("not-f1", "Denver Broncos", null, "Carolina Panthers"),
        true,
        1.0,
        "F1 0.000 against \"Denver Broncos\"");
    assertResult(
        check("not-f1", "Denver Broncos", null, "The Broncos of Denver"),
        false,
        0.2,
        "F1 0.800 against \"Denver Broncos\"; expected it not to be at least 0.5");
  }

  @Test
  void shouldFailNegatedOrNotWithoutAReference() {
    String reason =
        "Nothing to compare with: set 'value' on the assertion or 'expected' on the test case";

    assertResult(check("f1", null, null, "x"), false, 0.0, reason);
    assertResult(check("not-f1", null, null, "x"), false, 0.0, reason);
  }

  @Test
  void shouldRejectBlankOrMalformedReferences() {
    assertEquals(
        "Assertion ('f1'): 'value' is blank. Give the reference answers (one text, or a JSON array"
            + " of texts), or omit 'value' to use the test's expected answer.",
        rejection("f1", " "));
    assertEquals(
        "Assertion ('f1'): item 2 of 'value' is blank. Remove it.",
        rejection("f1", "[\"a\", \"\"]"));
    assertEquals(
        "Assertion ('f1'): threshold 2.0 is out of range. It is the minimum score to pass, between"
            + " 0 and 1.",
        rejection(spec("f1", "a", 2.0)));
  }
}
