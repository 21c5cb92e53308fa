package dev.llmtestbench.benchmark.service;

import jakarta.batch.runtime.BatchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs whose batch job ended on this server, or whose queued start failed, while the database was
 * unavailable (or which this server stopped because a server executing a partition was lost), so
 * that the end could not be recorded: the run would stay {@code running} (or {@code pending}) for
 * ever although nothing executes it. {@link InterruptedRunRecovery} settles them once the database
 * answers again (restarting them from their checkpoints, or failing them, per {@code
 * ltb.benchmark.recover-interrupted-runs}).
 *
 * <p>Only this JVM knows that such a job has ended: the job repository, in the same database, may
 * still say STARTED.
 */
@ApplicationScoped
public class UnsettledRuns {

  /**
   * A run left unsettled. {@code executionId} is the job execution that ended, or null when the
   * run's queued start failed before any execution existed; {@code batchStatus} is how the job
   * ended (null with no execution). {@code lostServer} is set when this server stopped the job
   * because that server was lost in the middle of one of its partitions.
   */
  public record Unsettled(
      UUID runId, Long executionId, BatchStatus batchStatus, String lostServer) {}

  private final Map<UUID, Unsettled> runs = new ConcurrentHashMap<>();

  /** The run's job ended (or its start failed) and that could not be recorded. */
  public void add(UUID runId, Long executionId, BatchStatus batchStatus) {
    runs.put(runId, new Unsettled(runId, executionId, batchStatus, null));
  }

  /**
   * The run's job was stopped because {@code lostServer}, executing one of its partitions, was
   * lost; it is settled (restarted or failed) at the next heartbeat, once the job has ended.
   */
  public void addInterrupted(UUID runId, long executionId, String lostServer) {
    runs.put(runId, new Unsettled(runId, executionId, BatchStatus.FAILED, lostServer));
  }

  /** The runs still to settle. */
  public List<Unsettled> all() {
    return List.copyOf(runs.values());
  }

  /** Whether the run's job has ended on this server without its end being recorded. */
  public boolean contains(UUID runId) {
    return runs.containsKey(runId);
  }

  /** The run is settled (or was restarted): forget it, unless a newer entry replaced this one. */
  public void settled(Unsettled u) {
    runs.remove(u.runId(), u);
  }
}
