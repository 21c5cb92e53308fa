package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One executed work item: the call's outcome, its evaluation and its measurements; {@code toCache}
 * is not stored with the result, only handed to the response cache.
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
    CacheWrite toCache) {

  public ResultRecord {
    call = call == null ? CallDetails.NONE : call;
  }

  /** This result with other call details (e.g. a recorded cost instead of a priced one). */
  public ResultRecord withCall(CallDetails details) {
    return new ResultRecord(
        id,
        seq,
        runId,
        itemKey,
        providerId,
        provider,
        model,
        datasetId,
        testCaseId,
        testId,
        repeatIndex,
        status,
        prompt,
        response,
        expected,
        error,
        errorType,
        finishReason,
        durationMs,
        promptTokens,
        completionTokens,
        totalTokens,
        passed,
        score,
        scores,
        assertions,
        tags,
        modelVersion,
        requestId,
        serverId,
        createdAt,
        details,
        toCache);
  }

  /** An answer to store in the response cache once this result is written. */
  public record CacheWrite(String key, dev.llmtestbench.provider.spi.Completion completion) {}
}
