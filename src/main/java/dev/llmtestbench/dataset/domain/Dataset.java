package dev.llmtestbench.dataset.domain;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A named set of test cases with an optional prompt template and assertions for every case, and the
 * targets it suggests for runs that name none.
 */
public record Dataset(
    UUID id,
    long seq,
    String name,
    String description,
    String promptTemplate,
    List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    int testCaseCount,
    OffsetDateTime createdAt,
    List<SuggestedTarget> targets) {

  public Dataset {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }
}
