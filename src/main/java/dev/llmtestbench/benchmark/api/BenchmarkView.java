package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.RunSummary;
import dev.llmtestbench.benchmark.domain.Target;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.time.OffsetDateTime;
import java.util.List;

/** A benchmark run as the API shows it, with its live or final summary. */
public record BenchmarkView(
    String id,
    String name,
    String description,
    String datasetId,
    String status,
    String statusReason,
    List<Target> targets,
    List<AssertionSpec> assertions,
    int repeats,
    int concurrency,
    int partitions,
    List<String> tags,
    Integer totalItems,
    int completedItems,
    RunSummary summary,
    Long jobExecutionId,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime completedAt,
    String sharedGroup) {

  /**
   * Identity, not value: JSON-B (Yasson) puts every object it serializes in a hash set to detect
   * cycles, and a record's value hash walks every field (whole prompts and responses, nested lists
   * and maps) each time; it was 10-15% of a results page's CPU. Views are never compared by value.
   */
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  public static BenchmarkView of(BenchmarkRun r, RunSummary summary) {
    return new BenchmarkView(
        r.id().toString(),
        r.name(),
        r.description(),
        r.datasetId() == null ? null : r.datasetId().toString(),
        r.status().db(),
        r.statusReason(),
        r.config().targets(),
        r.config().assertions(),
        r.config().repeats(),
        r.config().concurrency(),
        r.config().partitions(),
        r.tags(),
        r.totalItems(),
        summary == null ? 0 : summary.completed(),
        summary,
        r.jobExecutionId(),
        r.createdAt(),
        r.startedAt(),
        r.completedAt(),
        r.sharedGroup());
  }
}
