package dev.llmtestbench.benchmark.persistence;

import dev.llmtestbench.platform.security.Visibility;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which results to read; null (or empty) fields do not filter.
 *
 * @param from results written at or after this instant
 * @param to results written before this instant
 * @param tags results carrying every one of these tags
 * @param minScores per metric name, the lowest score kept ({@link #OVERALL} for the result's score)
 * @param search a full-text query (web search syntax) over prompts and responses
 * @param visibility only results of runs visible under this rule; null: no restriction (internal
 *     reads)
 */
public record ResultFilter(
    UUID runId,
    String provider,
    String model,
    String status,
    Boolean passed,
    OffsetDateTime from,
    OffsetDateTime to,
    List<String> tags,
    Map<String, Double> minScores,
    String search,
    Visibility visibility) {

  /** The key of {@link #minScores} that bounds the result's overall score. */
  public static final String OVERALL = "";

  public ResultFilter {
    tags = tags == null ? List.of() : List.copyOf(tags);
    minScores = minScores == null ? Map.of() : Map.copyOf(minScores);
  }

  public ResultFilter(UUID runId, String provider, String model, String status, Boolean passed) {
    this(runId, provider, model, status, passed, null, null, null, null, null, null);
  }

  /** This filter restricted to the results of runs {@code v} may see. */
  public ResultFilter visibleTo(Visibility v) {
    return new ResultFilter(
        runId, provider, model, status, passed, from, to, tags, minScores, search, v);
  }
}
