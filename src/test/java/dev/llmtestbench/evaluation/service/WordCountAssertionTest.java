package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * word-count, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#word-count (an exact
 * number, or {min, max} with either bound, inclusive; words split on whitespace).
 */
class WordCountAssertionTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | 0",
        "'   \n\t ' | 0",
        "one | 1",
        "'  two   words  ' | 2",
        "state-of-the-art results, again. | 3",
        "'tab\tand\nnewline' | 3",
        "'no\u00A0break\u2003em space' | 4",
      })
  void shouldCountRunsBetweenWhitespace(String text, int words) {
    assertEquals(words, WordCountAssertion.count(text));
  }

  @Test
  void shouldPassAnExactCount() {
    assertResult(
        check("word-count", "3", "Paris is lovely"), true, 1.0, "Output has 3 words, exactly 3");
    assertResult(
        check("word-count", "3", "Paris is very lovely"),
        false,
        0.0,
        "Expected a word count of exactly 3, got 4");
  }

  @Test
  void shouldPassARangeInclusively() {
    String range = "{\"min\": 2, \"max\": 3}";

    assertEquals(false, check("word-count", range, "One").pass());
    assertEquals(true, check("word-count", range, "One two").pass());
    assertEquals(true, check("word-count", range, "One two three").pass());
    assertResult(
        check("word-count", range, "One two three four"),
        false,
        0.0,
        "Expected a word count of between 2 and 3, got 4");
  }

  @Test
  void shouldAcceptOneSidedRanges() {
    assertResult(
        check("word-count", "{\"max\": 1}", "Too many"),
        false,
        0.0,
        "Expected a word count of at most 1, got 2");
    assertResult(
        check("word-count", "{\"min\": 1}", ""),
        false,
        0.0,
        "Expected a word count of at least 1, got 0");
  }

  @Test
  void shouldInvertWhenNegated() {
    assertResult(
        check("not-word-count", "{\"max\": 2}", "one two three"),
        true,
        1.0,
        "Output has 3 words, not at most 2");
    assertResult(
        check("not-word-count", "1", "single"),
        false,
        0.0,
        "Expected a word count other than exactly 1, got 1");
  }

  @Test
  void shouldSayOneWordInTheSingular() {
    assertEquals("Output has 1 word, exactly 1", check("word-count", "1", "x").reason());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | 'value' is required: the number of words, e.g. 50, or {\"min\": 20, \"max\": 100}.",
        "-1 | 'value' must be a whole number of 0 or more, not the number -1.",
        "2.5 | 'value' must be a whole number of 0 or more, not the number 2.5.",
        "'\"ten\"' | 'value' must be a number of words, e.g. 50, or {\"min\": 20, \"max\": 100},"
            + " not the string \"ten\".",
        "{} | 'value' must give \"min\", \"max\" or both, e.g. 50, or {\"min\": 20, \"max\": 100}.",
        "'{\"min\": 5, \"max\": 2}' | 'min' (5) is greater than 'max' (2).",
        "'{\"minimum\": 5}' | 'value' has the unknown key \"minimum\". Allowed keys: max, min.",
      })
  void shouldRejectInvalidValues(String value, String problem) {
    assertEquals("Assertion ('word-count'): " + problem, rejection("word-count", value));
  }
}
