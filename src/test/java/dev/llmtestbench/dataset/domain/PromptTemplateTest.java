package dev.llmtestbench.dataset.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
