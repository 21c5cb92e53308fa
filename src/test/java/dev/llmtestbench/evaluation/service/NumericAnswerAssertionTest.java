package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumericAnswerAssertionTest {

  /** GSM8K train item 1, verbatim: calculator annotations, then the answer after "####". */
  private static final String NATALIA =
      "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n"
          + "Natalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n"
          + "#### 72";

  private static final Assertion FROM_EXPECTED = Assertions.compile(spec("numeric-answer", null));

  private static AssertionResult againstNatalia(String output) {
    return FROM_EXPECTED.evaluate(output(output, NATALIA));
  }

  private static void assertResult(
      AssertionResult result, boolean pass, double score, String reason) {
    assertEquals(pass, result.pass(), "pass");
    assertEquals(score, result.score(), "score");
    assertEquals(reason, result.reason(), "reason");
  }

  @Test
  void shouldPassWhenLastNumberOfChainOfThoughtMatchesExpected() {
    assertResult(
        againstNatalia(
            "In May she sold half of 48, which is 24 clips. Together that is 48 + 24 = 72 clips,"
                + " so the answer is 72."),
        true,
        1.0,
        "Numeric answer 72 equals the expected 72");
  }

  @Test
  void shouldPassWhenOutputUsesTheGsm8kAnswerMarker() {
    assertResult(againstNatalia("#### 72"), true, 1.0, "Numeric answer 72 equals the expected 72");
  }

  @Test
  void shouldPassWhenOutputRepeatsTheCalculatorAnnotations() {
    assertEquals(true, againstNatalia(NATALIA.replace("\n#### 72", "")).pass());
  }

  @Test
  void shouldPreferTheMarkedAnswerOverLaterNumbers() {
    assertResult(
        againstNatalia("#### 72\nThat is 24 more than the 48 she sold in April."),
        true,
        1.0,
        "Numeric answer 72 equals the expected 72");
  }

  @Test
  void shouldTakeTheAnswerAfterTheLastMarker() {
    assertResult(
        againstNatalia("#### 70\nWait, 48 + 24 is 72, not 70.\n#### 72"),
        true,
        1.0,
        "Numeric answer 72 equals the expected 72");
  }

  @Test
  void shouldFailWhenTheLastMarkedAnswerIsWrong() {
    assertResult(
        againstNatalia("#### 72\nOn second thought:\n#### 70"),
        false,
        0.0,
        "Expected numeric answer 72, found 70");
  }

  @Test
  void shouldFailWithBothNumbersWhenAnswerIsWrong() {
    assertResult(
        againstNatalia("She sold 48 + 22 = 70 clips in total."),
        false,
        0.0,
        "Expected numeric answer 72, found 70");
  }

  @Test
  void shouldFailWhenOutputHasNoNumber() {
    assertResult(
        againstNatalia("I'm not sure how many clips Natalia sold."),
        false,
        0.0,
        "Expected numeric answer 72, but the output has no number");
  }

  @Test
  void shouldPassWhenDollarsAndThousandsSeparatorsDifferFromReference() {
    Assertion assertion = Assertions.compile(spec("numeric-answer", null));

    assertResult(
        assertion.evaluate(output("The total is $1,200.00", "1000 + 200 = 1200\n#### 1200")),
        true,
        1.0,
        "Numeric answer 1200.00 equals the expected 1200");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "18 | So she makes $18 every day.",
        "18 | The answer is 18.0",
        "18.00 | #### 18",
        "18 | #### $18",
        "18 | ####18",
        "1800 | She needs 1,800 beads.",
        "'#### 1,800' | 1800",
        "-5 | The temperature ends at -5 degrees.",
        "0.5 | That leaves .5 of the pie.",
        "72 | So the answer is 72...",
      })
  void shouldMatchNumericallyAfterNormalising(String value, String output) {
    AssertionResult result = check("numeric-answer", value, output);

    assertEquals(true, result.pass(), result.reason());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "18 | The answer is 18.5",
        "-5 | It rises by 5 degrees.",
        "1800 | 1,800.5",
      })
  void shouldNotMatchDifferentNumbers(String value, String output) {
    assertEquals(false, check("numeric-answer", value, output).pass());
  }

  @Test
  void shouldUseValueRatherThanExpectedWhenBothAreGiven() {
    Assertion assertion = Assertions.compile(spec("numeric-answer", "#### 5"));

    assertEquals(true, assertion.evaluate(output("It is 5", NATALIA)).pass());
  }

  @Test
  void shouldFailWhenExpectedIsMissing() {
    String reason =
        "No reference number: set 'value' on the assertion or 'expected' on the test case";

    assertResult(FROM_EXPECTED.evaluate(output("#### 72")), false, 0.0, reason);
  }

  @Test
  void shouldFailEvenWhenNegatedIfExpectedHasNoNumber() {
    Assertion negated = Assertions.compile(spec("not-numeric-answer", null));

    assertResult(
        negated.evaluate(output("#### 72", "seventy-two")),
        false,
        0.0,
        "No reference number: the expected answer \"seventy-two\" has none");
  }

  @Test
  void shouldPassNotNumericAnswerWhenAnswerDiffers() {
    assertResult(
        check("not-numeric-answer", "72", "#### 70"),
        true,
        1.0,
        "Numeric answer 70 differs from 72");
  }

  @Test
  void shouldFailNotNumericAnswerWhenAnswerMatches() {
    assertResult(
        check("not-numeric-answer", "72", "#### 72"),
        false,
        0.0,
        "Expected a numeric answer other than 72, found 72");
  }

  @Test
  void shouldPassNotNumericAnswerWhenOutputHasNoNumber() {
    assertResult(
        check("not-numeric-answer", "72", "no idea"),
        true,
        1.0,
        "Output has no number, so none equals 72");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "72 | " + "'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72'",
        "1200.00 | The total is $1,200.00.",
        "3 | Versions 3.5.2 and 3 differ.",
        "42 | Let me think... it is 42",
      })
  void shouldExtractTheFinalAnswer(String expected, String text) {
    assertEquals(expected, NumericAnswerAssertion.extract(text));
  }

  @Test
  void shouldExtractNothingFromTextWithoutDigits() {
    assertNull(NumericAnswerAssertion.extract("Wait... what? $, ..."));
  }
}
