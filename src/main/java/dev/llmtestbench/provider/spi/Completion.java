package dev.llmtestbench.provider.spi;

/**
 * A provider's answer to a {@link CompletionRequest}; token counts are null when the provider does
 * not report them, and {@code latencyNanos} covers the provider call only, never queue time.
 */
public record Completion(
    String text,
    String finishReason,
    Integer promptTokens,
    Integer completionTokens,
    Integer totalTokens,
    long latencyNanos,
    String modelVersion,
    String requestId) {}
