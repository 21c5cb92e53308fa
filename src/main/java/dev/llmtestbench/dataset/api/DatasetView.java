package dev.llmtestbench.dataset.api;

import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A dataset as the API shows it. */
public record DatasetView(
    String id,
    String name,
    String description,
    String promptTemplate,
    List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    int testCaseCount,
    OffsetDateTime createdAt,
    List<SuggestedTarget> targets) {

  public static DatasetView of(Dataset d) {
    return new DatasetView(
        d.id().toString(),
        d.name(),
        d.description(),
        d.promptTemplate(),
        d.assertions(),
        d.tags(),
        d.metadata(),
        d.testCaseCount(),
        d.createdAt(),
        d.targets());
  }
}
