package dev.llmtestbench.benchmark.persistence;

import java.util.UUID;

/** Which results to read; null fields do not filter. */
public record ResultFilter(
    UUID runId, String provider, String model, String status, Boolean passed) {}
