package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextAssertionsTest {

  private static void assertResult(
      AssertionResult result, boolean pass, double score, String reason) {
    assertEquals(pass, result.pass(), "pass");
    assertEquals(score, result.score(), "score");
    assertEquals(reason, result.reason(), "reason");
  }

  @Test
  void shouldPassEqualsWhenOutputMatchesValueExactly() {
    assertResult(check("equals", "Paris", "Paris"), true, 1.0, "Output equals \"Paris\"");
  }

  @Test
  void shouldFailEqualsWhenOutputHasTrailingNewline() {
    assertResult(
        check("equals", "Paris", "Paris\n"), false, 0.0, "Expected output to equal \"Paris\"");
  }

  @Test
  void shouldFailEqualsWhenCaseDiffers() {
    assertResult(
        check("equals", "Paris", "paris"), false, 0.0, "Expected output to equal \"Paris\"");
  }

  @Test
  void shouldCompareEqualsWithExpectedWhenValueAbsent() {
    Assertion equals = Assertions.compile(spec("equals", null));

    assertResult(equals.evaluate(output("42", "42")), true, 1.0, "Output equals \"42\"");
    assertResult(
        equals.evaluate(output("41", "42")), false, 0.0, "Expected output to equal \"42\"");
  }

  @Test
  void shouldFailEqualsWhenNeitherValueNorExpectedIsGiven() {
    String reason =
        "Nothing to compare with: set 'value' on the assertion or 'expected' on the test case";

    assertResult(check("equals", null, "Paris"), false, 0.0, reason);
    assertResult(check("not-equals", null, "Paris"), false, 0.0, reason);
  }

  @Test
  void shouldPassNotEqualsWhenOutputDiffers() {
    assertResult(
        check("not-equals", "Paris", "London"), true, 1.0, "Output does not equal \"Paris\"");
  }

  @Test
  void shouldFailNotEqualsWhenOutputMatches() {
    assertResult(
        check("not-equals", "Paris", "Paris"),
        false,
        0.0,
        "Expected output not to equal \"Paris\"");
  }

  @Test
  void shouldShortenLongValuesAndEscapeNewlinesInReasons() {
    String longValue = "a".repeat(100);

    assertEquals(
        "Expected output to equal \"" + "a".repeat(80) + "...\"",
        check("equals", longValue, "b").reason());
    assertEquals(
        "Expected output to equal \"line 1\\nline 2\"",
        check("equals", "line 1\nline 2", "b").reason());
  }

  @Test
  void shouldPassContainsWhenSubstringPresent() {
    assertResult(
        check("contains", "Paris", "The capital of France is Paris."),
        true,
        1.0,
        "Output contains \"Paris\"");
  }

  @Test
  void shouldFailContainsWhenSubstringAbsent() {
    assertResult(
        check("contains", "Paris", "The capital of France is Lyon."),
        false,
        0.0,
        "Expected output to contain \"Paris\"");
  }

  @Test
  void shouldFailContainsWhenOnlyCaseDiffers() {
    assertEquals(false, check("contains", "Paris", "the capital is paris").pass());
  }

  @Test
  void shouldPassNotContainsWhenSubstringAbsent() {
    assertResult(
        check("not-contains", "As an AI", "Paris."),
        true,
        1.0,
        "Output does not contain \"As an AI\"");
  }

  @Test
  void shouldFailNotContainsWhenSubstringPresent() {
    assertResult(
        check("not-contains", "As an AI", "As an AI language model, I think Paris."),
        false,
        0.0,
        "Expected output not to contain \"As an AI\"");
  }

  @Test
  void shouldPassIcontainsWhenSubstringPresentInAnotherCase() {
    assertResult(
        check("icontains", "paris", "PARIS is the capital."),
        true,
        1.0,
        "Output contains \"paris\" (ignoring case)");
  }

  @Test
  void shouldFailIcontainsWhenSubstringAbsent() {
    assertResult(
        check("icontains", "paris", "Lyon"),
        false,
        0.0,
        "Expected output to contain \"paris\" (ignoring case)");
  }

  @Test
  void shouldFailIcontainsWhenValueIsLongerThanOutput() {
    assertEquals(false, check("icontains", "paris, france", "Paris").pass());
  }

  @Test
  void shouldFailNotIcontainsWhenSubstringPresentInAnotherCase() {
    assertResult(
        check("not-icontains", "paris", "I love PaRiS"),
        false,
        0.0,
        "Expected output not to contain \"paris\" (ignoring case)");
  }

  @Test
  void shouldMatchIcontainsIndependentlyOfDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      // In Turkish, "I".toLowerCase() is the dotless "ı", which would break a locale-based match.
      Locale.setDefault(Locale.forLanguageTag("tr"));
      assertEquals(true, check("icontains", "title", "TITLE: Paris").pass());
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void shouldPassStartsWithWhenOutputBeginsWithValue() {
    assertResult(
        check("starts-with", "Yes", "Yes, Paris is the capital."),
        true,
        1.0,
        "Output starts with \"Yes\"");
  }

  @Test
  void shouldFailStartsWithWhenValueOnlyAppearsLater() {
    assertResult(
        check("starts-with", "Yes", "Well... Yes."),
        false,
        0.0,
        "Expected output to start with \"Yes\"");
  }

  @Test
  void shouldFailStartsWithWhenOutputHasLeadingSpace() {
    assertEquals(false, check("starts-with", "Yes", " Yes").pass());
  }

  @Test
  void shouldPassNotStartsWithWhenOutputBeginsDifferently() {
    assertResult(
        check("not-starts-with", "Sorry", "Paris."),
        true,
        1.0,
        "Output does not start with \"Sorry\"");
  }

  @Test
  void shouldPassRegexWhenPatternFoundAnywhereInOutput() {
    assertResult(
        check("regex", "\\d{3}-\\d{4}", "Call 555-1234 today"),
        true,
        1.0,
        "Output matches regex \"\\d{3}-\\d{4}\"");
  }

  @Test
  void shouldFailRegexWhenAnchoredPatternDoesNotMatchStart() {
    assertResult(
        check("regex", "^Yes", "No, yes"), false, 0.0, "Expected output to match regex \"^Yes\"");
  }

  @Test
  void shouldHonourInlineFlagsInRegex() {
    assertEquals(true, check("regex", "(?i)^yes\\b", "YES, it is").pass());
  }

  @Test
  void shouldFailNotRegexWhenPatternFound() {
    assertResult(
        check("not-regex", "(?i)as an ai", "As an AI, I cannot"),
        false,
        0.0,
        "Expected output not to match regex \"(?i)as an ai\"");
  }

  @Test
  void shouldPassNotRegexWhenPatternAbsent() {
    assertResult(
        check("not-regex", "\\d", "no digits here"),
        true,
        1.0,
        "Output does not match regex \"\\d\"");
  }

  @Test
  void shouldReuseOneCompiledRegexAcrossThreads() {
    Assertion regex = Assertions.compile(spec("regex", "answer: (\\d+)"));

    long passes =
        IntStream.range(0, 10_000)
            .parallel()
            .filter(i -> regex.evaluate(output(i % 2 == 0 ? "answer: " + i : "none " + i)).pass())
            .count();

    assertEquals(5_000, passes);
  }
}
