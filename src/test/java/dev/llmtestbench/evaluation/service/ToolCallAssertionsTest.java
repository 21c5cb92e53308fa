package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static dev.llmtestbench.evaluation.service.Fixtures.tool;
import static dev.llmtestbench.evaluation.service.Fixtures.toolCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * is-valid-openai-tools-call and tool-call-f1, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#is-valid-openai-tools-call
 * and #tool-call-f1 (whose scoring table the F1 tests reproduce), over the provider's tool calls.
 */
class ToolCallAssertionsTest {

  private static final String TOOLS =
      "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\":"
          + " {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}},"
          + " \"required\": [\"city\"]}}},"
          + " {\"type\": \"function\", \"name\": \"book_flight\", \"parameters\": {}},"
          + " {\"type\": \"web_search\"}]";

  private static AssertionResult check(String type, String value, EvaluationContext ctx) {
    return Fixtures.check(spec(type, value), ctx);
  }

  private static AssertionResult f1(String value, Double threshold, EvaluationContext ctx) {
    return Fixtures.check(
        new AssertionSpec("tool-call-f1", value, threshold, null, null, null, null), ctx);
  }

  @Test
  void shouldPassWhenEveryCallHasANameAndObjectArguments() {
    assertResult(
        check(
            "is-valid-openai-tools-call",
            null,
            toolCalls(tool("get_weather", "{\"city\": \"Paris\"}"), tool("ping", "{}"))),
        true,
        1.0,
        "All 2 tool calls are valid");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | '{}' | tool call 1 has no name",
        "f | '' | tool call 1 (f) has no arguments; expected a JSON object such as {}",
        "f | '[1]' | tool call 1 (f) has arguments that are an array, not a JSON object",
        "f | {'city': 1} | tool call 1 (f) has arguments that are not valid JSON: Unexpected char"
            + " 39 at (line no=1, column no=2, offset=1)",
      })
  void shouldFailACallWithoutNameOrObjectArguments(String name, String arguments, String problem) {
    assertResult(
        check("is-valid-openai-tools-call", null, toolCalls(tool(name, arguments))),
        false,
        0.0,
        "Expected valid tool calls: " + problem);
  }

  @Test
  void shouldFailWhenTheModelMadeNoToolCalls() {
    assertResult(
        check("is-valid-openai-tools-call", null, toolCalls()),
        false,
        0.0,
        "Expected valid tool calls: the model made no tool calls");
    assertResult(
        check("not-is-valid-openai-tools-call", null, toolCalls()),
        true,
        1.0,
        "Tool calls are not valid: the model made no tool calls");
  }

  @Test
  void shouldCheckNamesAndRequiredArgumentsAgainstToolDefinitions() {
    assertResult(
        check(
            "is-valid-openai-tools-call",
            TOOLS,
            toolCalls(tool("get_weather", "{\"city\": \"Paris\"}"), tool("book_flight", "{}"))),
        true,
        1.0,
        "All 2 tool calls are valid");
    assertResult(
        check("is-valid-openai-tools-call", TOOLS, toolCalls(tool("get_weather", "{}"))),
        false,
        0.0,
        "Expected valid tool calls: tool call 1 (get_weather) lacks the required argument"
            + " \"city\"");
    assertResult(
        check("is-valid-openai-tools-call", TOOLS, toolCalls(tool("web_search", "{}"))),
        false,
        0.0,
        "Expected valid tool calls: tool call 1 (web_search) names no defined function; defined:"
            + " get_weather, book_flight");
  }

  @Test
  void shouldFailNotIsValidWhenTheCallIsValid() {
    assertResult(
        check("not-is-valid-openai-tools-call", null, toolCalls(tool("ping", "{}"))),
        false,
        0.0,
        "Expected an invalid tool call, but the tool call is valid");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'{\"type\": \"function\"}' | 'value' must be a JSON array of tool definitions such as",
        "'[1]' | tool 1 of 'value' must be an object such as",
        "'[{\"type\": \"function\", \"function\": {}}]' | tool 1 of 'value' has no function name.",
        "'[{\"type\": \"web_search\"}]' | 'value' defines no function tools.",
        "'[{\"name\": \"a\"}, {\"name\": \"a\"}]' | tool 2 of 'value' defines \"a\" again.",
        "'[{\"name\": \"a\", \"parameters\": {\"required\": \"x\"}}]' | tool 1 of 'value' has a"
            + " 'required' that is not an array of argument names.",
      })
  void shouldRejectMalformedToolDefinitions(String value, String problem) {
    String message = rejection("is-valid-openai-tools-call", value);

    assertTrue(message.startsWith("Assertion ('is-valid-openai-tools-call'): " + problem), message);
  }

  @Test
  void shouldScoreToolCallF1AsInPromptfoosTable() {
    String expected = "[\"get_weather\", \"book_flight\"]";

    assertEquals(
        1.0,
        f1(expected, null, toolCalls(tool("get_weather", "{}"), tool("book_flight", "{}")))
            .score());
    assertEquals(2.0 / 3.0, f1(expected, null, toolCalls(tool("get_weather", "{}"))).score(), 1e-9);
    assertEquals(
        0.8,
        f1(
                expected,
                null,
                toolCalls(
                    tool("get_weather", "{}"), tool("book_flight", "{}"), tool("search", "{}")))
            .score(),
        1e-9);
    assertEquals(0.0, f1("[\"get_weather\"]", null, toolCalls(tool("book_flight", "{}"))).score());
  }

  @Test
  void shouldRequireAPerfectF1ByDefault() {
    assertResult(
        f1("get_weather, book_flight", null, toolCalls(tool("get_weather", "{}"))),
        false,
        2.0 / 3.0,
        "Tool call F1 0.667 (precision 1.000, recall 0.500); expected [get_weather,"
            + " book_flight], called [get_weather]; expected at least 1");
    assertResult(
        f1("get_weather", null, toolCalls(tool("get_weather", "{}"))),
        true,
        1.0,
        "Tool call F1 1.000 (precision 1.000, recall 1.000); expected [get_weather], called"
            + " [get_weather]");
  }

  @Test
  void shouldPassPartialMatchesAtALowerThreshold() {
    assertEquals(
        true,
        f1("[\"get_weather\", \"book_flight\"]", 0.6, toolCalls(tool("get_weather", "{}"))).pass());
  }

  @Test
  void shouldCountRepeatedCallsAsAMultiset() {
    // Calling get_weather twice when it was expected once: precision 1/2, recall 1, F1 2/3.
    assertEquals(
        2.0 / 3.0,
        f1(
                "[\"get_weather\"]",
                null,
                toolCalls(tool("get_weather", "{}"), tool("get_weather", "{}")))
            .score(),
        1e-9);
    // Expected twice, called twice: a perfect match.
    assertEquals(
        1.0,
        f1(
                "[\"get_weather\", \"get_weather\"]",
                null,
                toolCalls(tool("get_weather", "{}"), tool("get_weather", "{}")))
            .score());
  }

  @Test
  void shouldAcceptNameObjectsAsExpectedTools() {
    assertEquals(
        true,
        f1("[{\"name\": \"get_weather\"}]", null, toolCalls(tool("get_weather", "{}"))).pass());
  }

  @Test
  void shouldScoreZeroWithoutCalls() {
    assertResult(
        f1("get_weather", null, toolCalls()),
        false,
        0.0,
        "Tool call F1 0.000 (precision 0.000, recall 0.000); expected [get_weather], called [];"
            + " expected at least 1");
  }

  @Test
  void shouldInvertPassAndScoreWhenNegated() {
    assertResult(
        Fixtures.check(
            spec("not-tool-call-f1", "[\"delete_account\"]"), toolCalls(tool("get_weather", "{}"))),
        true,
        1.0,
        "Tool call F1 0.000 (precision 0.000, recall 0.000); expected [delete_account], called"
            + " [get_weather]");
  }

  @Test
  void shouldRejectEmptyOrMalformedExpectedTools() {
    assertTrue(rejection("tool-call-f1", null).contains("'value' is required"));
    assertTrue(rejection("tool-call-f1", "[]").contains("'value' lists no tools."));
    assertTrue(rejection("tool-call-f1", "[1]").contains("item 1 of 'value' is not a tool name."));
    assertTrue(
        rejection(new AssertionSpec("tool-call-f1", "a", 1.5, null, null, null, null))
            .contains("threshold 1.5 is out of range"));
  }
}
