package dev.llmtestbench.benchmark.graphql;

import dev.llmtestbench.benchmark.api.ResultView;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

/** The GraphQL Result type: one executed test case. */
@Name("Result")
public class ResultType {

  /** One assertion's outcome on this result. */
  @Name("AssertionOutcome")
  public static class AssertionOutcome {
    public String metric;
    public String type;
    public boolean pass;
    public double score;
    public String reason;
  }

  @Id public String id;
  public String runId;
  public int itemKey;
  public String testId;
  public int repeatIndex;
  public String provider;
  public String model;
  public String status;
  public boolean passed;
  public Double score;
  public List<AssertionOutcome> assertions;
  public String prompt;
  public String response;
  public String expected;
  public String error;
  public String errorType;
  public String finishReason;
  public double latencyMs;
  public Integer promptTokens;
  public Integer completionTokens;
  public Integer totalTokens;
  public String modelVersion;
  public String serverId;
  public OffsetDateTime createdAt;
  public Double timeToFirstTokenMs;
  public int attempts;
  public boolean tokensEstimated;
  public boolean blocked;
  public Double cost;
  public boolean cacheHit;
  public Grading grading;

  /** Loads the nested fields for every result of the same answer at once; null: alone. */
  @org.eclipse.microprofile.graphql.Ignore transient Nested nested;

  /** What grading the result with models cost, apart from the tested call. */
  public static class Grading {
    public int calls;
    public int promptTokens;
    public int completionTokens;
    public int totalTokens;
    public Double costUsd;
    public int cacheHits;
    public int cacheMisses;
    public int failures;
  }

  static ResultType of(ResultView v) {
    ResultType r = new ResultType();
    r.id = v.id();
    r.runId = v.runId();
    r.itemKey = v.itemKey();
    r.testId = v.testId();
    r.repeatIndex = v.repeatIndex();
    r.provider = v.provider();
    r.model = v.model();
    r.status = v.status();
    r.passed = v.passed();
    r.score = v.score();
    r.assertions =
        v.assertions() == null
            ? List.of()
            : v.assertions().stream()
                .map(
                    a -> {
                      AssertionOutcome o = new AssertionOutcome();
                      o.metric = a.metric();
                      o.type = a.type();
                      o.pass = a.pass();
                      o.score = a.score();
                      o.reason = a.reason();
                      return o;
                    })
                .toList();
    r.prompt = v.prompt();
    r.response = v.response();
    r.expected = v.expected();
    r.error = v.error();
    r.errorType = v.errorType();
    r.finishReason = v.finishReason();
    r.latencyMs = v.latencyMs();
    r.promptTokens = v.promptTokens();
    r.completionTokens = v.completionTokens();
    r.totalTokens = v.totalTokens();
    r.modelVersion = v.modelVersion();
    r.serverId = v.serverId();
    r.createdAt = v.createdAt();
    r.timeToFirstTokenMs = v.timeToFirstTokenMs();
    r.attempts = v.attempts();
    r.tokensEstimated = v.tokensEstimated();
    r.blocked = v.blocked();
    r.cost = v.cost();
    r.cacheHit = v.cacheStats() != null && v.cacheStats().providerCacheHit();
    if (v.grading() != null) {
      Grading g = new Grading();
      g.calls = v.grading().calls();
      g.promptTokens = v.grading().promptTokens();
      g.completionTokens = v.grading().completionTokens();
      g.totalTokens = v.grading().totalTokens();
      g.costUsd = v.grading().costUsd();
      g.cacheHits = v.grading().cacheHits();
      g.cacheMisses = v.grading().cacheMisses();
      g.failures = v.grading().failures();
      r.grading = g;
    }
    return r;
  }
}
