package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * is-json, with an optional JSON Schema as in promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#is-json. Only a
 * subset of JSON Schema is checked (see {@link JsonSchemaSubset} and JsonSchemaSubsetTest).
 */
class IsJsonAssertionTest {

  /** promptfoo's documented example schema. */
  static final String LAT_LONG =
      "{\"required\": [\"latitude\", \"longitude\"], \"type\": \"object\", \"properties\": {"
          + "\"latitude\": {\"type\": \"number\", \"minimum\": -90, \"maximum\": 90},"
          + "\"longitude\": {\"type\": \"number\", \"minimum\": -180, \"maximum\": 180}}}";

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

  @Test
  void shouldPassIsJsonWhenOutputConformsToSchema() {
    assertResult(
        check("is-json", LAT_LONG, "{\"latitude\": 48.85, \"longitude\": 2.35}"),
        true,
        1.0,
        "Output is JSON that conforms to the schema");
  }

  @Test
  void shouldFailIsJsonWhenOutputBreaksSchemaSayingWhere() {
    assertResult(
        check("is-json", LAT_LONG, "{\"latitude\": 148.85, \"longitude\": 2.35}"),
        false,
        0.0,
        "Expected output to conform to the schema: $.latitude is 148.85, greater than the maximum"
            + " 90");
    assertResult(
        check("is-json", LAT_LONG, "{\"latitude\": 48.85}"),
        false,
        0.0,
        "Expected output to conform to the schema: $ lacks the required property \"longitude\"");
  }

  @Test
  void shouldFailIsJsonWithSchemaWhenOutputIsNotJson() {
    assertResult(
        check("is-json", LAT_LONG, "Paris"),
        false,
        0.0,
        "Expected output to be JSON that conforms to the schema, but it is not valid JSON:"
            + " Unexpected char 80 at (line no=1, column no=1, offset=0)");
    assertResult(
        check("is-json", LAT_LONG, " "),
        false,
        0.0,
        "Expected output to be JSON that conforms to the schema: the output is empty");
  }

  @Test
  void shouldPassNotIsJsonWithSchemaWhenJsonBreaksIt() {
    assertResult(
        check("not-is-json", LAT_LONG, "{\"latitude\": \"north\", \"longitude\": 2}"),
        true,
        1.0,
        "Output is JSON that does not conform to the schema: $.latitude is the string \"north\","
            + " expected number");
    assertResult(
        check("not-is-json", LAT_LONG, "{\"latitude\": 1, \"longitude\": 2}"),
        false,
        0.0,
        "Expected output not to be JSON that conforms to the schema");
  }

  @Test
  void shouldRejectSchemaWithUnsupportedKeywordAtCompileTime() {
    assertEquals(
        "Assertion ('is-json'): JSON Schema keyword \"pattern\" (at 'properties.zip') is not"
            + " supported. Only a subset of JSON Schema is checked: "
            + JsonSchemaSubset.SUPPORTED
            + ".",
        rejection(
            "is-json",
            "{\"properties\": {\"zip\": {\"type\": \"string\", \"pattern\": \"^[0-9]{5}$\"}}}"));
  }

  @Test
  void shouldRejectSchemaThatIsNotJson() {
    assertEquals(
        "Assertion ('is-json'): 'value' must be a JSON Schema object, but it is not valid JSON"
            + " (Unexpected char 121 at (line no=1, column no=2, offset=1), expecting 'r').",
        rejection("is-json", "type: object"));
  }
}
