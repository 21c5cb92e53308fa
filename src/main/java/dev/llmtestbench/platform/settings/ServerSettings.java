package dev.llmtestbench.platform.settings;

import java.time.Instant;
import java.util.List;

/**
 * The server-wide settings in effect: each is the value stored in the {@code settings} table when
 * an administrator set one, else the MicroProfile Config default (docs/configuration.md).
 *
 * @param defaultConcurrency provider calls a partition keeps in flight when a run sets none
 * @param defaultTimeoutMs per-call timeout when a run sets no {@code timeoutMs}
 * @param defaultPartitions partitions of a run that sets none
 * @param stored the names of the settings that are stored (the others come from the config)
 * @param updatedAt when a stored setting last changed; null when none is stored
 */
public record ServerSettings(
    int defaultConcurrency,
    int defaultTimeoutMs,
    int defaultPartitions,
    List<String> stored,
    Instant updatedAt) {}
