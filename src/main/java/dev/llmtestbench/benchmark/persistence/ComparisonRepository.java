package dev.llmtestbench.benchmark.persistence;

import dev.llmtestbench.benchmark.domain.Comparisons.CaseChange;
import dev.llmtestbench.benchmark.domain.Comparisons.Cell;
import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Type;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL behind comparisons: pages of a run's model matrix, and a candidate's results matched to a
 * baseline's by test case and repeat. Statistics read only counts and arrays of scores.
 */
@ApplicationScoped
public class ComparisonRepository {

  private static final Type SCORES =
      new HashMap<String, Double>() {}.getClass().getGenericSuperclass();

  /** Which rows of the matrix a page shows. */
  public enum RowFilter {
    ALL(""),
    FAILURES(" HAVING bool_or(NOT passed)"),
    DISAGREEMENTS(" HAVING bool_or(passed) AND bool_or(NOT passed)");

    final String having;

    RowFilter(String having) {
      this.having = having;
    }
  }

  /** Which matched pairs a page of a run comparison shows. */
  public enum PairFilter {
    ALL("TRUE"),
    CHANGED("(b.passed <> c.passed OR COALESCE(b.score, 0) <> COALESCE(c.score, 0))"),
    REGRESSIONS("(b.passed AND NOT c.passed)"),
    IMPROVEMENTS("(c.passed AND NOT b.passed)");

    final String condition;

    PairFilter(String condition) {
      this.condition = condition;
    }
  }

  /** A matrix cell with its place: the row (item key / targets) and the target index. */
  public record MatrixCell(
      long row,
      int target,
      String testId,
      String testCaseId,
      int repeat,
      String prompt,
      String expected,
      Cell cell) {}

  /** The 2×2 table of matched pairs, their case scores, and how many results had no match. */
  public record PairTable(
      int bothPass,
      int regressions,
      int improvements,
      int bothFail,
      double[] baselineScores,
      double[] candidateScores,
      int baselineResults,
      int candidateResults) {
    public int pairs() {
      return bothPass + regressions + improvements + bothFail;
    }
  }

  /** One metric's scores over the pairs where both results scored it, pair for pair. */
  public record MetricPairs(String metric, double[] baseline, double[] candidate) {}

  /** One matched pair for a page, with the baseline's item key as its cursor. */
  public record PairRow(long key, CaseChange change) {}

  /** Which side's target: a run and a provider/model of it. */
  public record Side(UUID runId, String provider, String model) {}

  @Inject Jdbc jdbc;

  /**
   * The cells of up to {@code rows} matrix rows after {@code afterRow} (-1 for the first page) that
   * pass the filter, in row then target order. A row is item_key / targets, since items are planned
   * as (case ordinal, repeat, target index).
   */
  public List<MatrixCell> matrix(
      UUID runId, int targets, long afterRow, int rows, RowFilter filter, int excerpt) {
    String sql =
        "WITH page AS (SELECT item_key / ? AS rn FROM results WHERE session_id = ? AND"
            + " item_key >= ? GROUP BY rn"
            + filter.having
            + " ORDER BY rn LIMIT ?)"
            + " SELECT p.rn, r.item_key % ? AS target, r.test_id, r.test_case_id, r.repeat_index,"
            + " left(r.prompt, ?) AS prompt, left(r.expected, ?) AS expected,"
            + cellColumns("r", "")
            + " FROM page p JOIN results r ON r.session_id = ? AND r.item_key >= p.rn * ?"
            + " AND r.item_key < (p.rn + 1) * ? ORDER BY r.item_key";
    return jdbc.list(
        sql,
        rs ->
            new MatrixCell(
                rs.getLong("rn"),
                rs.getInt("target"),
                rs.getString("test_id"),
                rs.getString("test_case_id"),
                rs.getInt("repeat_index"),
                rs.getString("prompt"),
                rs.getString("expected"),
                cell(rs, "")),
        targets,
        runId,
        (afterRow + 1) * targets,
        rows,
        targets,
        excerpt,
        excerpt,
        excerpt,
        excerpt,
        runId,
        targets,
        targets);
  }

  private static final String PAIRS =
      " FROM results b JOIN results c ON c.session_id = ? AND c.provider = ? AND c.model = ?"
          + " AND c.repeat_index = b.repeat_index"
          + " AND COALESCE(c.test_case_id::text, c.test_id) = COALESCE(b.test_case_id::text,"
          + " b.test_id) WHERE b.session_id = ? AND b.provider = ? AND b.model = ?";

  private static Object[] pairParams(Side baseline, Side candidate, Object... more) {
    List<Object> params = new ArrayList<>();
    params.add(candidate.runId());
    params.add(candidate.provider());
    params.add(candidate.model());
    params.add(baseline.runId());
    params.add(baseline.provider());
    params.add(baseline.model());
    params.addAll(List.of(more));
    return params.toArray();
  }

