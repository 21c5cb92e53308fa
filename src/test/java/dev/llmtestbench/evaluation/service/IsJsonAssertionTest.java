package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsJsonAssertionTest {

  @Test
  void shouldPassIsJsonForAnObject() {
    AssertionResult result =
        check("is-json", null, "{\"city\": \"Paris\", \"population\": 2102650}");

    assertTrue(result.pass());
    assertEquals(1.0, result.score());
    assertEquals("Output is valid JSON", result.reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1, 2, 3]", "\n  {\"a\": [true, null]}\n", "42", "\"Paris\"", "null"})
  void shouldPassIsJsonForAnySingleJsonValueWithSurroundingWhitespace(String output) {
    assertTrue(check("is-json", null, output).pass());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "```json\n{\"a\": 1}\n```",
        "{\"a\": 1} Hope this helps!",
        "{} {}",
        "{\"a\": ",
        "{'a': 1}",
        "[1, 2,]",
        "Paris"
      })
  void shouldFailIsJsonUnlessTheWholeOutputIsOneJsonValue(String output) {
    AssertionResult result = check("is-json", null, output);

    assertFalse(result.pass());
    assertEquals(0.0, result.score());
    assertTrue(result.reason().startsWith("Expected output to be valid JSON: "), result.reason());
  }

  @Test
  void shouldFailIsJsonWithParserPositionInReason() {
    assertEquals(
        "Expected output to be valid JSON: Unexpected char 39 at (line no=1, column no=2,"
            + " offset=1)",
        check("is-json", null, "{'a': 1}").reason());
  }

  @Test
  void shouldFailIsJsonForEmptyOutput() {
    assertEquals(
        "Expected output to be valid JSON: the output is empty",
        check("is-json", null, "  \n").reason());
  }

  @Test
  void shouldFailIsJsonWithoutThrowingForHostilelyDeepNesting() {
    AssertionResult result = check("is-json", null, "[".repeat(5_000) + "]".repeat(5_000));

    assertFalse(result.pass());
  }

  @Test
  void shouldPassNotIsJsonForPlainText() {
    AssertionResult result = check("not-is-json", null, "Paris");

    assertTrue(result.pass());
    assertEquals(1.0, result.score());
    assertTrue(result.reason().startsWith("Output is not valid JSON: "), result.reason());
  }

  @Test
  void shouldFailNotIsJsonForJson() {
    AssertionResult result = check("not-is-json", null, "{}");

    assertFalse(result.pass());
    assertEquals("Expected output not to be valid JSON", result.reason());
  }
}
