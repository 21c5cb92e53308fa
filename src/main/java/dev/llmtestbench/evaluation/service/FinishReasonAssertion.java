package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.Locale;
import java.util.Map;

/**
 * {@code finish-reason}: the model stopped for the expected reason, as in promptfoo, comparing
 * regardless of case, and with the reasons of OpenAI, Anthropic, Google Gemini and the Vercel AI
 * SDK mapped to promptfoo's four standard ones, on both sides:
 *
 * <ul>
 *   <li>{@code stop}: {@code stop}, {@code end_turn}, {@code stop_sequence}, Gemini's {@code STOP};
 *   <li>{@code length}: {@code length}, {@code max_tokens}, {@code MAX_TOKENS};
 *   <li>{@code tool_calls}: {@code tool_calls}, {@code tool_use}, {@code function_call}, {@code
 *       tool-calls};
 *   <li>{@code content_filter}: {@code content_filter}, {@code content-filter}, {@code refusal},
 *       and Gemini's {@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code
 *       PROHIBITED_CONTENT}, {@code SPII} and {@code IMAGE_SAFETY}.
 * </ul>
 *
 * <p>The value must be one of these. A provider's other reasons compare as they are, so they never
 * equal the value. Without a finish reason the assertion fails, negated or not.
 */
final class FinishReasonAssertion extends BaseAssertion {

  private static final Map<String, String> STANDARD =
      Map.ofEntries(
          Map.entry("stop", "stop"),
          Map.entry("end_turn", "stop"),
          Map.entry("stop_sequence", "stop"),
          Map.entry("length", "length"),
          Map.entry("max_tokens", "length"),
          Map.entry("tool_calls", "tool_calls"),
          Map.entry("tool_use", "tool_calls"),
          Map.entry("function_call", "tool_calls"),
          Map.entry("tool-calls", "tool_calls"),
          Map.entry("content_filter", "content_filter"),
          Map.entry("content-filter", "content_filter"),
          Map.entry("refusal", "content_filter"),
          Map.entry("safety", "content_filter"),
          Map.entry("recitation", "content_filter"),
          Map.entry("blocklist", "content_filter"),
          Map.entry("prohibited_content", "content_filter"),
          Map.entry("spii", "content_filter"),
          Map.entry("image_safety", "content_filter"));

  private final String expected;

  private FinishReasonAssertion(Settings settings, String expected) {
    super(settings);
    this.expected = expected;
  }

  /** Creates the assertion for a configured reason, rejecting reasons it could never see. */
  static FinishReasonAssertion of(
      Settings settings, String value, AssertionValues.Problems problems) {
    String standard = value == null ? null : STANDARD.get(value.strip().toLowerCase(Locale.ROOT));
    if (standard == null) {
      throw problems.apply(
          (value == null || value.isBlank()
                  ? "'value' is required: "
                  : "unknown finish reason " + quote(value) + ". Give ")
              + "the reason the model should stop for: stop, length, tool_calls or"
              + " content_filter (provider spellings such as end_turn, max_tokens, tool_use or"
              + " SAFETY are accepted too).");
    }
    return new FinishReasonAssertion(settings, standard);
  }

  /** Maps a provider's finish reason to promptfoo's standard one, or to itself in lower case. */
  static String standard(String reason) {
    String lower = reason.strip().toLowerCase(Locale.ROOT);
    return STANDARD.getOrDefault(lower, lower);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String reported = ctx.finishReason();
    if (reported == null || reported.isBlank()) {
      return error("The provider reported no finish reason");
    }
    String actual = standard(reported);
    boolean equal = actual.equals(expected);
    String shown =
        actual.equals(reported) ? quote(reported) : quote(reported) + " (" + actual + ")";
    if (equal != negated) {
      return result(
          true,
          equal
              ? "Finish reason " + shown + " is " + expected
              : "Finish reason " + shown + " is not " + expected);
    }
    return result(
        false,
        equal
            ? "Expected a finish reason other than " + expected + ", got " + shown
            : "Expected finish reason " + expected + ", got " + shown);
  }
}
