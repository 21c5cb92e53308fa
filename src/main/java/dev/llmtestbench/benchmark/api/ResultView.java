package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** One result as the API shows it. */
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
    OffsetDateTime createdAt) {

  public static ResultView of(ResultRecord r) {
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
        r.createdAt());
  }
}
