package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.IsJsonAssertionTest.LAT_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * contains-json, with an optional JSON Schema, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#contains-json.
 */
class ContainsJsonAssertionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Here you go:\n```json\n{\"city\": \"Paris\"}\n```\nAnything else?",
        "The list is [1, 2, 3].",
        "{\"a\": 1}",
        "Note {this is not JSON} but {\"this\": \"is\"}",
        "Unbalanced { then [\"fine\"]",
      })
  void shouldPassWhenAJsonObjectOrArrayAppearsAnywhere(String output) {
    assertResult(check("contains-json", null, output), true, 1.0, "Output contains JSON");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "The answer is 42.",
        "Use {curly braces} and [square brackets].",
        "{\"a\": 1",
        "{'single': 'quotes'}",
        "",
      })
  void shouldFailWhenNoJsonObjectOrArrayAppears(String output) {
    assertResult(
        check("contains-json", null, output),
        false,
        0.0,
        "Expected output to contain JSON: it has no JSON object or array");
  }

  @Test
  void shouldPassNotContainsJsonForProse() {
    assertResult(
        check("not-contains-json", null, "No structure here."),
        true,
        1.0,
        "Output has no JSON object or array");
    assertResult(
        check("not-contains-json", null, "see {\"a\": 1}"),
        false,
        0.0,
        "Expected output not to contain JSON");
  }

  @Test
  void shouldPassWhenOneOfSeveralJsonValuesConformsToTheSchema() {
    String output =
        "First try: {\"latitude\": 100, \"longitude\": 0}. Corrected:\n"
            + "```json\n{\"latitude\": 48.85, \"longitude\": 2.35}\n```";

    assertResult(
        check("contains-json", LAT_LONG, output),
        true,
        1.0,
        "Output contains JSON that conforms to the schema");
  }

  @Test
  void shouldFailWithTheFirstViolationWhenNoJsonConforms() {
    String output = "{\"latitude\": 100, \"longitude\": 0} and {\"latitude\": 1}";

    assertResult(
        check("contains-json", LAT_LONG, output),
        false,
        0.0,
        "Expected output to contain JSON that conforms to the schema, but none does; the first"
            + " found: $.latitude is 100, greater than the maximum 90");
  }

  @Test
  void shouldCheckTheOutermostValueOnlyAgainstTheSchema() {
    // The conforming object is nested in another value, which is checked as a whole.
    assertEquals(
        false,
        check("contains-json", LAT_LONG, "{\"at\": {\"latitude\": 1, \"longitude\": 2}}").pass());
  }

  @Test
  void shouldPassNotContainsJsonWithSchemaWhenOnlyNonConformingJsonAppears() {
    assertResult(
        check("not-contains-json", LAT_LONG, "{\"latitude\": 1}"),
        true,
        1.0,
        "Output contains no JSON that conforms to the schema; the first found: $ lacks the"
            + " required property \"longitude\"");
  }

  @Test
  void shouldGiveUpWithoutThrowingOnHostileBracketRuns() {
    String hostile = "[".repeat(20_000) + "{".repeat(20_000) + " x";

    assertResult(
        check("not-contains-json", null, hostile),
        false,
        0.0,
        "Gave up looking for JSON: the output has too much malformed JSON-like text to scan");
  }

  @Test
  void shouldRejectSchemaWithUnsupportedKeyword() {
    assertTrue(
        rejection("contains-json", "{\"oneOf\": []}")
            .startsWith("Assertion ('contains-json'): JSON Schema keyword \"oneOf\" is not"));
  }
}
