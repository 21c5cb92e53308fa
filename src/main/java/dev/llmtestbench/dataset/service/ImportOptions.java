package dev.llmtestbench.dataset.service;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.List;
import java.util.Map;

/**
 * How to import a dataset file: its name and description, a prompt template for every case, which
 * fields hold the prompt, the expected answer and the case id (CSV and Hugging Face rows),
 * assertions added to every case, tags, whether unsupported promptfoo assertions are skipped rather
 * than refused, promptfoo provider ids (or their prefixes) mapped to registered providers, and the
 * model name recorded outputs without one are filed under.
 */
public record ImportOptions(
    String name,
    String description,
    String promptTemplate,
    String promptField,
    String expectedField,
    String idField,
    List<AssertionSpec> assertions,
    List<String> tags,
    boolean skipUnsupported,
    Map<String, String> providerMap,
    String recordedModel) {

  public ImportOptions {
    assertions = assertions == null ? List.of() : List.copyOf(assertions);
    tags = tags == null ? List.of() : List.copyOf(tags);
    providerMap = providerMap == null ? Map.of() : Map.copyOf(providerMap);
  }

  /** Options with just a name (tests, the sample loader). */
  public static ImportOptions named(String name) {
    return new ImportOptions(name, null, null, null, null, null, null, null, false, null, null);
  }

  String recordedModelOrDefault() {
    return recordedModel == null || recordedModel.isBlank() ? "recorded" : recordedModel.strip();
  }
}
