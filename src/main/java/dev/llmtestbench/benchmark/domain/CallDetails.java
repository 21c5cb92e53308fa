package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.provider.measure.CostDetails;
import dev.llmtestbench.provider.spi.ToolCall;
import java.util.List;

/**
 * How one provider call went beyond its answer: time to first token, attempts (1 + retries), how
 * many attempts were rate limited, the API version sent, time queued for a concurrency permit
 * (never part of latency), whether tokens were estimated, cached prompt tokens, tool calls, a
 * safety block, the cost and its breakdown, and cache use.
 */
public record CallDetails(
    Double timeToFirstTokenMs,
    int attempts,
    int rateLimited,
    String apiVersion,
    Double queuedMs,
    boolean tokensEstimated,
    Integer cachedPromptTokens,
    List<ToolCall> toolCalls,
    boolean blocked,
    Double totalCost,
    CostDetails costDetails,
    CacheStats cacheStats) {

  public static final CallDetails NONE =
      new CallDetails(null, 1, 0, null, null, false, null, List.of(), false, null, null, null);

  public CallDetails {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  /** Whether the answer came from the response cache rather than a provider call. */
  public boolean cacheHit() {
    return cacheStats != null && cacheStats.providerCacheHit();
  }
}
