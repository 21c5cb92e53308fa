package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * contains-any, contains-all, icontains-any and icontains-all, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#contains-any and
 * #contains-all (values as a list or comma-separated text, quoted fields may hold commas).
 */
class TextListAssertionTest {

  private static final String ANSWER = "Paris is the capital of France; Lyon is its third city.";

  @Test
  void shouldPassContainsAnyWhenOneTextOccurs() {
    assertResult(
        check("contains-any", "[\"Berlin\", \"Lyon\"]", ANSWER),
        true,
        1.0,
        "Output contains \"Lyon\" of [\"Berlin\", \"Lyon\"]");
  }

  @Test
  void shouldFailContainsAnyWhenNoTextOccurs() {
    assertResult(
        check("contains-any", "[\"Berlin\", \"Rome\"]", ANSWER),
        false,
        0.0,
        "Expected output to contain one of [\"Berlin\", \"Rome\"]");
  }

  @Test
  void shouldMatchContainsAnyCaseSensitively() {
    assertEquals(false, check("contains-any", "[\"paris\"]", ANSWER).pass());
    assertEquals(true, check("icontains-any", "[\"paris\"]", ANSWER).pass());
  }

  @Test
  void shouldPassContainsAllOnlyWhenEveryTextOccurs() {
    assertResult(
        check("contains-all", "[\"Paris\", \"Lyon\"]", ANSWER),
        true,
        1.0,
        "Output contains all of [\"Paris\", \"Lyon\"]");
    assertResult(
        check("contains-all", "[\"Paris\", \"Nice\", \"Lyon\"]", ANSWER),
        false,
        0.0,
        "Expected output to contain all of [\"Paris\", \"Nice\", \"Lyon\"]; missing \"Nice\"");
  }

  @Test
  void shouldIgnoreCaseInIcontainsAll() {
    assertResult(
        check("icontains-all", "[\"PARIS\", \"france\"]", ANSWER),
        true,
        1.0,
        "Output contains all of [\"PARIS\", \"france\"] (ignoring case)");
    assertEquals(false, check("contains-all", "[\"PARIS\", \"france\"]", ANSWER).pass());
  }

  @Test
  void shouldPassNotContainsAnyWhenNoTextOccurs() {
    assertResult(
        check("not-icontains-any", "[\"as an AI\", \"sorry\"]", ANSWER),
        true,
        1.0,
        "Output contains none of [\"as an AI\", \"sorry\"] (ignoring case)");
  }

  @Test
  void shouldFailNotContainsAnyNamingTheTextFound() {
    assertResult(
        check("not-icontains-any", "[\"as an AI\", \"sorry\"]", "Sorry, I cannot."),
        false,
        0.0,
        "Expected output to contain none of [\"as an AI\", \"sorry\"] (ignoring case); found"
            + " \"sorry\"");
  }

  @Test
  void shouldPassNotContainsAllWhenOneTextIsMissing() {
    assertResult(
        check("not-contains-all", "[\"Paris\", \"Nice\"]", ANSWER),
        true,
        1.0,
        "Output does not contain \"Nice\" of [\"Paris\", \"Nice\"]");
    assertResult(
        check("not-contains-all", "[\"Paris\", \"Lyon\"]", ANSWER),
        false,
        0.0,
        "Expected output not to contain all of [\"Paris\", \"Lyon\"]");
  }

  @Test
  void shouldFailContainsAnyAgainstEmptyOutput() {
    assertEquals(false, check("contains-any", "a, b", "").pass());
    assertEquals(true, check("not-contains-all", "a, b", "").pass());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // value | output that contains only the second item
        "Berlin, Lyon | Lyon",
        "' Berlin ,Lyon ' | Lyon",
        "Berlin,,, Lyon | Lyon",
        "'\"Berlin, Germany\", Lyon' | Lyon",
        "'\"Berlin \\\"Mitte\\\"\", Lyon' | Lyon",
        "'\"Berlin \"\"Mitte\"\"\", Lyon' | Lyon",
      })
  void shouldSplitCommaSeparatedValuesAsPromptfooDoes(String value, String output) {
    assertEquals(true, check("contains-any", value, output).pass(), value);
    assertEquals(false, check("contains-all", value, output).pass(), value);
  }

  @Test
  void shouldKeepCommasInsideQuotedItems() {
    assertEquals(true, check("contains-all", "\"1,000\", in stock", "1,000 in stock").pass());
    assertEquals(false, check("contains-all", "\"1,000\", in stock", "1000 in stock").pass());
    assertEquals(
        true, check("contains-any", "\"Berlin \\\"Mitte\\\"\"", "in Berlin \"Mitte\"").pass());
  }

  @Test
  void shouldAcceptNumbersInAJsonList() {
    assertEquals(true, check("contains-any", "[42, \"none\"]", "The answer is 42.").pass());
  }

  @Test
  void shouldRejectMissingValue() {
    assertEquals(
        "Assertion ('contains-any'): 'value' is required: the texts to look for in the output, as"
            + " a JSON array (e.g. [\"Paris\", \"Lyon\"]) or comma-separated text.",
        rejection("contains-any", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", " , , ", "[\"a\", \"\"]"})
  void shouldRejectListsThatAreEmptyOrHaveAnEmptyText(String value) {
    String message = rejection("icontains-all", value);

    assertEquals(
        true,
        message.contains("lists no texts") || message.contains("would match every output"),
        message);
  }

  @Test
  void shouldRejectInvalidJsonListWithParserMessage() {
    assertEquals(
        "Assertion ('contains-all'): 'value' must be a JSON array of the texts to look for in the"
            + " output, but it is not valid JSON (Unexpected char 39 at (line no=1, column no=2,"
            + " offset=1)).",
        rejection("contains-all", "['a']"));
  }

  @Test
  void shouldRejectJsonListWithObjects() {
    assertEquals(
        "Assertion ('contains-any'): item 2 of 'value' is an object. List texts only, e.g."
            + " [\"Paris\", \"Lyon\"].",
        rejection("contains-any", "[\"a\", {\"b\": 1}]"));
  }

  @Test
  void shouldRejectUnclosedQuote() {
    assertEquals(
        "Assertion ('contains-any'): 'value' has a quoted text that is never closed: \"\"b, c\"."
            + " Close it with a double quote.",
        rejection("contains-any", "a, \"b, c"));
  }

  @Test
  void shouldRejectTextAfterQuotedItem() {
    assertEquals(
        "Assertion ('contains-any'): 'value' has text after a quoted item: \"x, c\". Separate"
            + " items with commas.",
        rejection("contains-any", "\"a\" x, c"));
  }
}
