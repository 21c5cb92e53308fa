package dev.llmtestbench.benchmark.persistence;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.RunConfig;
import dev.llmtestbench.benchmark.domain.RunFilter;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.domain.RunSummary;
import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.security.Visibility;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Benchmark runs (rows of {@code sessions}) and their status transitions. */
@ApplicationScoped
public class RunRepository {

  private static final String COLUMNS =
      "id, seq, name, description, dataset_id, status, status_reason, config, tags, total_items,"
          + " job_execution_id, summary, created_at, started_at, completed_at, shared_group";

  @Inject Jdbc jdbc;

  public BenchmarkRun insert(
      String name,
      String description,
      UUID datasetId,
      RunConfig config,
      List<String> tags,
      String owner,
      String sharedGroup) {
    return jdbc.one(
            "INSERT INTO sessions (name, description, dataset_id, status, config, tags, owner,"
                + " shared_group) VALUES (?, ?, ?, 'pending', ?::jsonb, ?, ?, ?) RETURNING "
                + COLUMNS,
            RunRepository::map,
            name,
            description,
            datasetId,
            Json.write(config),
            tags,
            owner,
            sharedGroup)
        .orElseThrow();
  }

  /** A run's owner key and shared group (either may be null); empty when there is no such run. */
  public record Ownership(String owner, String sharedGroup) {}

  public Optional<Ownership> ownership(UUID id) {
    return jdbc.one(
        "SELECT owner, shared_group FROM sessions WHERE id = ?",
        rs -> new Ownership(rs.getString(1), rs.getString(2)),
        id);
  }

  /** Shares the run with {@code group} (null: with nobody); false when there is no such run. */
  public boolean share(UUID id, String group) {
    return jdbc.update("UPDATE sessions SET shared_group = ? WHERE id = ?", group, id) == 1;
  }

  public Optional<BenchmarkRun> find(UUID id) {
    return jdbc.one("SELECT " + COLUMNS + " FROM sessions WHERE id = ?", RunRepository::map, id);
  }

