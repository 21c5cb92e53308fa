package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.call;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * finish-reason, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#finish-reason
 * (case-insensitive; Anthropic's end_turn, max_tokens, tool_use, stop_sequence and refusal map to
 * stop, length, tool_calls, stop and content_filter), plus Gemini's upper-case reasons.
 */
class FinishReasonAssertionTest {

  private static AssertionResult check(String type, String value, String finishReason) {
    return Fixtures.check(spec(type, value), call("out", finishReason, null, List.of()));
  }

  @ParameterizedTest
  @CsvSource({
    "stop, stop",
    "stop, end_turn",
    "stop, stop_sequence",
    "stop, STOP",
    "Stop, stop",
    "length, length",
    "length, max_tokens",
    "length, MAX_TOKENS",
    "max_tokens, length",
    "tool_calls, tool_calls",
    "tool_calls, tool_use",
    "tool_calls, function_call",
    "tool_calls, tool-calls",
    "tool_use, tool_calls",
    "content_filter, content_filter",
    "content_filter, SAFETY",
    "content_filter, refusal",
    "content_filter, RECITATION",
    "SAFETY, content-filter",
  })
  void shouldMatchSynonymsOfTheSameStandardReason(String value, String reported) {
    assertEquals(true, check("finish-reason", value, reported).pass());
  }

  @Test
  void shouldNameBothReasonsWhenTheyDiffer() {
    assertResult(
        check("finish-reason", "stop", "max_tokens"),
        false,
        0.0,
        "Expected finish reason stop, got \"max_tokens\" (length)");
    assertResult(
        check("finish-reason", "stop", "end_turn"),
        true,
        1.0,
        "Finish reason \"end_turn\" (stop) is stop");
  }

  @Test
  void shouldNotMatchAProvidersOtherReasons() {
    assertResult(
        check("finish-reason", "stop", "pause_turn"),
        false,
        0.0,
        "Expected finish reason stop, got \"pause_turn\"");
  }

  @Test
  void shouldInvertWhenNegated() {
    assertResult(
        check("not-finish-reason", "length", "stop"),
        true,
        1.0,
        "Finish reason \"stop\" is not length");
    assertResult(
        check("not-finish-reason", "length", "MAX_TOKENS"),
        false,
        0.0,
        "Expected a finish reason other than length, got \"MAX_TOKENS\" (length)");
  }

  @Test
  void shouldFailNegatedOrNotWithoutAFinishReason() {
    for (String type : new String[] {"finish-reason", "not-finish-reason"}) {
      assertResult(check(type, "stop", null), false, 0.0, "The provider reported no finish reason");
    }
  }

  @Test
  void shouldRejectUnknownOrMissingReasons() {
    assertEquals(
        "Assertion ('finish-reason'): unknown finish reason \"stopped\". Give the reason the model"
            + " should stop for: stop, length, tool_calls or content_filter (provider spellings"
            + " such as end_turn, max_tokens, tool_use or SAFETY are accepted too).",
        rejection("finish-reason", "stopped"));
    assertEquals(
        "Assertion ('finish-reason'): 'value' is required: the reason the model should stop for:"
            + " stop, length, tool_calls or content_filter (provider spellings such as end_turn,"
            + " max_tokens, tool_use or SAFETY are accepted too).",
        rejection("finish-reason", null));
  }
}
