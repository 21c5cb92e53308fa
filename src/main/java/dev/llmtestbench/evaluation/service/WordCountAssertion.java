package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;

/**
 * {@code word-count}: the output has exactly a number of words, or a number within a range, as in
 * promptfoo. Words are runs of characters between Unicode whitespace (including no-break spaces),
 * so "state-of-the-art" is one word and so is "—".
 */
final class WordCountAssertion extends BaseAssertion {

  private final int min;
  private final int max;
  private final String wanted;

  /**
   * Creates the assertion.
   *
   * @param min the fewest words, 0 for no minimum
   * @param max the most words, or -1 for no maximum
   */
  WordCountAssertion(Settings settings, int min, int max) {
    super(settings);
    this.min = min;
    this.max = max;
    if (min == max) {
      this.wanted = "exactly " + min;
    } else if (max < 0) {
      this.wanted = "at least " + min;
    } else if (min == 0) {
      this.wanted = "at most " + max;
    } else {
      this.wanted = "between " + min + " and " + max;
    }
  }

  /**
   * Creates the assertion from its value: a whole number for an exact count, or a JSON object
   * {@code {"min": 10, "max": 50}} with either or both bounds (inclusive).
   */
  static WordCountAssertion of(Settings settings, String value, AssertionValues.Problems problems) {
    String example = "50, or {\"min\": 20, \"max\": 100}";
    if (value == null || value.isBlank()) {
      throw problems.apply("'value' is required: the number of words, e.g. " + example + ".");
    }
    JsonValue json = AssertionValues.json(value, "a number of words, e.g. " + example, problems);
    if (json instanceof JsonNumber) {
      int count = AssertionValues.count(json, "'value'", problems);
      return new WordCountAssertion(settings, count, count);
    }
    if (!(json instanceof JsonObject)) {
      throw problems.apply(
          "'value' must be a number of words, e.g. "
              + example
              + ", not "
              + JsonSupport.describe(json)
              + ".");
    }
    JsonObject range = AssertionValues.jsonObject(value, Set.of("min", "max"), example, problems);
    JsonValue min = range.get("min");
    JsonValue max = range.get("max");
    if (min == null && max == null) {
      throw problems.apply("'value' must give \"min\", \"max\" or both, e.g. " + example + ".");
    }
    int low = min == null ? 0 : AssertionValues.count(min, "'min'", problems);
    int high = max == null ? -1 : AssertionValues.count(max, "'max'", problems);
    if (high >= 0 && low > high) {
      throw problems.apply("'min' (" + low + ") is greater than 'max' (" + high + ").");
    }
    return new WordCountAssertion(settings, low, high);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    int words = count(ctx.output());
    boolean within = words >= min && (max < 0 || words <= max);
    String counted = words + (words == 1 ? " word" : " words");
    if (within != negated) {
      return result(
          true,
          within
              ? "Output has " + counted + ", " + wanted
              : "Output has " + counted + ", not " + wanted);
    }
    return result(
        false,
        (negated ? "Expected a word count other than " : "Expected a word count of ")
            + wanted
            + ", got "
            + words);
  }

  /** Counts the runs of non-whitespace characters. */
  static int count(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }
}
