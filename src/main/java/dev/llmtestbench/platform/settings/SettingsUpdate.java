package dev.llmtestbench.platform.settings;

import java.util.List;

/**
 * A change of settings: each non-null value is stored; each name in {@code reset} is removed, so
 * that setting falls back to its MicroProfile Config default.
 */
public record SettingsUpdate(
    Integer defaultConcurrency,
    Integer defaultTimeoutMs,
    Integer defaultPartitions,
    List<String> reset) {}
