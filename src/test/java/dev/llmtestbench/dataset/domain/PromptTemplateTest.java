package dev.llmtestbench.dataset.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

  @Test
  void shouldRenderVariablesIncludingNestedPaths() {
    PromptTemplate t = PromptTemplate.of("Q: {{question}} ({{ meta.level }}) {{n}}");
    assertEquals(Set.of("question", "meta.level", "n"), t.variables());
    assertEquals(
        "Q: 2+2? (easy) 4",
        t.render(Map.of("question", "2+2?", "meta", Map.of("level", "easy"), "n", 4)));
  }

  @Test
  void shouldReportMissingVariables() {
    PromptTemplate t = PromptTemplate.of("{{a}} and {{b}}");
    assertEquals(List.of("b"), t.missing(Map.of("a", 1)));
    assertEquals(List.of(), t.missing(Map.of("a", 1, "b", 2)));
  }

  @Test
  void shouldLeaveTextWithoutPlaceholdersAlone() {
    PromptTemplate t = PromptTemplate.of("Plain {text} with {single} braces");
    assertEquals(Set.of(), t.variables());
    assertEquals("Plain {text} with {single} braces", t.render(Map.of()));
  }

  @Test
  void shouldPreferADottedKeyOverANestedPath() {
    PromptTemplate t = PromptTemplate.of("{{a.b}}");
    assertEquals("flat", t.render(Map.of("a.b", "flat", "a", Map.of("b", "nested"))));
  }

  @Test
  void shouldApplyFiltersConditionsAndLoopsLikeNunjucks() {
    PromptTemplate t =
        PromptTemplate.of(
            "{{ name | upper }}{% if formal %}, dear{% endif %}:"
                + "{% for q in questions %} [{{ loop.index }}] {{ q }}{% endfor %}");
    assertEquals(
        "ADA, dear: [0] a? [1] b?",
        t.render(Map.of("name", "Ada", "formal", true, "questions", List.of("a?", "b?"))));
    assertEquals("BOB:", t.render(Map.of("name", "Bob", "formal", false, "questions", List.of())));
    // Names only used in tags are optional; loop variables are never required.
    assertEquals(Set.of(), t.variables());
  }

  @Test
  void shouldNotEscapeHtmlOrJson() {
    PromptTemplate t = PromptTemplate.of("Fix: {{ code }}");
    assertEquals("Fix: <b>\"a\" & 'b'</b>", t.render(Map.of("code", "<b>\"a\" & 'b'</b>")));
  }

  @Test
  void shouldKeepHyphenatedNamesAsOneVariable() {
    PromptTemplate t = PromptTemplate.of("{{ user-name }} / {{ a.b-c }}");
    assertEquals(Set.of("user-name", "a.b-c"), t.variables());
    assertEquals("x / y", t.render(Map.of("user-name", "x", "a", Map.of("b-c", "y"))));
  }

  @Test
  void shouldResolveDottedPathsOnLoopVariables() {
    PromptTemplate t = PromptTemplate.of("{% for p in people %}{{ p.name }};{% endfor %}");
    assertEquals(
        "ann;bo;",
        t.render(Map.of("people", List.of(Map.of("name", "ann"), Map.of("name", "bo")))));
  }

  @Test
  void shouldRenderAbsentVariablesAsEmptyText() {
    assertEquals("[]", PromptTemplate.of("[{{ nothing }}]").render(Map.of()));
  }

  @Test
  void shouldReportSyntaxErrorsWithTheirLine() {
    PromptTemplate.InvalidTemplateException e =
        assertThrows(
            PromptTemplate.InvalidTemplateException.class,
            () -> PromptTemplate.of("line one\nline two {% if x %} never closed"));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
    assertThrows(
        PromptTemplate.InvalidTemplateException.class, () -> PromptTemplate.of("{{ a | }}"));
  }

  @Test
  void shouldRefuseToIncludeFiles() {
    PromptTemplate t = PromptTemplate.of("{% include '/etc/passwd' %}");
    assertThrows(PromptTemplate.InvalidTemplateException.class, () -> t.render(Map.of()));
  }

  @Test
  void shouldNotReachJavaInternalsThroughMethodCalls() {
    PromptTemplate t = PromptTemplate.of("{{ s.getClass().getName() }}");
    String out;
    try {
      out = t.render(Map.of("s", "x"));
    } catch (PromptTemplate.InvalidTemplateException e) {
      out = "";
    }
    assertTrue(!out.contains("java.lang"), out);
  }

  @Test
  void shouldCacheCompiledTemplates() {
    assertSame(PromptTemplate.of("Hi {{ who }}"), PromptTemplate.of("Hi {{ who }}"));
  }
}