  /** The runs among {@code ids} that {@code v} may see, in one statement (others are absent). */
  public List<BenchmarkRun> findAll(java.util.Collection<UUID> ids, Visibility v) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Object[] vp = v.params();
    return jdbc.list(
        "SELECT " + COLUMNS + " FROM sessions WHERE id = ANY(?) AND " + Visibility.PREDICATE,
        RunRepository::map,
        List.copyOf(ids),
        vp[0],
        vp[1],
        vp[2]);
  }

  /** Newest first, optionally by status; {@code beforeSeq} is the exclusive cursor. */
  /**
   * Runs matching {@code f} that {@code v} may see, newest first (by {@code seq}, so a cursor stays
   * stable whatever the filter), before {@code beforeSeq} when given.
   */
  public List<BenchmarkRun> list(Long beforeSeq, RunFilter f, int limit, Visibility v) {
    String s = f.status() == null ? null : f.status().db();
    String target = targetJson(f.provider(), f.model());
    Timestamp after = f.createdAfter() == null ? null : Timestamp.from(f.createdAfter());
    Timestamp before = f.createdBefore() == null ? null : Timestamp.from(f.createdBefore());
    List<String> tags = f.tags().isEmpty() ? null : f.tags();
    Object[] vp = v.params();
    return jdbc.list(
        "SELECT "
            + COLUMNS
            + " FROM sessions WHERE (?::bigint IS NULL OR seq < ?::bigint)"
            + " AND (?::text IS NULL OR status = ?::text)"
            + " AND (?::jsonb IS NULL OR config->'targets' @> ?::jsonb)"
            + " AND (?::timestamptz IS NULL OR created_at >= ?::timestamptz)"
            + " AND (?::timestamptz IS NULL OR created_at < ?::timestamptz)"
            + " AND (?::text[] IS NULL OR tags @> ?::text[]) AND "
            + Visibility.PREDICATE
            + " ORDER BY seq DESC LIMIT ?",
        RunRepository::map,
        beforeSeq,
        beforeSeq,
        s,
        s,
        target,
        target,
        after,
        after,
        before,
        before,
        tags,
        tags,
        vp[0],
        vp[1],
        vp[2],
        limit);
  }

  /** {@code [{"provider": p, "model": m}]} with the given parts, for containment; null if none. */
  static String targetJson(String provider, String model) {
    if (provider == null && model == null) {
      return null;
    }
    jakarta.json.JsonObjectBuilder t = jakarta.json.Json.createObjectBuilder();
    if (provider != null) {
      t.add("provider", provider);
    }
    if (model != null) {
      t.add("model", model);
    }
    return jakarta.json.Json.createArrayBuilder().add(t).build().toString();
  }

  /** The start of the status reason of a run waiting for a slot on a server. */
  public static final String QUEUED_ON = "Queued on server ";

  /** Records the run's batch job execution; a reason saying the run was queued goes. */
  public void setJobExecution(UUID id, long executionId) {
    jdbc.update(
        "UPDATE sessions SET job_execution_id = ?, status_reason = CASE WHEN status_reason LIKE"
            + " ? THEN NULL ELSE status_reason END WHERE id = ?",
        executionId,
        QUEUED_ON + "%",
        id);
  }

  /**
   * Records that a run waits in {@code serverId}'s queue, with {@code reason} (which starts with
   * {@link #QUEUED_ON}) and that server as its owner, if it has not ended and its job execution is
   * still {@code executionId} (null: none yet), so a reason written late never outlives the job's
   * start.
   */
  public void markQueued(UUID id, String serverId, String reason, Long executionId) {
    jdbc.update(
        "UPDATE sessions SET status_reason = ?, owner_server_id = ? WHERE id = ? AND status IN"
            + " ('pending', 'running') AND job_execution_id IS NOT DISTINCT FROM ?::bigint",
        reason,
        serverId,
        id,
        executionId);
  }

  /** pending to running, with the planned item count; false if the run has ended meanwhile. */
  public boolean markRunning(UUID id, int totalItems) {
    return jdbc.update(
            "UPDATE sessions SET status = 'running', total_items = ?,"
                + " started_at = COALESCE(started_at, NOW()) WHERE id = ? AND status IN"
                + " ('pending', 'running')",
            totalItems,
            id)
        == 1;
  }

  /** Moves a non-terminal run to a terminal status; false if it had already ended. */
  public boolean finish(UUID id, RunStatus status, String reason, RunSummary summary) {
    return jdbc.update(
            "UPDATE sessions SET status = ?, status_reason = ?, summary = ?::jsonb,"
                + " completed_at = NOW() WHERE id = ? AND status IN ('pending', 'running')",
            status.db(),
            reason,
            Json.write(summary),
            id)
        == 1;
  }

  /** Runs not yet ended (pending or running), oldest first. */
  public List<BenchmarkRun> unfinished() {
    return jdbc.list(
        "SELECT " + COLUMNS + " FROM sessions WHERE status IN ('pending', 'running') ORDER BY seq",
        RunRepository::map);
  }

  /**
   * Opens an ended or interrupted run again for a restart of its job: back to running (pending if
   * it never started), reason and end time cleared; false if it has completed.
   */
  public boolean reopen(UUID id) {
    return jdbc.update(
            "UPDATE sessions SET status = CASE WHEN started_at IS NULL THEN 'pending' ELSE"
                + " 'running' END, status_reason = NULL, completed_at = NULL WHERE id = ? AND"
                + " status <> 'completed'",
            id)
        == 1;
  }

  /** A partition that started on a server and has not ended: {@code serverId} executes it. */
  public record OpenPartition(UUID runId, long executionId, String serverId) {}

  /**
   * Records that {@code serverId} executes the partition from {@code firstKey} of the execution.
   */
  public void partitionStarted(UUID runId, long executionId, int firstKey, String serverId) {
    jdbc.update(
        "INSERT INTO run_partitions (execution_id, first_key, run_id, server_id) VALUES (?, ?, ?,"
            + " ?) ON CONFLICT (execution_id, first_key) DO UPDATE SET server_id ="
            + " EXCLUDED.server_id, started_at = now(), ended_at = NULL",
        executionId,
        firstKey,
        runId,
        serverId);
  }

  /** Records that the partition from {@code firstKey} of the execution has ended. */
  public void partitionEnded(long executionId, int firstKey) {
    jdbc.update(
        "UPDATE run_partitions SET ended_at = now() WHERE execution_id = ? AND first_key = ?",
        executionId,
        firstKey);
  }

  /**
   * The partitions not ended, executed by another server, of the current job execution of the
   * unfinished runs whose top-level job {@code self} runs (not of an execution a lost server left
   * behind when this one restarted the run).
   */
  public List<OpenPartition> openPartitionsElsewhere(String self) {
    return jdbc.list(
        "SELECT DISTINCT p.run_id, p.execution_id, p.server_id FROM run_partitions p"
            + " JOIN sessions s ON s.id = p.run_id AND s.job_execution_id = p.execution_id"
            + " WHERE p.ended_at IS NULL"
            + " AND s.status IN ('pending', 'running') AND s.owner_server_id = ?"
            + " AND p.server_id <> ?",
        rs -> new OpenPartition(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3)),
        self,
        self);
  }

  /** Records the server that runs the run's job (its top-level execution) now. */
  public void own(UUID id, String serverId) {
    jdbc.update("UPDATE sessions SET owner_server_id = ? WHERE id = ?", serverId, id);
  }

  /**
   * Moves a run that waits to start (pending, no job yet) from a lost server to {@code to}: true
   * for one caller only, so two servers never both queue it.
   */
  public boolean takeOver(UUID id, String from, String to) {
    return jdbc.update(
            "UPDATE sessions SET owner_server_id = ? WHERE id = ? AND owner_server_id = ? AND"
                + " status = 'pending' AND job_execution_id IS NULL",
            to,
            id,
            from)
        == 1;
  }

  /** The server that last started running the run's job, if known. */
  public Optional<String> owner(UUID id) {
    return jdbc.one(
        "SELECT owner_server_id FROM sessions WHERE id = ? AND owner_server_id IS NOT NULL",
        rs -> rs.getString(1),
        id);
  }

  /** The unfinished runs whose job another server than {@code self} was running. */
  public List<UUID> unfinishedOwnedByOthers(String self) {
    return jdbc.list(
        "SELECT id FROM sessions WHERE status IN ('pending', 'running')"
            + " AND owner_server_id IS NOT NULL AND owner_server_id <> ? ORDER BY seq",
        rs -> rs.getObject(1, UUID.class),
        self);
  }

  /**
   * Claims the restart of the run's job from {@code executionId} for {@code serverId}: true for the
   * first caller only, so two servers never restart a run from the same execution.
   */
  public boolean claimRestart(UUID id, long executionId, String serverId) {
    return jdbc.update(
            "INSERT INTO run_restarts (run_id, from_execution_id, server_id) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING",
            id,
            executionId,
            serverId)
        == 1;
  }

  /** Gives back a claim whose restart could not be started, so a later attempt may try again. */
  public void releaseRestart(UUID id, long executionId) {
    jdbc.update(
        "DELETE FROM run_restarts WHERE run_id = ? AND from_execution_id = ?", id, executionId);
  }

  /** Stores the summary of a run that has already ended (e.g. after a cancel settled). */
  public void storeSummary(UUID id, RunSummary summary) {
    jdbc.update("UPDATE sessions SET summary = ?::jsonb WHERE id = ?", Json.write(summary), id);
  }

  public Optional<RunStatus> status(UUID id) {
    return jdbc.one(
        "SELECT status FROM sessions WHERE id = ?", rs -> RunStatus.of(rs.getString(1)), id);
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
        Rows.time(rs, "completed_at"),
        rs.getString("shared_group"));
  }
}
