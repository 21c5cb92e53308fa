package dev.llmtestbench.provider.spi;

/** Whether a provider answered a cheap request, how fast, and what it said when it did not. */
public record HealthReport(boolean up, long latencyNanos, String message) {}