  /** The 2×2 table and case scores of the matched pairs (scores in baseline item order). */
  public PairTable pairTable(Side baseline, Side candidate) {
    String sql =
        "SELECT count(*) FILTER (WHERE b.passed AND c.passed) AS both_pass,"
            + " count(*) FILTER (WHERE b.passed AND NOT c.passed) AS regressions,"
            + " count(*) FILTER (WHERE c.passed AND NOT b.passed) AS improvements,"
            + " count(*) FILTER (WHERE NOT b.passed AND NOT c.passed) AS both_fail,"
            + " array_agg(COALESCE(b.score, 0) ORDER BY b.item_key) AS bs,"
            + " array_agg(COALESCE(c.score, 0) ORDER BY b.item_key) AS cs,"
            + " (SELECT count(*) FROM results WHERE session_id = ? AND provider = ? AND model = ?)"
            + " AS b_results,"
            + " (SELECT count(*) FROM results WHERE session_id = ? AND provider = ? AND model = ?)"
            + " AS c_results"
            + PAIRS;
    List<Object> params = new ArrayList<>();
    params.addAll(List.of(baseline.runId(), baseline.provider(), baseline.model()));
    params.addAll(List.of(candidate.runId(), candidate.provider(), candidate.model()));
    params.addAll(List.of(pairParams(baseline, candidate)));
    return jdbc.one(
            sql,
            rs ->
                new PairTable(
                    rs.getInt("both_pass"),
                    rs.getInt("regressions"),
                    rs.getInt("improvements"),
                    rs.getInt("both_fail"),
                    ResultRepository.doubles(rs, "bs"),
                    ResultRepository.doubles(rs, "cs"),
                    rs.getInt("b_results"),
                    rs.getInt("c_results")),
            params.toArray())
        .orElseThrow();
  }

  /** Per metric scored by both results of a pair, the pairs' scores in baseline item order. */
  public List<MetricPairs> metricPairs(Side baseline, Side candidate) {
    String sql =
        "SELECT e.key AS metric, array_agg(e.value::float8 ORDER BY b.item_key) AS bs,"
            + " array_agg((c.evaluation_scores->>e.key)::float8 ORDER BY b.item_key) AS cs"
            + PAIRS.replace(
                " WHERE b.session_id",
                " CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(b.evaluation_scores)"
                    + " = 'object' THEN b.evaluation_scores ELSE '{}'::jsonb END) e"
                    + " WHERE b.session_id")
            + " AND jsonb_typeof(c.evaluation_scores) = 'object' AND (c.evaluation_scores->>e.key) IS NOT NULL"
            + " GROUP BY e.key ORDER BY e.key";
    return jdbc.list(
        sql,
        rs ->
            new MetricPairs(
                rs.getString("metric"),
                ResultRepository.doubles(rs, "bs"),
                ResultRepository.doubles(rs, "cs")),
        pairParams(baseline, candidate));
  }

  /** Up to {@code limit} matched pairs after the baseline item key {@code after} (-1: first). */
  public List<PairRow> pairs(
      Side baseline, Side candidate, PairFilter filter, long after, int limit, int excerpt) {
    String sql =
        "SELECT b.item_key AS key, b.test_id, b.test_case_id, b.repeat_index,"
            + " left(b.prompt, ?) AS prompt, left(b.expected, ?) AS expected,"
            + cellColumns("b", "b_")
            + ","
            + cellColumns("c", "c_")
            + PAIRS
            + " AND b.item_key > ? AND "
            + filter.condition
            + " ORDER BY b.item_key LIMIT ?";
    List<Object> params = new ArrayList<>(List.of(excerpt, excerpt, excerpt, excerpt));
    params.addAll(List.of(excerpt, excerpt));
    params.addAll(List.of(pairParams(baseline, candidate, after, limit)));
    return jdbc.list(
        sql,
        rs -> {
          Cell b = cell(rs, "b_");
          Cell c = cell(rs, "c_");
          double delta = (c.score() == null ? 0 : c.score()) - (b.score() == null ? 0 : b.score());
          return new PairRow(
              rs.getLong("key"),
              new CaseChange(
                  rs.getString("test_id"),
                  rs.getString("test_case_id"),
                  rs.getInt("repeat_index"),
                  change(b.passed(), c.passed(), delta),
                  delta,
                  rs.getString("prompt"),
                  rs.getString("expected"),
                  b,
                  c));
        },
        params.toArray());
  }

  static String change(boolean baselinePassed, boolean candidatePassed, double scoreDelta) {
    if (baselinePassed && !candidatePassed) {
      return "regression";
    }
    if (candidatePassed && !baselinePassed) {
      return "improvement";
    }
    if (scoreDelta > 0) {
      return "score-up";
    }
    return scoreDelta < 0 ? "score-down" : "unchanged";
  }

  /** The columns of a cell of table alias {@code t}, named with {@code prefix}; 2 parameters. */
  private static String cellColumns(String t, String prefix) {
    return String.join(
        ",",
        " " + t + ".id AS " + prefix + "id",
        " " + t + ".status AS " + prefix + "status",
        " " + t + ".passed AS " + prefix + "passed",
        " " + t + ".score AS " + prefix + "score",
        " " + t + ".duration_ms AS " + prefix + "duration_ms",
        " " + t + ".total_cost AS " + prefix + "total_cost",
        " " + t + ".total_tokens AS " + prefix + "total_tokens",
        " left(" + t + ".response, ?) AS " + prefix + "output",
        " left(" + t + ".error, ?) AS " + prefix + "error",
        " " + t + ".evaluation_scores AS " + prefix + "scores");
  }

  private static Cell cell(ResultSet rs, String prefix) throws SQLException {
    String scores = rs.getString(prefix + "scores");
    Map<String, Double> map = scores == null ? null : Json.read(scores, SCORES);
    return new Cell(
        rs.getString(prefix + "id"),
        rs.getString(prefix + "status"),
        rs.getBoolean(prefix + "passed"),
        Rows.doubleOrNull(rs, prefix + "score"),
        rs.getDouble(prefix + "duration_ms"),
        Rows.doubleOrNull(rs, prefix + "total_cost"),
        Rows.intOrNull(rs, prefix + "total_tokens"),
        rs.getString(prefix + "output"),
        rs.getString(prefix + "error"),
        map == null ? Map.of() : map);
  }
}
