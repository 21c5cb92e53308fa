package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * exact-match with the options of Hugging Face evaluate's exact_match
 * (https://huggingface.co/spaces/evaluate-metric/exact_match, whose metric card examples these
 * tests reproduce item by item), the metric lm-evaluation-harness's exact_match calls, and the
 * filters of lm-eval's GSM8K task (lm_eval/tasks/gsm8k/gsm8k.yaml: strict-match, flexible-extract).
 */
class ExactMatchAssertionTest {

  /** lm-eval's GSM8K metric and strict-match filter, as JSON options. */
  private static final String GSM8K =
      "{\"filter\": \"strict-match\", \"ignore_case\": true, \"ignore_punctuation\": false,"
          + " \"regexes_to_ignore\": [\",\", \"\\\\$\", \"(?s).*#### \", \"\\\\.$\"]}";

  private static final String NATALIA =
      "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n"
          + "Natalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n"
          + "#### 72";

  private static AssertionResult check(String type, String options, String out, String expected) {
    return Fixtures.check(spec(type, options), output(out, expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // options | prediction | reference | match
        "'' | cat? | the cat | false",
        "'' | theater | theater | true",
        "'' | yelling | YELLING | false",
        "'' | agent | agent007 | false",
        "'{\"regexes_to_ignore\": [\"the \", \"yell\"], \"ignore_case\": true,"
            + " \"ignore_punctuation\": true}' | cat? | the cat | true",
        "'{\"regexes_to_ignore\": [\"the \", \"yell\"], \"ignore_case\": true,"
            + " \"ignore_punctuation\": true}' | yelling | YELLING | false",
        "'{\"regexes_to_ignore\": [\"the \", \"yell\", \"YELL\"], \"ignore_case\": true,"
            + " \"ignore_punctuation\": true}' | yelling | YELLING | true",
        "'{\"regexes_to_ignore\": [\"the \", \"yell\", \"YELL\"], \"ignore_case\": true,"
            + " \"ignore_punctuation\": true}' | agent | agent007 | false",
        "'{\"regexes_to_ignore\": [\"the \", \"yell\", \"YELL\"], \"ignore_case\": true,"
            + " \"ignore_punctuation\": true, \"ignore_numbers\": true}' | agent | agent007 | true",
      })
  void shouldReproduceTheMetricCardExamples(
      String options, String prediction, String reference, boolean match) {
    String value = options.isEmpty() ? null : options;

    assertEquals(match, check("exact-match", value, prediction, reference).pass());
  }

  @Test
  void shouldNotTrimWhitespaceLikeHuggingFace() {
    assertResult(
        check("exact-match", null, "Paris ", "Paris"),
        false,
        0.0,
        "Expected answer \"Paris\", got \"Paris \"");
  }

  @Test
  void shouldScoreAGsm8kAnswerAsLmEvalDoes() {
    assertResult(
        check("exact-match", GSM8K, "She sold 24 in May, so 48 + 24 = 72.\n#### 72", NATALIA),
        true,
        1.0,
        "Answer \"72\" matches the expected \"72\"");
    assertResult(
        check("exact-match", GSM8K, "#### 1,072.", "#### 1072"),
        true,
        1.0,
        "Answer \"1072\" matches the expected \"1072\"");
    // As in lm-eval, strict-match needs the number right after "#### ", so "$" defeats it.
    assertEquals(false, check("exact-match", GSM8K, "#### $1,072.", "#### 1072").pass());
  }

  @Test
  void shouldFailStrictMatchWithoutTheAnswerMarkerAsLmEvalsInvalid() {
    assertResult(
        check("exact-match", GSM8K, "The answer is 72.", NATALIA),
        false,
        0.0,
        "Expected answer \"72\", got \"[invalid]\" (the strict-match filter found no answer)");
  }

  @Test
  void shouldTakeTheLastNumberWithFlexibleExtract() {
    String flexible = GSM8K.replace("strict-match", "flexible-extract");

    assertResult(
        check("exact-match", flexible, "48 / 2 = 24, and 48 + 24 = 72.", NATALIA),
        true,
        1.0,
        "Answer \"72\" matches the expected \"72\"");
    assertResult(
        check("exact-match", flexible, "No idea.", NATALIA),
        false,
        0.0,
        "Expected answer \"72\", got \"[invalid]\" (the flexible-extract filter found no answer)");
  }

  @Test
  void shouldInvertWhenNegated() {
    assertResult(
        check("not-exact-match", "{\"ignore_case\": true}", "PARIS", "Lyon"),
        true,
        1.0,
        "Answer \"paris\" differs from \"lyon\"");
    assertResult(
        check("not-exact-match", "{\"ignore_case\": true}", "PARIS", "paris"),
        false,
        0.0,
        "Expected an answer other than \"paris\", got \"paris\"");
  }

  @Test
  void shouldFailNegatedOrNotWithoutExpected() {
    for (String type : new String[] {"exact-match", "not-exact-match"}) {
      assertResult(
          check(type, null, "x", null),
          false,
          0.0,
          "Nothing to compare with: set 'expected' on the test case");
    }
  }

  @Test
  void shouldRemoveOnlyAsciiPunctuation() {
    assertEquals(
        false, check("exact-match", "{\"ignore_punctuation\": true}", "«Paris»", "Paris").pass());
    assertEquals(
        true, check("exact-match", "{\"ignore_punctuation\": true}", "Paris!?", "Paris").pass());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'{\"ignorecase\": true}' | 'value' has the unknown key \"ignorecase\". Allowed keys:"
            + " filter, ignore_case, ignore_numbers, ignore_punctuation, regexes_to_ignore.",
        "'{\"ignore_case\": \"yes\"}' | 'ignore_case' must be true or false, not the string"
            + " \"yes\".",
        "'{\"regexes_to_ignore\": \"a\"}' | 'regexes_to_ignore' must be an array of regular"
            + " expressions.",
        "'{\"regexes_to_ignore\": [\"(\"]}' | 'regexes_to_ignore' has the invalid regular"
            + " expression \"(\": Unclosed group. Fix the pattern.",
        "'{\"filter\": \"take-first\"}' | 'filter' must be \"strict-match\", \"flexible-extract\""
            + " or null, not the string \"take-first\".",
      })
  void shouldRejectInvalidOptions(String value, String problem) {
    assertEquals("Assertion ('exact-match'): " + problem, rejection("exact-match", value));
  }

  @Test
  void shouldRejectAReferenceGivenAsValue() {
    assertTrue(
        rejection("exact-match", "Paris")
            .startsWith(
                "Assertion ('exact-match'): 'value' must be a JSON object such as"
                    + " {\"ignore_case\": true, \"ignore_punctuation\": true} (the reference is"
                    + " the test's expected answer)"));
  }
}
