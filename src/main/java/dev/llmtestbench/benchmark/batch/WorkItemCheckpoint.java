package dev.llmtestbench.benchmark.batch;

import java.io.Serializable;

/**
 * Where a partition's reader may resume: every item of its range with a key up to {@code lastKey}
 * has a committed result. Items above it may have one too; the reader skips those.
 */
public record WorkItemCheckpoint(int lastKey) implements Serializable {}
