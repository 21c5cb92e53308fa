package dev.llmtestbench.evaluation.domain;

/**
 * What grading one output cost, apart from the call under test: judge and embedding calls, their
 * tokens and cost, and how the evaluation cache answered.
 *
 * @param calls judge and embedding calls made (attempts that were retried count once each)
 * @param promptTokens judge prompt tokens
 * @param completionTokens judge completion tokens
 * @param totalTokens judge tokens in all
 * @param costUsd what the judge calls cost in US dollars; null when none was priced
 * @param cacheHits model-graded assertions answered from the evaluation cache
 * @param cacheMisses model-graded assertions graded afresh while the cache was on
 * @param failures judge or embedding calls that failed (a judge whose answers stayed malformed made
 *     successful calls; the assertion's reason reports it)
 */
public record GradingUsage(
    int calls,
    int promptTokens,
    int completionTokens,
    int totalTokens,
    Double costUsd,
    int cacheHits,
    int cacheMisses,
    int failures) {

  public static final GradingUsage NONE = new GradingUsage(0, 0, 0, 0, null, 0, 0, 0);

  /**
   * Whether nothing was graded by a model (no calls, no cache use). Static, so that JSON-B does not
   * take it for a property.
   */
  public static boolean nothing(GradingUsage u) {
    return u == null || u.calls == 0 && u.cacheHits == 0 && u.cacheMisses == 0 && u.failures == 0;
  }

  /** The sum of two usages; a cost is null only when both are. */
  public GradingUsage plus(GradingUsage o) {
    return new GradingUsage(
        calls + o.calls,
        promptTokens + o.promptTokens,
        completionTokens + o.completionTokens,
        totalTokens + o.totalTokens,
        sum(costUsd, o.costUsd),
        cacheHits + o.cacheHits,
        cacheMisses + o.cacheMisses,
        failures + o.failures);
  }

  private static Double sum(Double a, Double b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Double.valueOf(a + b);
  }
}
