package dev.llmtestbench.provider.spi;

import java.util.List;

/**
 * A provider's answer to a {@link CompletionRequest}. Token counts are null when neither the
 * provider reported them nor an estimate was made ({@code tokensEstimated} says which); {@code
 * latencyNanos} covers the provider call only, never queue time; {@code timeToFirstTokenNanos} is
 * set for streamed answers. {@code blocked} marks an answer withheld by the provider's safety
 * filter ({@code finishReason} says why).
 */
public record Completion(
    String text,
    String finishReason,
    Integer promptTokens,
    Integer completionTokens,
    Integer totalTokens,
    long latencyNanos,
    String modelVersion,
    String requestId,
    Long timeToFirstTokenNanos,
    List<ToolCall> toolCalls,
    List<TokenLogprob> logprobs,
    boolean tokensEstimated,
    Integer cachedPromptTokens,
    boolean blocked) {

  public Completion {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
  }

  public Completion(
      String text,
      String finishReason,
      Integer promptTokens,
      Integer completionTokens,
      Integer totalTokens,
      long latencyNanos,
      String modelVersion,
      String requestId) {
    this(
        text,
        finishReason,
        promptTokens,
        completionTokens,
        totalTokens,
        latencyNanos,
        modelVersion,
        requestId,
        null,
        null,
        null,
        false,
        null,
        false);
  }

  /** The same completion with estimated token counts filled in where the provider gave none. */
  public Completion withEstimatedTokens(int prompt, int completion) {
    return new Completion(
        text,
        finishReason,
        prompt,
        completion,
        prompt + completion,
        latencyNanos,
        modelVersion,
        requestId,
        timeToFirstTokenNanos,
        toolCalls,
        logprobs,
        true,
        cachedPromptTokens,
        blocked);
  }
}
