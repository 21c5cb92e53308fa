package dev.llmtestbench.dataset.domain;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One case of a dataset: a prompt (or the dataset's template) with variables, the expected output,
 * its own assertions, and outputs models already produced for it (by model name).
 */
public record TestCase(
    UUID id,
    UUID datasetId,
    int ordinal,
    String externalId,
    String prompt,
    Map<String, Object> vars,
    String expected,
    List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    Map<String, RecordedOutput> outputs) {

  public TestCase {
    outputs = outputs == null ? Map.of() : outputs;
  }

  /** The id results report: the case's own id from the source data, else its position. */
  public String testId() {
    return externalId != null ? externalId : "case-" + ordinal;
  }
}
