package dev.llmtestbench.benchmark.persistence;

import dev.llmtestbench.benchmark.domain.CacheStats;
import dev.llmtestbench.benchmark.domain.CallDetails;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.SummaryInputs.Cases;
import dev.llmtestbench.benchmark.domain.SummaryInputs.MetricCases;
import dev.llmtestbench.benchmark.domain.SummaryInputs.Totals;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.security.Visibility;
import dev.llmtestbench.provider.measure.CostDetails;
import dev.llmtestbench.provider.spi.ToolCall;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Results: idempotent batch writes, filtered reads, and the SQL behind run summaries. */
@ApplicationScoped
public class ResultRepository {

  private static final Type SCORES =
      new HashMap<String, Double>() {}.getClass().getGenericSuperclass();
  private static final Type TOOL_CALLS =
      new ArrayList<ToolCall>() {}.getClass().getGenericSuperclass();
  private static final Type STRING_MAP =
      new HashMap<String, String>() {}.getClass().getGenericSuperclass();
  private static final Type ASSERTIONS =
      new ArrayList<AssertionResult>() {}.getClass().getGenericSuperclass();
  private static final String COLUMNS =
      "id, seq, session_id, item_key, provider_id, provider, model, dataset_id, test_case_id,"
          + " test_id, repeat_index, status, prompt, response, expected, error, error_type,"
          + " finish_reason, duration_ms, prompt_tokens, completion_tokens, total_tokens, passed,"
          + " score, evaluation_scores, evaluation_details, tags, provider_metadata, server_id,"
          + " created_at, time_to_first_token_ms, attempts, rate_limited, api_version, queued_ms,"
          + " tokens_estimated,"
          + " cached_prompt_tokens, tool_calls, blocked, total_cost, cost_details, cache_stats,"
          + " grading_usage";

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @Inject Jdbc jdbc;

