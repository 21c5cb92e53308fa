package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code numeric-answer}: the output's final number equals the reference's, as in the GSM8K task of
 * lm-evaluation-harness.
 */
final class NumericAnswerAssertion extends BaseAssertion {

  // lm-eval's "strict-match" ("#### (\-?[0-9\.\,]+)"), relaxed to accept "####72" and "#### $72".
  private static final Pattern STRICT = Pattern.compile("####\\s*(-?\\$?[0-9.,]+)");
  // lm-eval's "flexible-extract", of which the last match is the answer.
  private static final Pattern FLEXIBLE = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");
  // What remains of a candidate after normalising must be a plain decimal for BigDecimal.
  private static final Pattern DECIMAL = Pattern.compile("-?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)");

  /** The reference from the assertion's value, or null to take it from the test's expected. */
  private final String fixedReference;

  NumericAnswerAssertion(Settings settings, String fixedReference) {
    super(settings);
    this.fixedReference = fixedReference;
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String reference = fixedReference;
    if (reference == null) {
      String expected = ctx.expected();
      if (expected == null) {
        return error(
            "No reference number: set 'value' on the assertion or 'expected' on the test case");
      }
      reference = extract(expected);
      if (reference == null) {
        return error("No reference number: the expected answer " + quote(expected) + " has none");
      }
    }
    String answer = extract(ctx.output());
    if (answer == null) {
      return negated
          ? result(true, "Output has no number, so none equals " + reference)
          : result(
              false, "Expected numeric answer " + reference + ", but the output has no number");
    }
    boolean equal = new BigDecimal(answer).compareTo(new BigDecimal(reference)) == 0;
    if (equal != negated) {
      return result(
          true,
          equal
              ? "Numeric answer " + answer + " equals the expected " + reference
              : "Numeric answer " + answer + " differs from " + reference);
    }
    return result(
        false,
        equal
            ? "Expected a numeric answer other than " + reference + ", found " + answer
            : "Expected numeric answer " + reference + ", found " + answer);
  }

  /**
   * Returns the final answer in a text, normalised to a plain decimal (no "$", thousands commas or
   * trailing "."), or null when the text has no number.
   *
   * <p>The answer is the number after the last "####" if there is one, else the last number.
   */
  static String extract(String text) {
    String answer = lastNumber(STRICT.matcher(text));
    return answer != null ? answer : lastNumber(FLEXIBLE.matcher(text));
  }

  private static String lastNumber(Matcher matcher) {
    String last = null;
    while (matcher.find()) {
      // The flexible pattern also matches runs such as "..." or "3.5.2"; those are skipped.
      String number = normalise(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
      if (number != null) {
        last = number;
      }
    }
    return last;
  }

  private static String normalise(String candidate) {
    String number = candidate.replace("$", "").replace(",", "");
    int end = number.length();
    while (end > 0 && number.charAt(end - 1) == '.') {
      end--;
    }
    number = number.substring(0, end);
    return DECIMAL.matcher(number).matches() ? number : null;
  }
}
