package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssertionsTest {

  private static final String SUPPORTED =
      "Supported types: equals, contains, icontains, contains-any, contains-all, icontains-any,"
          + " icontains-all, starts-with, regex, is-json, contains-json, is-xml, contains-xml,"
          + " is-html, contains-html, is-sql, word-count, levenshtein, exact-match, f1,"
          + " multiple-choice, is-refusal, finish-reason, is-valid-openai-tools-call, tool-call-f1,"
          + " cost, latency, numeric-answer, rouge-n, rouge-1, rouge-2, rouge-l, bleu, gleu,"
          + " meteor, chrf, perplexity, perplexity-score, similar, similar:cosine, similar:dot,"
          + " similar:euclidean, llm-rubric, g-eval, factuality,"
          + " model-graded-closedqa, answer-relevance, context-faithfulness, context-recall,"
          + " context-relevance, faithfulness, relevance, coherence; prefix any of them with"
          + " \"not-\" to negate it.";

  private static InvalidAssertionException rejected(AssertionSpec spec) {
    return assertThrows(
        InvalidAssertionException.class, () -> Assertions.compileAll(List.of(spec)));
  }

  @Test
  void shouldDefaultMetricToTypeAndWeightToOne() {
    Assertion assertion = Assertions.compile(spec("not-contains", "x"));

    assertEquals("not-contains", assertion.metric());
    assertEquals("not-contains", assertion.type());
    assertEquals(1.0, assertion.weight());
  }

  @Test
  void shouldReportResultsUnderConfiguredMetric() {
    Assertion assertion =
        Assertions.compile(
            new AssertionSpec("icontains", "paris", null, 2.5, "mentions-paris", null, null));

    assertEquals("mentions-paris", assertion.metric());
    assertEquals(2.5, assertion.weight());
    assertEquals("mentions-paris", assertion.evaluate(output("Paris")).metric());
    assertEquals("icontains", assertion.evaluate(output("Paris")).type());
  }

  @Test
  void shouldCompileAllInOrderIntoAnImmutableList() {
    List<Assertion> compiled =
        Assertions.compileAll(List.of(spec("contains", "a"), spec("is-json", null)));

    assertEquals(List.of("contains", "is-json"), compiled.stream().map(Assertion::type).toList());
    assertThrows(UnsupportedOperationException.class, () -> compiled.remove(0));
  }

  @Test
  void shouldCompileNoSpecsToNoAssertions() {
    assertEquals(List.of(), Assertions.compileAll(null));
    assertEquals(List.of(), Assertions.compileAll(List.of()));
  }

  @Test
  void shouldRejectUnknownTypeListingSupportedTypes() {
    InvalidAssertionException e = rejected(spec("contain", "Paris"));

    assertEquals("Assertion 1 ('contain'): unknown type \"contain\". " + SUPPORTED, e.getMessage());
    assertEquals(1, e.index());
    assertEquals("contain", e.type());
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-not-contains", "Contains", "not-", "llm-rubrics"})
  void shouldRejectTypesThatAreNotExactlySupported(String type) {
    assertTrue(rejected(spec(type, "x")).getMessage().contains("unknown type"));
  }

  @Test
  void shouldRejectMissingType() {
    InvalidAssertionException e = rejected(spec(null, "Paris"));

    assertEquals("Assertion 1: 'type' is missing. " + SUPPORTED, e.getMessage());
    assertNull(e.type());
  }

  @Test
  void shouldRejectNullSpec() {
    InvalidAssertionException e =
        assertThrows(
            InvalidAssertionException.class,
            () -> Assertions.compileAll(Arrays.asList(spec("contains", "a"), null)));

    assertEquals("Assertion 2: is empty. Give at least a 'type'.", e.getMessage());
  }

  @Test
  void shouldRejectInvalidRegexWithOneBasedIndexAndCause() {
    InvalidAssertionException e =
        assertThrows(
            InvalidAssertionException.class,
            () -> Assertions.compileAll(List.of(spec("contains", "a"), spec("regex", "("))));

    assertEquals(
        "Assertion 2 ('regex'): invalid regular expression \"(\": Unclosed group near index 1."
            + " Fix the pattern.",
        e.getMessage());
    assertEquals(2, e.index());
    assertEquals("regex", e.type());
    assertInstanceOf(PatternSyntaxException.class, e.getCause());
  }

  @Test
  void shouldOmitIndexWhenCompilingASingleSpec() {
    InvalidAssertionException e =
        assertThrows(InvalidAssertionException.class, () -> Assertions.compile(spec("regex", "[")));

    assertTrue(e.getMessage().startsWith("Assertion ('regex'): invalid regular expression"));
    assertEquals(0, e.index());
  }

  @Test
  void shouldRejectMissingValueNamingWhatToProvide() {
    assertEquals(
        "Assertion 1 ('contains'): 'value' is required: the text the output must contain.",
        rejected(spec("contains", null)).getMessage());
    assertEquals(
        "Assertion 1 ('not-starts-with'): 'value' is required: the text the output must start"
            + " with.",
        rejected(spec("not-starts-with", null)).getMessage());
    assertEquals(
        "Assertion 1 ('regex'): 'value' is required: the regular expression.",
        rejected(spec("regex", null)).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"contains", "icontains", "starts-with", "regex"})
  void shouldRejectEmptyValueBecauseItWouldMatchEverything(String type) {
    assertTrue(rejected(spec(type, "")).getMessage().contains("'value' is required"));
  }

  @Test
  void shouldRejectNegativeWeight() {
    assertEquals(
        "Assertion 1 ('contains'): weight -1.0 is not allowed. Use a number of 0 or more (0"
            + " reports the result without counting it in the score).",
        rejected(new AssertionSpec("contains", "a", null, -1.0, null, null, null)).getMessage());
  }

  @Test
  void shouldRejectNonFiniteWeight() {
    assertTrue(
        rejected(new AssertionSpec("contains", "a", null, Double.NaN, null, null, null))
            .getMessage()
            .contains("weight NaN is not allowed"));
  }

  @Test
  void shouldRejectScoreThresholdOutsideZeroToOne() {
    assertEquals(
        "Assertion 1 ('contains'): threshold 1.5 is out of range. It is the minimum score to pass,"
            + " between 0 and 1.",
        rejected(new AssertionSpec("contains", "a", 1.5, null, null, null, null)).getMessage());
  }

  @Test
  void shouldRejectLatencyWithoutThreshold() {
    assertEquals(
        "Assertion 1 ('latency'): 'threshold' is required: the maximum latency in milliseconds,"
            + " e.g. \"threshold\": 2000.",
        rejected(spec("latency", null)).getMessage());
  }

  @Test
  void shouldRejectLatencyLimitGivenAsValue() {
    assertEquals(
        "Assertion 1 ('latency'): 'value' is not used. Put the maximum latency in milliseconds in"
            + " 'threshold', e.g. \"threshold\": 2000.",
        rejected(new AssertionSpec("latency", "2000", null, null, null, null, null)).getMessage());
  }

  @Test
  void shouldRejectNegativeOrInfiniteLatencyThreshold() {
    assertEquals(
        "Assertion 1 ('latency'): threshold -5.0 is not a valid latency. Use the maximum latency"
            + " in milliseconds, 0 or more.",
        rejected(new AssertionSpec("latency", null, -5.0, null, null, null, null)).getMessage());
    assertTrue(
        rejected(
                new AssertionSpec(
                    "latency", null, Double.POSITIVE_INFINITY, null, null, null, null))
            .getMessage()
            .contains("is not a valid latency"));
  }

  @Test
  void shouldRejectIsJsonSchemaKeywordsOutsideTheSupportedSubset() {
    assertEquals(
        "Assertion 1 ('is-json'): JSON Schema keyword \"oneOf\" is not supported. Only a subset of"
            + " JSON Schema is checked: type, required, properties, additionalProperties (false),"
            + " enum, items, minimum, maximum, minLength, maxLength.",
        rejected(spec("is-json", "{\"oneOf\": [{\"type\": \"object\"}]}")).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"levenshtein", "cost"})
  void shouldAcceptThresholdsAboveOneForTypesWhoseThresholdIsALimit(String type) {
    Assertion assertion =
        Assertions.compile(new AssertionSpec(type, null, 5.0, null, null, null, null));

    assertEquals(type, assertion.type());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tool-call-f1", "f1", "word-count", "contains-any"})
  void shouldStillRejectScoreThresholdsAboveOneForOtherNewTypes(String type) {
    assertTrue(
        rejected(new AssertionSpec(type, "1", 5.0, null, null, null, null))
            .getMessage()
            .contains("threshold 5.0 is out of range"));
  }

  @Test
  void shouldCompileEveryListedTypeWithAValidSpec() {
    for (String type : Assertions.TYPES) {
      AssertionSpec valid = Fixtures.validSpec(type);

      assertEquals(type, Assertions.compile(valid).type());
      assertEquals(
          "not-" + type,
          Assertions.compile(
                  new AssertionSpec(
                      "not-" + type,
                      valid.value(),
                      valid.threshold(),
                      valid.weight(),
                      null,
                      null,
                      null))
              .type());
    }
  }

  @Test
  void shouldRejectNumericAnswerValueWithoutNumber() {
    assertEquals(
        "Assertion 1 ('numeric-answer'): value \"seventy-two\" has no number. Give the expected"
            + " answer, e.g. \"72\" or \"#### 72\", or omit 'value' to use the test's expected"
            + " answer.",
        rejected(spec("numeric-answer", "seventy-two")).getMessage());
  }

  @Test
  void shouldReportTheFirstInvalidSpecByPosition() {
    InvalidAssertionException e =
        assertThrows(
            InvalidAssertionException.class,
            () ->
                Assertions.compileAll(
                    List.of(spec("contains", "a"), spec("equals", "b"), spec("latency", null))));

    assertEquals(3, e.index());
    assertEquals("latency", e.type());
  }
}