  /**
   * Writes results; a result whose (run, item key) already exists is skipped, so re-running a chunk
   * after a crash writes nothing twice. Joins the caller's transaction when there is one.
   */
  public void insertAll(List<ResultRecord> results) {
    if (results.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO results (session_id, item_key, provider_id, provider, model,"
                    + " dataset_id, test_case_id, test_id, repeat_index, status, prompt, response,"
                    + " expected, error, error_type, finish_reason, duration_ms, prompt_tokens,"
                    + " completion_tokens, total_tokens, passed, score, evaluation_scores,"
                    + " evaluation_details, tags, provider_metadata, server_id,"
                    + " time_to_first_token_ms, attempts, rate_limited, api_version, queued_ms,"
                    + " tokens_estimated, cached_prompt_tokens, tool_calls, blocked, total_cost,"
                    + " cost_details, cache_stats, grading_usage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb) ON CONFLICT"
                    + " (session_id, item_key)"
                    + " DO NOTHING")) {
      for (ResultRecord r : results) {
        int i = 1;
        ps.setObject(i++, r.runId());
        ps.setInt(i++, r.itemKey());
        ps.setObject(i++, r.providerId());
        ps.setString(i++, r.provider());
        ps.setString(i++, r.model());
        ps.setObject(i++, r.datasetId());
        ps.setObject(i++, r.testCaseId());
        ps.setString(i++, r.testId());
        ps.setInt(i++, r.repeatIndex());
        ps.setString(i++, r.status());
        ps.setString(i++, r.prompt());
        ps.setString(i++, r.response());
        ps.setString(i++, r.expected());
        ps.setString(i++, r.error());
        ps.setString(i++, r.errorType());
        ps.setString(i++, r.finishReason());
        ps.setDouble(i++, r.durationMs());
        ps.setObject(i++, r.promptTokens());
        ps.setObject(i++, r.completionTokens());
        ps.setObject(i++, r.totalTokens());
        ps.setBoolean(i++, r.passed());
        ps.setObject(i++, r.score());
        ps.setString(i++, Json.write(r.scores()));
        ps.setString(i++, Json.write(r.assertions()));
        ps.setArray(i++, Rows.textArray(c, r.tags()));
        ps.setString(i++, providerMetadata(r));
        ps.setString(i++, r.serverId());
        CallDetails d = r.call();
        ps.setObject(i++, d.timeToFirstTokenMs());
        ps.setInt(i++, d.attempts());
        ps.setInt(i++, d.rateLimited());
        ps.setString(i++, d.apiVersion());
        ps.setObject(i++, d.queuedMs());
        ps.setBoolean(i++, d.tokensEstimated());
        ps.setObject(i++, d.cachedPromptTokens());
        ps.setString(i++, d.toolCalls().isEmpty() ? null : Json.write(d.toolCalls()));
        ps.setBoolean(i++, d.blocked());
        ps.setObject(i++, d.totalCost());
        ps.setString(i++, Json.write(d.costDetails()));
        ps.setString(i++, Json.write(d.cacheStats()));
        ps.setString(i, GradingUsage.nothing(r.grading()) ? null : Json.write(r.grading()));
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  private static String providerMetadata(ResultRecord r) {
    Map<String, String> m = new HashMap<>();
    if (r.modelVersion() != null) {
      m.put("modelVersion", r.modelVersion());
    }
    if (r.requestId() != null) {
      m.put("requestId", r.requestId());
    }
    return m.isEmpty() ? null : Json.write(m);
  }

  public Optional<ResultRecord> find(UUID id) {
    return jdbc.one("SELECT " + COLUMNS + " FROM results WHERE id = ?", ResultRepository::map, id);
  }

  /** Results matching the filter in write order (seq), after the cursor. */
  public List<ResultRecord> query(ResultFilter f, Long afterSeq, int limit) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM results WHERE ");
    sql.append(where(f, params));
    if (afterSeq != null) {
      sql.append(" AND seq > ?");
      params.add(afterSeq);
    }
    sql.append(" ORDER BY seq LIMIT ?");
    params.add(limit);
    return jdbc.list(sql.toString(), ResultRepository::map, params.toArray());
  }

  /**
   * The first {@code limitPerRun} results (in write order, after the cursor) of each of many runs
   * matching {@code f}, in one statement: an index range scan per run (session_id, seq) under a
   * lateral join, so a run's size does not matter. Only runs {@code v} may see are read. The
   * filter's own run and visibility are ignored.
   */
  public Map<UUID, List<ResultRecord>> firstPerRun(
      java.util.Collection<UUID> runIds,
      ResultFilter f,
      Long afterSeq,
      int limitPerRun,
      Visibility v) {
    Map<UUID, List<ResultRecord>> pages = new HashMap<>();
    if (runIds.isEmpty()) {
      return pages;
    }
    List<Object> params = new ArrayList<>();
    ResultFilter own =
        new ResultFilter(
            null,
            f.provider(),
            f.model(),
            f.status(),
            f.passed(),
            f.from(),
            f.to(),
            f.tags(),
            f.minScores(),
            f.search(),
            null);
    StringBuilder sql =
        new StringBuilder(
            "SELECT r.* FROM sessions s CROSS JOIN LATERAL (SELECT "
                + COLUMNS
                + " FROM results WHERE session_id = s.id AND ");
    sql.append(where(own, params));
    if (afterSeq != null) {
      sql.append(" AND seq > ?");
      params.add(afterSeq);
    }
    sql.append(" ORDER BY seq LIMIT ?) r WHERE s.id = ANY(?) AND ")
        .append(Visibility.PREDICATE) // over sessions: the lateral rows have no owner columns
        .append(" ORDER BY r.session_id, r.seq");
    params.add(limitPerRun);
    params.add(List.copyOf(runIds));
    params.addAll(java.util.Arrays.asList(v.params()));
    for (ResultRecord r : jdbc.list(sql.toString(), ResultRepository::map, params.toArray())) {
      pages.computeIfAbsent(r.runId(), k -> new ArrayList<>()).add(r);
    }
    return pages;
  }

  /** The SQL condition of a filter, its parameters appended to {@code params}. */
  static String where(ResultFilter f, List<Object> params) {
    StringBuilder sql = new StringBuilder("TRUE");
    if (f.runId() != null) {
      sql.append(" AND session_id = ?");
      params.add(f.runId());
    }
    if (f.provider() != null) {
      sql.append(" AND provider = ?");
      params.add(f.provider());
    }
    if (f.model() != null) {
      sql.append(" AND model = ?");
      params.add(f.model());
    }
    if (f.status() != null) {
      sql.append(" AND status = ?");
      params.add(f.status());
    }
    if (f.passed() != null) {
      sql.append(" AND passed = ?");
      params.add(f.passed());
    }
    if (f.from() != null) {
      sql.append(" AND created_at >= ?");
      params.add(f.from());
    }
    if (f.to() != null) {
      sql.append(" AND created_at < ?");
      params.add(f.to());
    }
    if (!f.tags().isEmpty()) {
      sql.append(" AND tags @> ?::text[]");
      params.add(f.tags());
    }
    for (var min : new java.util.TreeMap<>(f.minScores()).entrySet()) {
      if (min.getKey().equals(ResultFilter.OVERALL)) {
        sql.append(" AND score >= ?");
      } else {
        sql.append(" AND (evaluation_scores->>?)::float8 >= ?");
        params.add(min.getKey());
      }
      params.add(min.getValue());
    }
    if (f.search() != null) {
      // the expressions of the two GIN indexes of V1, so a search is two index scans OR-ed
      sql.append(
          " AND (to_tsvector('english', prompt) @@ websearch_to_tsquery('english', ?)"
              + " OR to_tsvector('english', coalesce(response, ''))"
              + " @@ websearch_to_tsquery('english', ?))");
      params.add(f.search());
      params.add(f.search());
    }
    if (f.visibility() != null) {
      sql.append(" AND session_id IN (SELECT id FROM sessions WHERE " + Visibility.PREDICATE + ")");
      params.addAll(java.util.Arrays.asList(f.visibility().params()));
    }
    return sql.toString();
  }

  /** Receives the rows of a streamed read one at a time. */
  @FunctionalInterface
  public interface RowSink {
    void accept(ResultRecord r) throws java.io.IOException;
  }

  /**
   * Streams every result matching the filter to {@code sink} through a server-side cursor
   * (autocommit off, {@code fetchSize} rows per round trip), so memory stays constant however many
   * there are. {@code byTarget} orders by run, provider, model and item key (for reports grouped by
   * target); otherwise in write order.
   */
  public void stream(ResultFilter f, boolean byTarget, int fetchSize, RowSink sink)
      throws java.io.IOException {
    List<Object> params = new ArrayList<>();
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM results WHERE "
            + where(f, params)
            + (byTarget ? " ORDER BY session_id, provider, model, item_key" : " ORDER BY seq");
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(fetchSize);
        Jdbc.bind(c, ps, params.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sink.accept(map(rs));
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  /** Counts of the results matching a filter for one run and target, as a report's heading. */
  public record TargetCounts(
      UUID runId,
      String runName,
      String provider,
      String model,
      int tests,
      int passed,
      int failures,
      int errors,
      int skipped,
      double seconds,
      Double meanScore,
      java.time.OffsetDateTime firstAt) {}

  /** Per run and target (provider, model), in the order {@link #stream} with byTarget reads. */
  public List<TargetCounts> targetCounts(ResultFilter f) {
    List<Object> params = new ArrayList<>();
    String sql =
        "SELECT r.session_id, s.name, r.provider, r.model, count(*)::int AS n,"
            + " (count(*) FILTER (WHERE r.passed))::int AS p,"
            + " (count(*) FILTER (WHERE r.status = 'failure'))::int AS f,"
            + " (count(*) FILTER (WHERE r.status IN ('error', 'timeout')))::int AS e,"
            + " (count(*) FILTER (WHERE r.status = 'skipped'))::int AS sk,"
            + " COALESCE(sum(r.duration_ms), 0) / 1000.0 AS secs, avg(COALESCE(r.score, 0)) AS m,"
            + " min(r.created_at) AS first_at"
            + " FROM (SELECT * FROM results WHERE "
            + where(f, params)
            + ") r JOIN sessions s ON s.id = r.session_id"
            + " GROUP BY r.session_id, s.name, r.provider, r.model"
            + " ORDER BY r.session_id, r.provider, r.model";
    return jdbc.list(
        sql,
        rs ->
            new TargetCounts(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt("n"),
                rs.getInt("p"),
                rs.getInt("f"),
                rs.getInt("e"),
                rs.getInt("sk"),
                rs.getDouble("secs"),
                Rows.doubleOrNull(rs, "m"),
                Rows.time(rs, "first_at")),
        params.toArray());
  }

  /** What a run's written results have spent: their cost in US dollars and their tokens. */
  public record Spent(double cost, long tokens) {}

  public Spent spent(UUID runId) {
    return jdbc.one(
            "SELECT COALESCE(sum(total_cost), 0), COALESCE(sum(total_tokens), 0) FROM results"
                + " WHERE session_id = ?",
            rs -> new Spent(rs.getDouble(1), rs.getLong(2)),
            runId)
        .orElse(new Spent(0, 0));
  }

  /** Results per run for many runs in one statement (runs without results are absent). */
  public Map<UUID, Integer> counts(java.util.Collection<UUID> runIds) {
    Map<UUID, Integer> counts = new HashMap<>();
    if (runIds.isEmpty()) {
      return counts;
    }
    jdbc.list(
            "SELECT session_id, count(*) FROM results WHERE session_id = ANY(?) GROUP BY"
                + " session_id",
            rs -> Map.entry(rs.getObject(1, UUID.class), rs.getInt(2)),
            List.copyOf(runIds))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  public int count(UUID runId) {
    return jdbc.one("SELECT count(*) FROM results WHERE session_id = ?", rs -> rs.getInt(1), runId)
        .orElse(0);
  }

  /**
   * Per provider/model and for the whole run (the row with a null provider): counts, mean score
   * (errors score 0), latency percentiles over answered calls not served from the cache, and sums.
   */
  public List<Totals> totals(UUID runId) {
    String answered =
        "   FILTER (WHERE status IN ('success', 'failure') AND NOT " + CACHE_HIT + ")";
    String sql =
        "SELECT provider, model, GROUPING(provider, model) AS g, count(*) AS results,"
            + " count(*) FILTER (WHERE passed) AS passed,"
            + " count(*) FILTER (WHERE status = 'failure') AS failed,"
            + " count(*) FILTER (WHERE status IN ('error', 'timeout')) AS errors,"
            + " avg(COALESCE(score, 0)) AS mean_score,"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)"
            + answered
            + " AS p50,"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)"
            + answered
            + " AS p95,"
            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)"
            + answered
            + " AS p99,"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY time_to_first_token_ms)"
            + "   FILTER (WHERE time_to_first_token_ms IS NOT NULL AND NOT "
            + CACHE_HIT
            + ") AS ttft50,"
            + " COALESCE(sum(total_cost), 0) AS cost, COALESCE(sum(attempts - 1), 0) AS retries,"
            + " count(*) FILTER (WHERE "
            + CACHE_HIT
            + ") AS cache_hits,"
            + " COALESCE(sum(prompt_tokens), 0) AS pt, COALESCE(sum(completion_tokens), 0) AS ct,"
            + " COALESCE(sum(total_tokens), 0) AS tt,"
            + " COALESCE(sum((grading_usage->>'calls')::bigint), 0) AS gcalls,"
            + " COALESCE(sum((grading_usage->>'totalTokens')::bigint), 0) AS gtokens,"
            + " COALESCE(sum((grading_usage->>'costUsd')::float8), 0) AS gcost"
            + " FROM results WHERE session_id = ? GROUP BY GROUPING SETS ((provider, model), ())"
            + " ORDER BY g, provider, model";
    return jdbc.list(
        sql,
        rs -> {
          boolean overall = rs.getInt("g") != 0;
          return new Totals(
              overall ? null : rs.getString("provider"),
              overall ? null : rs.getString("model"),
              rs.getInt("results"),
              rs.getInt("passed"),
              rs.getInt("failed"),
              rs.getInt("errors"),
              Rows.doubleOrNull(rs, "mean_score"),
              Rows.doubleOrNull(rs, "p50"),
              Rows.doubleOrNull(rs, "p95"),
              Rows.doubleOrNull(rs, "p99"),
              Rows.doubleOrNull(rs, "ttft50"),
              rs.getLong("pt"),
              rs.getLong("ct"),
              rs.getLong("tt"),
              rs.getDouble("cost"),
              rs.getLong("retries"),
              rs.getInt("cache_hits"),
              rs.getLong("gcalls"),
              rs.getLong("gtokens"),
              rs.getDouble("gcost"));
        },
        runId);
  }

  /**
   * Per provider/model, one entry per test case (ordered by case): the mean score of its results
   * (errors score 0), their number, their passes and the standard deviation of their scores. The
   * database groups the results; only four numbers per case reach the server.
   */
  public List<Cases> cases(UUID runId) {
    String sql =
        "WITH c AS (SELECT provider, model, "
            + CASE_KEY
            + " AS case_key, count(*)::int AS k, (count(*) FILTER (WHERE passed))::int AS t,"
            + " avg(COALESCE(score, 0)) AS m, COALESCE(stddev_samp(COALESCE(score, 0)), 0) AS sd"
            + " FROM results WHERE session_id = ? GROUP BY provider, model, case_key)"
            + " SELECT provider, model, array_agg(m ORDER BY case_key) AS m,"
            + " array_agg(k ORDER BY case_key) AS k, array_agg(t ORDER BY case_key) AS t,"
            + " array_agg(sd ORDER BY case_key) AS sd FROM c GROUP BY provider, model"
            + " ORDER BY provider, model";
    return jdbc.list(
        sql,
        rs ->
            new Cases(
                rs.getString("provider"),
                rs.getString("model"),
                doubles(rs, "m"),
                ints(rs, "k"),
                ints(rs, "t"),
                doubles(rs, "sd")),
        runId);
  }

  /**
   * Per provider/model and named metric, over the results whose evaluation has that metric: how
   * many, how many passed it (every assertion of that metric passed), and its mean score
   * (evaluation_scores) per test case.
   */
  public List<MetricCases> metricCases(UUID runId) {
    String sql =
        "WITH d AS (SELECT r.provider, r.model, "
            + CASE_KEY.replace("test_", "r.test_")
            + " AS case_key, r.id, e->>'metric' AS metric,"
            + " bool_and((e->>'pass')::boolean) AS pass,"
            + " max(COALESCE((r.evaluation_scores->>(e->>'metric'))::float8,"
            + " (e->>'score')::float8)) AS score"
            + " FROM results r CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN"
            + " jsonb_typeof(r.evaluation_details) = 'array' THEN r.evaluation_details ELSE"
            + " '[]'::jsonb END) e WHERE r.session_id = ? AND e->>'metric' IS NOT NULL"
            + " GROUP BY r.provider, r.model, case_key, r.id, metric),"
            + " c AS (SELECT provider, model, metric, case_key, count(*)::int AS n,"
            + " (count(*) FILTER (WHERE pass))::int AS p, avg(score) AS m FROM d"
            + " GROUP BY provider, model, metric, case_key)"
            + " SELECT provider, model, metric, sum(n)::int AS n, sum(p)::int AS p,"
            + " array_agg(m ORDER BY case_key) AS m FROM c GROUP BY provider, model, metric"
            + " ORDER BY provider, model, metric";
    return jdbc.list(
        sql,
        rs ->
            new MetricCases(
                rs.getString("provider"),
                rs.getString("model"),
                rs.getString("metric"),
                rs.getInt("n"),
                rs.getInt("p"),
                doubles(rs, "m")),
        runId);
  }

  /** A test case's identity within a run: its id, or its test id for results without one. */
  static final String CASE_KEY = "COALESCE(test_case_id::text, test_id)";

  /** A float8[] column as primitives (null elements as 0); empty for SQL NULL. */
  static double[] doubles(ResultSet rs, String column) throws SQLException {
    Object[] values = array(rs, column);
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] == null ? 0 : ((Number) values[i]).doubleValue();
    }
    return out;
  }

  /** An int[] column as primitives; empty for SQL NULL. */
  static int[] ints(ResultSet rs, String column) throws SQLException {
    Object[] values = array(rs, column);
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).intValue();
    }
    return out;
  }

  private static Object[] array(ResultSet rs, String column) throws SQLException {
    java.sql.Array array = rs.getArray(column);
    if (array == null) {
      return new Object[0];
    }
    try {
      return (Object[]) array.getArray();
    } finally {
      array.free();
    }
  }

  /** The mean score of every metric scored in the run, across all its results. */
  public Map<String, Double> metricMeans(UUID runId) {
    Map<String, Double> means = new HashMap<>();
    jdbc.list(
            "SELECT e.key, avg(e.value::double precision) FROM results r,"
                + " jsonb_each_text(r.evaluation_scores) e WHERE r.session_id = ? GROUP BY e.key",
            rs -> Map.entry(rs.getString(1), rs.getDouble(2)),
            runId)
        .forEach(e -> means.put(e.getKey(), e.getValue()));
    return means;
  }

  private static final String CACHE_HIT =
      "COALESCE((cache_stats->>'providerCacheHit')::boolean, FALSE)";

  private static ResultRecord map(ResultSet rs) throws SQLException {
    Map<String, String> meta =
        rs.getString("provider_metadata") == null
            ? Map.of()
            : Json.read(
                rs.getString("provider_metadata"),
                new HashMap<String, String>() {}.getClass().getGenericSuperclass());
    return new ResultRecord(
        rs.getObject("id", UUID.class),
        rs.getLong("seq"),
        rs.getObject("session_id", UUID.class),
        rs.getInt("item_key"),
        rs.getObject("provider_id", UUID.class),
        rs.getString("provider"),
        rs.getString("model"),
        rs.getObject("dataset_id", UUID.class),
        rs.getObject("test_case_id", UUID.class),
        rs.getString("test_id"),
        rs.getInt("repeat_index"),
        rs.getString("status"),
        rs.getString("prompt"),
        rs.getString("response"),
        rs.getString("expected"),
        rs.getString("error"),
        rs.getString("error_type"),
        rs.getString("finish_reason"),
        rs.getDouble("duration_ms"),
        Rows.intOrNull(rs, "prompt_tokens"),
        Rows.intOrNull(rs, "completion_tokens"),
        Rows.intOrNull(rs, "total_tokens"),
        rs.getBoolean("passed"),
        Rows.doubleOrNull(rs, "score"),
        Json.read(rs.getString("evaluation_scores"), SCORES),
        Json.read(rs.getString("evaluation_details"), ASSERTIONS),
        Rows.strings(rs, "tags"),
        meta.get("modelVersion"),
        meta.get("requestId"),
        rs.getString("server_id"),
        Rows.time(rs, "created_at"),
        new CallDetails(
            Rows.doubleOrNull(rs, "time_to_first_token_ms"),
            rs.getInt("attempts"),
            rs.getInt("rate_limited"),
            rs.getString("api_version"),
            Rows.doubleOrNull(rs, "queued_ms"),
            rs.getBoolean("tokens_estimated"),
            Rows.intOrNull(rs, "cached_prompt_tokens"),
            Json.read(rs.getString("tool_calls"), TOOL_CALLS),
            rs.getBoolean("blocked"),
            Rows.doubleOrNull(rs, "total_cost"),
            Json.read(rs.getString("cost_details"), CostDetails.class),
            Json.read(rs.getString("cache_stats"), CacheStats.class)),
        null,
        rs.getString("grading_usage") == null
            ? null
            : Json.read(rs.getString("grading_usage"), GradingUsage.class));
  }
}
