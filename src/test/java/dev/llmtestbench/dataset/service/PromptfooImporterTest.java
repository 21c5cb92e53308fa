package dev.llmtestbench.dataset.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.rest.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptfooImporterTest {

  private static final String CONFIG =
      "description: Translation suite\n"
          + "prompts:\n"
          + "  - 'Translate to {{ language }}: {{ input }}'\n"
          + "  - raw: 'Into {{ language | upper }}, please: {{ input }}'\n"
          + "    label: shouting\n"
          + "providers:\n"
          + "  - openai:gpt-4o-mini\n"
          + "  - id: anthropic:messages:claude-3-5-haiku-latest\n"
          + "    label: haiku\n"
          + "  - ollama:chat:llama3:8b\n"
          + "defaultTest:\n"
          + "  vars: {language: French}\n"
          + "  assert:\n"
          + "    - type: not-icontains\n"
          + "      value: sorry\n"
          + "tests:\n"
          + "  - description: greeting\n"
          + "    vars: {input: Hello}\n"
          + "    assert:\n"
          + "      - type: icontains\n"
          + "        value: bonjour\n"
          + "      - type: levenshtein\n"
          + "        value: '{{ input }}'\n"
          + "        threshold: 20\n"
          + "        weight: 0\n"
          + "  - vars:\n"
          + "      input: Thanks\n"
          + "      language: [German, Spanish]\n";

  private static PromptfooProviders providers(Map<String, String> map) {
    return new PromptfooProviders(
        map, Map.of("openai", "openai", "my-claude", "anthropic", "simulator", "simulator"));
  }

  private static CreateDatasetRequest parse(String yaml, boolean skip) {
    ImportOptions o =
        new ImportOptions(null, null, null, null, null, null, null, null, skip, null, null);
    return PromptfooImporter.parse(yaml, o, providers(Map.of()), 1 << 20, 1000);
  }

  @Test
  void shouldCrossPromptsWithTestsAndApplyDefaultTest() {
    CreateDatasetRequest r = parse(CONFIG, false);
    assertEquals("Translation suite", r.name());
    // 1 test + 1 test expanded into 2 language combinations = 3, times 2 prompts.
    assertEquals(6, r.testCases().size());
    TestCaseInput first = r.testCases().get(0);
    assertEquals("test-1-prompt-1", first.id());
    assertEquals("Translate to {{ language }}: {{ input }}", first.prompt());
    assertEquals(Map.of("language", "French", "input", "Hello"), first.vars());
    assertEquals(
        List.of(
            new AssertionSpec("not-icontains", "sorry", null, null, null, null, null),
            new AssertionSpec("icontains", "bonjour", null, null, null, null, null),
            new AssertionSpec("levenshtein", "Hello", 20.0, 0.0, null, null, null)),
        first.assertions());
    assertEquals("greeting", first.metadata().get("description"));
    assertEquals(List.of("prompt:shouting"), r.testCases().get(1).tags());
    assertEquals("test-2.2-prompt-2", r.testCases().get(5).id());
    assertEquals(Map.of("language", "Spanish", "input", "Thanks"), r.testCases().get(5).vars());
  }

  @Test
  void shouldMapProvidersToRegisteredTargets() {
    CreateDatasetRequest r = parse(CONFIG, false);
    assertEquals(
        List.of(
            new SuggestedTarget("openai", "gpt-4o-mini", "openai:gpt-4o-mini", null),
            new SuggestedTarget("my-claude", "claude-3-5-haiku-latest", "haiku", null),
            new SuggestedTarget("ollama", "llama3:8b", "ollama:chat:llama3:8b", null)),
        r.targets());
    assertTrue(
        r.metadata()
            .get("importWarnings")
            .toString()
            .contains("No registered provider for" + " 'ollama:chat:llama3:8b'"));
    ImportOptions o =
        new ImportOptions(null, null, null, null, null, null, null, null, false, null, null);
    CreateDatasetRequest mapped =
        PromptfooImporter.parse(
            CONFIG, o, providers(Map.of("openai", "stub", "ollama", "local")), 1 << 20, 1000);
    assertEquals("stub", mapped.targets().get(0).provider());
    assertEquals("local", mapped.targets().get(2).provider());
  }

  @Test
  void shouldRefuseCodeAssertionsNamingThemUnlessSkipped() {
    String yaml =
        "prompts: ['{{ q }}']\n"
            + "tests:\n"
            + "  - vars: {q: a}\n"
            + "    assert:\n"
            + "      - type: javascript\n"
            + "        value: output.length > 1\n"
            + "      - type: webhook\n"
            + "        value: http://x\n"
            + "      - type: contains\n"
            + "        value: a\n";
    ApiException e =
        assertThrows(ApiException.class, () -> parse("description: d\n" + yaml, false));
    assertTrue(e.getMessage().contains("'javascript', 'webhook'"), e.getMessage());
    CreateDatasetRequest r = parse("description: d\n" + yaml, true);
    assertEquals(
        List.of(new AssertionSpec("contains", "a", null, null, null, null, null)),
        r.testCases().get(0).assertions());
  }

  @Test
  void shouldRefuseFileReferencesClearly() {
    ApiException prompts =
        assertThrows(
            ApiException.class,
            () -> parse("description: d\nprompts: ['file://prompt.txt']\ntests: []\n", false));
    assertTrue(prompts.getMessage().contains("paste the prompt inline"), prompts.getMessage());
    ApiException tests =
        assertThrows(
            ApiException.class,
            () -> parse("description: d\nprompts: ['{{x}}']\ntests: file://tests.csv\n", false));
    assertTrue(tests.getMessage().contains("inline the tests"), tests.getMessage());
  }

  @Test
  void shouldRunEachPromptOnceWithoutTests() {
    CreateDatasetRequest r =
        parse("description: d\nprompts: [Hello, Bye]\nproviders: echo\n", false);
    assertEquals(2, r.testCases().size());
    assertEquals(
        List.of(new SuggestedTarget("simulator", "echo", "echo", Map.of("answer", "echo"))),
        r.targets());
  }

  @Test
  void shouldReportTemplateErrorsInPrompts() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> parse("description: d\nprompts: ['{% if x %}open']\n", false));
    assertTrue(e.getMessage().contains("prompts[0]"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void shouldExpandListVarsIntoCombinations() {
    List<Map<String, Object>> combos =
        PromptfooImporter.combinations(new java.util.LinkedHashMap<>(Map.of("a", List.of(1, 2))));
    assertEquals(List.of(Map.of("a", 1), Map.of("a", 2)), combos);
  }
}
