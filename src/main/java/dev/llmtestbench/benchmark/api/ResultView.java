package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.CacheStats;
import dev.llmtestbench.benchmark.domain.CallDetails;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import dev.llmtestbench.provider.measure.CostDetails;
import dev.llmtestbench.provider.spi.ToolCall;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One result as the API shows it: the call, its evaluation, and how the call went (time to first
 * token, attempts, time queued, estimated tokens, cost, cache use), and what grading it with models
 * cost ({@code grading}, null when no model graded it).
 */
public record ResultView(
    String id,
    String runId,
    int itemKey,
    String testId,
    int repeatIndex,
    String provider,
    String model,
    String status,
    boolean passed,
    Double score,
    Map<String, Double> scores,
    List<AssertionResult> assertions,
    String prompt,
    String response,
    String expected,
    String error,
    String errorType,
    String finishReason,
    double latencyMs,
    Integer promptTokens,
    Integer completionTokens,
    Integer totalTokens,
    String modelVersion,
    String requestId,
    String serverId,
    OffsetDateTime createdAt,
    Double timeToFirstTokenMs,
    int attempts,
    int rateLimited,
    String apiVersion,
    Double queuedMs,
    boolean tokensEstimated,
    Integer cachedPromptTokens,
    List<ToolCall> toolCalls,
    boolean blocked,
    Double cost,
    CostDetails costDetails,
    CacheStats cacheStats,
    GradingUsage grading) {

  /**
   * Identity, not value: JSON-B (Yasson) puts every object it serializes in a hash set to detect
   * cycles, and a record's value hash walks every field (whole prompts and responses, nested lists
   * and maps) each time; it was 10-15% of a results page's CPU. Views are never compared by value.
   */
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  public static ResultView of(ResultRecord r) {
    CallDetails d = r.call();
    return new ResultView(
        r.id().toString(),
        r.runId().toString(),
        r.itemKey(),
        r.testId(),
        r.repeatIndex(),
        r.provider(),
        r.model(),
        r.status(),
        r.passed(),
        r.score(),
        r.scores(),
        r.assertions(),
        r.prompt(),
        r.response(),
        r.expected(),
        r.error(),
        r.errorType(),
        r.finishReason(),
        r.durationMs(),
        r.promptTokens(),
        r.completionTokens(),
        r.totalTokens(),
        r.modelVersion(),
        r.requestId(),
        r.serverId(),
        r.createdAt(),
        d.timeToFirstTokenMs(),
        d.attempts(),
        d.rateLimited(),
        d.apiVersion(),
        d.queuedMs(),
        d.tokensEstimated(),
        d.cachedPromptTokens(),
        d.toolCalls(),
        d.blocked(),
        d.totalCost(),
        d.costDetails(),
        d.cacheStats(),
        GradingUsage.nothing(r.grading()) ? null : r.grading());
  }
}
