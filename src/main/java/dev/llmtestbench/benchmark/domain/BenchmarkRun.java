package dev.llmtestbench.benchmark.domain;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A benchmark run: a dataset run against targets, stored as a row of {@code sessions}. */
public record BenchmarkRun(
    UUID id,
    long seq,
    String name,
    String description,
    UUID datasetId,
    RunStatus status,
    String statusReason,
    RunConfig config,
    List<String> tags,
    Integer totalItems,
    Long jobExecutionId,
    RunSummary summary,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime completedAt,
    String sharedGroup) {}
