package dev.llmtestbench.benchmark.batch;

import java.io.Serializable;

/** Where a partition's reader stands: the last item key it handed out. */
public record WorkItemCheckpoint(int lastKey) implements Serializable {}
