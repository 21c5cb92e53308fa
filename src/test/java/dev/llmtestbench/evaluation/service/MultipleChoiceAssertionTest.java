package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * multiple-choice: accuracy on an option letter, extracted by the rules documented on {@link
 * MultipleChoiceAssertion}, in the spirit of lm-evaluation-harness's regex filters for generative
 * multiple-choice tasks (e.g. "The answer is (C)").
 */
class MultipleChoiceAssertionTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "C | C",
        "' C. ' | C",
        "(C) | C",
        "[C] | C",
        "**C** | C",
        "Answer: C | C",
        "The answer is (B). | B",
        "The correct option is **D** because... | D",
        "Final answer - E | E",
        "answer: option A | A",
        "First I thought the answer is A, but no: the answer is C. | C",
        "B. Paris, because it is the capital. | B",
        "(D) Lyon | D",
        "A) Madrid | A",
        "C: Rome | C",
        "Let me think. Paris is the capital, so I pick (B). Definitely (B). | B",
      })
  void shouldExtractTheChosenLetter(String text, char letter) {
    assertEquals(letter, MultipleChoiceAssertion.choice(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Paris",
        "A man walked in.",
        "E.g. the capital",
        "Either (A) or (B), I am not sure.",
        "The answer is a mystery.",
        "Answer: Both A and C",
        "F",
        "",
      })
  void shouldFindNoLetterWhereNoneIsChosen(String text) {
    assertEquals(0, MultipleChoiceAssertion.choice(text), text);
  }

  @Test
  void shouldPassWhenTheChosenOptionIsTheExpectedOne() {
    assertResult(
        check("multiple-choice", "B", "The answer is (B)."),
        true,
        1.0,
        "Chosen option B is correct");
    assertResult(
        check("multiple-choice", "B", "Answer: C"), false, 0.0, "Expected option B, got C");
  }

  @Test
  void shouldReadTheExpectedOptionFromTheTestCase() {
    assertResult(
        Fixtures.check(spec("multiple-choice", null), output("Answer: C", "(C) Rome")),
        true,
        1.0,
        "Chosen option C is correct");
  }

  @Test
  void shouldFailWhenTheOutputChoosesNothing() {
    assertResult(
        check("multiple-choice", "A", "I don't know."),
        false,
        0.0,
        "Expected option A, but the output chooses none");
    assertResult(
        check("not-multiple-choice", "A", "I don't know."),
        true,
        1.0,
        "Output chooses no option, so not A");
  }

  @Test
  void shouldInvertWhenNegated() {
    assertResult(check("not-multiple-choice", "A", "B"), true, 1.0, "Chosen option B is not A");
    assertResult(
        check("not-multiple-choice", "A", "A"),
        false,
        0.0,
        "Expected an option other than A, got A");
  }

  @Test
  void shouldFailNegatedOrNotWhenTheExpectedAnswerNamesNoOption() {
    for (String type : new String[] {"multiple-choice", "not-multiple-choice"}) {
      assertResult(
          Fixtures.check(spec(type, null), output("A", "Paris")),
          false,
          0.0,
          "No correct option: the expected answer \"Paris\" names none");
    }
  }

  @Test
  void shouldRejectAValueThatNamesNoOption() {
    assertEquals(
        "Assertion ('multiple-choice'): value \"Paris\" names no option letter. Give the correct"
            + " option, A to E, e.g. \"C\", or omit 'value' to use the test's expected answer.",
        rejection("multiple-choice", "Paris"));
  }
}
