package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code multiple-choice}: the option letter (A to E) the output chooses is the expected one, the
 * accuracy metric of multiple-choice benchmarks run generatively (as lm-evaluation-harness's
 * generative MMLU-style tasks do, with a regex filter extracting the letter).
 *
 * <p>The chosen letter is found by the first of these rules that applies; letters must be capitals:
 *
 * <ol>
 *   <li>the whole output is a letter, possibly decorated: {@code C}, {@code C.}, {@code (C)},
 *       {@code [C]}, {@code **C**};
 *   <li>the last answer statement: "answer" (any case, e.g. "The answer is", "Answer:", "Final
 *       answer -") or "correct option"/"correct choice", then the letter, possibly after "option"
 *       or "choice" and in brackets or bold: {@code Answer: C}, {@code the answer is (C)}, {@code
 *       The correct option is **B**};
 *   <li>the output starts with a letter as options are labelled: {@code C. Paris}, {@code (C)
 *       Paris}, {@code C) Paris}, {@code C: Paris}, {@code C - Paris} ("E.g." is not a label);
 *   <li>exactly one letter appears in parentheses, however often: {@code I pick (C).}.
 * </ol>
 *
 * <p>Otherwise the output has no answer, and the assertion fails (negated, it passes). The expected
 * letter comes from the value or, without one, from the test's expected answer, read by the same
 * rules, so {@code "C"}, {@code "(C)"} and {@code "Answer: C"} all work.
 */
final class MultipleChoiceAssertion extends BaseAssertion {

  private static final String LETTER = "[*_]*[(\\[]?([A-E])(?![A-Za-z0-9])";
  private static final Pattern WHOLE = Pattern.compile("^[\\s*_(\\[]*([A-E])[\\s*_)\\].:]*$");
  private static final Pattern STATEMENT =
      Pattern.compile(
          "(?i:\\banswer|\\bcorrect\\s+option|\\bcorrect\\s+choice)(?i:\\s+is)?\\s*[:\\-–]?\\s*"
              + "(?i:(?:option|choice)\\s*)?"
              + LETTER);
  private static final Pattern LABEL =
      Pattern.compile("^\\s*[*_]*[(\\[]?([A-E])(?:\\.(?=\\s|$)|[)\\]:]|\\s+[-–]\\s)");
  private static final Pattern PARENTHESISED = Pattern.compile("\\(([A-E])\\)");

  /** The expected letter from the value, or 0 to read it from the test's expected answer. */
  private final char fixedLetter;

  private MultipleChoiceAssertion(Settings settings, char fixedLetter) {
    super(settings);
    this.fixedLetter = fixedLetter;
  }

  /** Creates the assertion, reading the expected letter from the value if there is one. */
  static MultipleChoiceAssertion of(
      Settings settings, String value, AssertionValues.Problems problems) {
    if (value == null) {
      return new MultipleChoiceAssertion(settings, (char) 0);
    }
    char letter = choice(value);
    if (letter == 0) {
      throw problems.apply(
          "value "
              + quote(value)
              + " names no option letter. Give the correct option, A to E, e.g. \"C\", or omit"
              + " 'value' to use the test's expected answer.");
    }
    return new MultipleChoiceAssertion(settings, letter);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    char expected = fixedLetter;
    if (expected == 0) {
      if (ctx.expected() == null) {
        return error(
            "No correct option: set 'value' on the assertion or 'expected' on the test case");
      }
      expected = choice(ctx.expected());
      if (expected == 0) {
        return error(
            "No correct option: the expected answer " + quote(ctx.expected()) + " names none");
      }
    }
    char chosen = choice(ctx.output());
    if (chosen == 0) {
      return negated
          ? result(true, "Output chooses no option, so not " + expected)
          : result(false, "Expected option " + expected + ", but the output chooses none");
    }
    boolean equal = chosen == expected;
    if (equal != negated) {
      return result(
          true,
          equal
              ? "Chosen option " + chosen + " is correct"
              : "Chosen option " + chosen + " is not " + expected);
    }
    return result(
        false,
        equal
            ? "Expected an option other than " + expected + ", got " + chosen
            : "Expected option " + expected + ", got " + chosen);
  }

  /** Returns the option letter a text chooses, by the rules above, or 0 when it chooses none. */
  static char choice(String text) {
    Matcher whole = WHOLE.matcher(text);
    if (whole.matches()) {
      return whole.group(1).charAt(0);
    }
    Matcher statement = STATEMENT.matcher(text);
    char last = 0;
    while (statement.find()) {
      last = statement.group(1).charAt(0);
    }
    if (last != 0) {
      return last;
    }
    Matcher label = LABEL.matcher(text);
    if (label.find()) {
      return label.group(1).charAt(0);
    }
    Matcher parenthesised = PARENTHESISED.matcher(text);
    char only = 0;
    while (parenthesised.find()) {
      char letter = parenthesised.group(1).charAt(0);
      if (only != 0 && only != letter) {
        return 0;
      }
      only = letter;
    }
    return only;
  }
}
