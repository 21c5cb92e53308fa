package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.dataset.domain.TestCase;

/** One planned call of a run: a test case, a target (by index) and a repeat, under a stable key. */
public record WorkItem(int itemKey, TestCase testCase, int targetIndex, int repeatIndex) {}
