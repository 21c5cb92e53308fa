package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One executed work item: the call's outcome, its evaluation and its measurements; {@code toCache}
 * is not stored with the result, only handed to the response cache. {@code grading} is what
 * model-graded assertions cost (judge calls, tokens, cost, evaluation cache use), never counted in
 * the tested call's tokens, cost or latency.
 */
public record ResultRecord(
    UUID id,
    long seq,
    UUID runId,
    int itemKey,
    UUID providerId,
    String provider,
    String model,
    UUID datasetId,
    UUID testCaseId,
    String testId,
    int repeatIndex,
    String status,
    String prompt,
    String response,
    String expected,
    String error,
    String errorType,
    String finishReason,
    double durationMs,
    Integer promptTokens,
    Integer completionTokens,
    Integer totalTokens,
    boolean passed,
    Double score,
    Map<String, Double> scores,
    List<AssertionResult> assertions,
    List<String> tags,
    String modelVersion,
    String requestId,
    String serverId,
    OffsetDateTime createdAt,
    CallDetails call,
    CacheWrite toCache,
    GradingUsage grading) {

  public ResultRecord {
    call = call == null ? CallDetails.NONE : call;
    grading = grading == null ? GradingUsage.NONE : grading;
  }

  /** An answer to store in the response cache once this result is written. */
  public record CacheWrite(String key, dev.llmtestbench.provider.spi.Completion completion) {}
}
