package dev.llmtestbench.dataset.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssertionSyntaxTest {

  private final List<AssertionSyntax.Unsupported> unsupported = new ArrayList<>();

  private AssertionSpec inline(String s) {
    return AssertionSyntax.fromInline(s, "here", unsupported);
  }

  @Test
  void shouldParsePromptfooInlineAssertions() {
    assertEquals(
        new AssertionSpec("contains", "Paris", null, null, null, null, null),
        inline("contains: Paris"));
    assertEquals(
        new AssertionSpec("not-regex", "^No\\b", null, null, null, null, null),
        inline("not-regex:^No\\b"));
    assertEquals(
        new AssertionSpec("icontains-any", "[\"red\",\"blue\"]", null, null, null, null, null),
        inline("icontains-any: red, blue"));
    assertEquals(
        new AssertionSpec("is-json", null, null, null, null, null, null), inline("is-json"));
    assertEquals(
        new AssertionSpec("rouge-n", "the cat", 0.75, null, null, null, null),
        inline("rouge-n: the cat"));
    assertEquals(
        new AssertionSpec("rouge-n", "the cat", 0.5, null, null, null, null),
        inline("rouge-n(0.5): the cat"));
    assertEquals(
        new AssertionSpec("latency", null, 2000.0, null, null, null, null),
        inline("latency(2000)"));
    assertTrue(unsupported.isEmpty());
  }

  @Test
  void shouldTreatOtherTextAsEquals() {
    assertEquals(
        new AssertionSpec("equals", "Paris", null, null, null, null, null), inline("Paris"));
    assertEquals(
        new AssertionSpec("equals", "note: not a type", null, null, null, null, null),
        inline("note: not a type"));
  }

  @Test
  void shouldReportCodeAssertionsAsUnsupported() {
    assertNull(inline("javascript: output.length < 10"));
    assertNull(inline("fn: x => true"));
    assertNull(inline("python: len(output) > 3"));
    assertNull(inline("file://check.py"));
    assertEquals(
        List.of("javascript", "javascript", "python", "file:// reference"),
        unsupported.stream().map(AssertionSyntax.Unsupported::type).toList());
    String message = AssertionSyntax.describe(unsupported);
    assertTrue(message.contains("'javascript', 'python'"), message);
    assertTrue(message.contains("skipUnsupported=true"), message);
  }

  @Test
  void shouldConvertObjectsWithJsonValuesAndJudgeProviders() {
    ImportProblems problems = new ImportProblems("test");
    AssertionSpec spec =
        AssertionSyntax.fromObject(
            Map.of(
                "type", "contains-all",
                "value", List.of("a", "b"),
                "weight", 2,
                "threshold", "0.5",
                "metric", "coverage",
                "provider", "openai:gpt-4o-mini"),
            "assert[0]",
            unsupported,
            problems,
            id -> "mapped:" + id);
    assertEquals(
        new AssertionSpec(
            "contains-all",
            "[\"a\",\"b\"]",
            0.5,
            2.0,
            "coverage",
            "mapped:openai:gpt-4o-mini",
            null),
        spec);
    assertTrue(problems.isEmpty());
  }

  @Test
  void shouldRejectAnObjectWithoutType() {
    ImportProblems problems = new ImportProblems("test");
    assertNull(
        AssertionSyntax.fromObject(
            Map.of("value", "x"), "assert[3]", unsupported, problems, id -> id));
    assertTrue(!problems.isEmpty());
  }
}
