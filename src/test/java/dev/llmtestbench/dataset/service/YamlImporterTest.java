package dev.llmtestbench.dataset.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.rest.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlImporterTest {

  @Test
  void shouldReadAListOfCases() {
    String yaml =
        "- id: q1\n"
            + "  prompt: 'What is {{ a }} + {{ b }}?'\n"
            + "  a: 2\n"
            + "  b: 3\n"
            + "  expected: '5'\n"
            + "  assert:\n"
            + "    - type: contains\n"
            + "      value: 5\n"
            + "- prompt: Hi\n"
            + "  outputs: {gpt-4o: Hello, claude: {output: Hey, latencyMs: 120}}\n";
    CreateDatasetRequest r = YamlImporter.parse(yaml, ImportOptions.named("y"), 1 << 20, 100);
    assertEquals(2, r.testCases().size());
    assertEquals("q1", r.testCases().get(0).id());
    assertEquals(Map.of("a", 2, "b", 3), r.testCases().get(0).vars());
    assertEquals("5", r.testCases().get(0).expected());
    assertEquals(
        List.of(new AssertionSpec("contains", "5", null, null, null, null, null)),
        r.testCases().get(0).assertions());
    assertEquals(
        Map.of("gpt-4o", "Hello", "claude", Map.of("output", "Hey", "latencyMs", 120)),
        r.testCases().get(1).outputs());
  }

  @Test
  void shouldReadCasesWithDatasetSettings() {
    String yaml =
        "description: capitals\n"
            + "promptTemplate: 'Capital of {{ country }}?'\n"
            + "assert: [{type: not-icontains, value: sorry}]\n"
            + "tags: [geo]\n"
            + "targets: [{provider: simulator, model: sim-1}]\n"
            + "cases:\n"
            + "  - {country: France, expected: Paris}\n";
    CreateDatasetRequest r = YamlImporter.parse(yaml, ImportOptions.named("y"), 1 << 20, 100);
    assertEquals("capitals", r.description());
    assertEquals("Capital of {{ country }}?", r.promptTemplate());
    assertEquals(
        List.of(new AssertionSpec("not-icontains", "sorry", null, null, null, null, null)),
        r.assertions());
    assertEquals(List.of("geo"), r.tags());
    assertEquals(List.of(new SuggestedTarget("simulator", "sim-1", null, null)), r.targets());
    assertEquals("Paris", r.testCases().get(0).expected());
  }

  @Test
  void shouldGiveLineAndColumnOfSyntaxErrors() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                YamlImporter.parse(
                    "- prompt: a\n  vars: {x: [1, 2}\n", ImportOptions.named("y"), 1 << 20, 100));
    assertTrue(e.getMessage().contains("line 2, column"), e.getMessage());
  }

  @Test
  void shouldRejectDuplicateKeysAndJavaTypes() {
    assertThrows(
        ApiException.class,
        () ->
            YamlImporter.parse(
                "- prompt: a\n  prompt: b\n", ImportOptions.named("y"), 1 << 20, 100));
    assertThrows(
        ApiException.class,
        () ->
            YamlImporter.parse(
                "- !!java.io.File {path: /etc}\n", ImportOptions.named("y"), 1 << 20, 100));
  }

  @Test
  void shouldRejectAScalarDocument() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> YamlImporter.parse("just text", ImportOptions.named("y"), 1 << 20, 100));
    assertTrue(e.getMessage().contains("list of cases"), e.getMessage());
  }
}
