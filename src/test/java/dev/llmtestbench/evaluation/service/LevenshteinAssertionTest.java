package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * levenshtein, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#levenshtein-distance
 * (pass when the distance is at most the threshold, default 5; "kitten" to "sitting" is 3).
 */
class LevenshteinAssertionTest {

  @ParameterizedTest
  @CsvSource({
    "kitten, sitting, 3",
    "sitting, kitten, 3",
    "flaw, lawn, 2",
    "color, colour, 1",
    "'', abc, 3",
    "abc, '', 3",
    "'', '', 0",
    "same, same, 0",
    "intention, execution, 5",
    "prefix-abc-suffix, prefix-xyz-suffix, 3",
  })
  void shouldComputeTheEditDistance(String a, String b, int distance) {
    assertEquals(
        distance,
        LevenshteinAssertion.distance(a.codePoints().toArray(), b.codePoints().toArray()));
  }

  @Test
  void shouldPassWithinTheDefaultDistanceOfFiveAndScoreBySimilarity() {
    assertResult(
        check("levenshtein", "kitten", "sitting"),
        true,
        1.0 - 3.0 / 7.0,
        "Edit distance 3 from \"kitten\"");
  }

  @Test
  void shouldFailBeyondTheThreshold() {
    assertResult(
        Fixtures.check(spec("levenshtein", "hello world", 2.0), output("hello, wurld!")),
        false,
        1.0 - 3.0 / 13.0,
        "Edit distance 3 from \"hello world\"; expected at most 2");
  }

  @Test
  void shouldTreatThresholdZeroAsExactMatch() {
    assertEquals(true, Fixtures.check(spec("levenshtein", "Paris", 0.0), output("Paris")).pass());
    assertEquals(false, Fixtures.check(spec("levenshtein", "Paris", 0.0), output("paris")).pass());
  }

  @Test
  void shouldCountCodePointsNotUtf16Units() {
    assertResult(
        Fixtures.check(spec("levenshtein", "👍", 1.0), output("👎")),
        true,
        0.0,
        "Edit distance 1" + " from \"👍\"");
  }

  @Test
  void shouldCompareWithExpectedWhenValueIsAbsent() {
    assertResult(
        Fixtures.check(spec("levenshtein", null), output("foobaz", "foobar")),
        true,
        1.0 - 1.0 / 6.0,
        "Edit distance 1 from \"foobar\"");
  }

  @Test
  void shouldFailNegatedOrNotWithoutAReference() {
    String reason =
        "Nothing to compare with: set 'value' on the assertion or 'expected' on the test case";

    assertResult(check("levenshtein", null, "x"), false, 0.0, reason);
    assertResult(check("not-levenshtein", null, "x"), false, 0.0, reason);
  }

  @Test
  void shouldInvertPassAndScoreWhenNegated() {
    assertResult(
        check("not-levenshtein", "completely different", "Paris"),
        true,
        19.0 / 20.0,
        "Edit distance 19 from \"completely different\"");
    assertResult(
        check("not-levenshtein", "Paris", "Pariss"),
        false,
        1.0 / 6.0,
        "Edit distance 1 from \"Paris\"; expected it not to be at most 5");
  }

  @Test
  void shouldScoreEmptyOutputAgainstEmptyReferenceAsIdentical() {
    assertResult(check("levenshtein", "", ""), true, 1.0, "Edit distance 0 from \"\"");
  }

  @Test
  void shouldRejectNegativeThreshold() {
    assertEquals(
        "Assertion ('levenshtein'): threshold -1.0 is invalid: the largest edit distance that"
            + " passes, a number of 0 or more.",
        rejection(spec("levenshtein", "x", -1.0)));
  }

  @Test
  void shouldAcceptThresholdsAboveOneUnlikeScoreThresholds() {
    assertEquals(true, Fixtures.check(spec("levenshtein", "abcdefgh", 8.0), output("")).pass());
  }
}
