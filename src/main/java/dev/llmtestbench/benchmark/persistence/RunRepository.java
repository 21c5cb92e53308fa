package dev.llmtestbench.benchmark.persistence;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.RunConfig;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.domain.RunSummary;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Benchmark runs (rows of {@code sessions}) and their status transitions. */
@ApplicationScoped
public class RunRepository {

  private static final String COLUMNS =
      "id, seq, name, description, dataset_id, status, status_reason, config, tags, total_items,"
          + " job_execution_id, summary, created_at, started_at, completed_at";

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  public BenchmarkRun insert(
      String name, String description, UUID datasetId, RunConfig config, List<String> tags) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO sessions (name, description, dataset_id, status, config, tags)"
                    + " VALUES (?, ?, ?, 'pending', ?::jsonb, ?) RETURNING "
                    + COLUMNS)) {
      ps.setString(1, name);
      ps.setString(2, description);
      ps.setObject(3, datasetId);
      ps.setString(4, Json.write(config));
      ps.setArray(5, Rows.textArray(c, tags));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return map(rs);
      }
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  public Optional<BenchmarkRun> find(UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  /** Runs by the given ids, in no particular order (for batched GraphQL lookups). */
  public List<BenchmarkRun> findAll(List<UUID> ids) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      List<BenchmarkRun> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  /** Newest first, optionally by status; {@code beforeSeq} is the exclusive cursor. */
  public List<BenchmarkRun> list(Long beforeSeq, RunStatus status, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM sessions WHERE (?::bigint IS NULL OR seq < ?::bigint)"
                    + " AND (?::text IS NULL OR status = ?::text) ORDER BY seq DESC LIMIT ?")) {
      ps.setObject(1, beforeSeq);
      ps.setObject(2, beforeSeq);
      String s = status == null ? null : status.db();
      ps.setString(3, s);
      ps.setString(4, s);
      ps.setInt(5, limit);
      List<BenchmarkRun> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  public void setJobExecution(UUID id, long executionId) {
    update("UPDATE sessions SET job_execution_id = ? WHERE id = ?", executionId, id);
  }

  /** pending to running, with the planned item count; false if the run is no longer pending. */
  public boolean markRunning(UUID id, int totalItems) {
    return update(
            "UPDATE sessions SET status = 'running', total_items = ?,"
                + " started_at = COALESCE(started_at, NOW()) WHERE id = ? AND status IN"
                + " ('pending', 'running')",
            totalItems,
            id)
        == 1;
  }

  /** Moves a non-terminal run to a terminal status; false if it had already ended. */
  public boolean finish(UUID id, RunStatus status, String reason, RunSummary summary) {
    return update(
            "UPDATE sessions SET status = ?, status_reason = ?, summary = ?::jsonb,"
                + " completed_at = NOW() WHERE id = ? AND status IN ('pending', 'running')",
            status.db(),
            reason,
            Json.write(summary),
            id)
        == 1;
  }

  /** Stores the summary of a run that has already ended (e.g. after a cancel settled). */
  public void storeSummary(UUID id, RunSummary summary) {
    update("UPDATE sessions SET summary = ?::jsonb WHERE id = ?", Json.write(summary), id);
  }

  public Optional<RunStatus> status(UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT status FROM sessions WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(RunStatus.of(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  private int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  private static BenchmarkRun map(ResultSet rs) throws SQLException {
    long exec = rs.getLong("job_execution_id");
    Long execId = rs.wasNull() ? null : exec;
    return new BenchmarkRun(
        rs.getObject("id", UUID.class),
        rs.getLong("seq"),
        rs.getString("name"),
        rs.getString("description"),
        rs.getObject("dataset_id", UUID.class),
        RunStatus.of(rs.getString("status")),
        rs.getString("status_reason"),
        Json.read(rs.getString("config"), RunConfig.class),
        Rows.strings(rs, "tags"),
        Rows.intOrNull(rs, "total_items"),
        execId,
        Json.read(rs.getString("summary"), RunSummary.class),
        Rows.time(rs, "created_at"),
        Rows.time(rs, "started_at"),
        Rows.time(rs, "completed_at"));
  }
}
