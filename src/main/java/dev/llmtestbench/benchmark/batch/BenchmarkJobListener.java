package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import dev.llmtestbench.benchmark.service.LostPartitions;
import dev.llmtestbench.benchmark.service.RunAdmission;
import dev.llmtestbench.benchmark.service.UnsettledRuns;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the run's status true to its job: a failed job fails the run with a reason, a job stopped
 * from outside (e.g. the batch console) cancels it, and a run that ended early (cancelled, or
 * stopped over its budget while the job finished its chunks) gets its final summary. The run's slot
 * in {@link RunAdmission} then goes to the next queued run. Records which server runs the job, so
 * that another can recover the run if that server is lost.
 *
 * <p>When the run's status cannot be written (the database is unavailable, which is usually why the
 * job failed), the run is left to {@link UnsettledRuns}, settled once the database is back. A job
 * this server stopped because a server executing one of its partitions was lost ({@link
 * LostPartitions}) is left there too, to be restarted from its checkpoints.
 */
@Dependent
@Named("benchmarkJobListener")
public class BenchmarkJobListener extends AbstractJobListener {

  private static final Logger LOG = Logger.getLogger(BenchmarkJobListener.class.getName());

  @Inject JobContext job;
  @Inject RunRepository runs;
  @Inject BenchmarkService service;
  @Inject RunAdmission admission;
  @Inject UnsettledRuns unsettled;
  @Inject LostPartitions lostPartitions;

  @Override
  public void beforeJob() {
    String runId = job.getProperties().getProperty("runId");
    if (runId != null) {
      runs.own(UUID.fromString(runId), service.serverId());
    }
  }

  @Override
  public void afterJob() {
    String runId = job.getProperties().getProperty("runId");
    if (runId == null) {
      return;
    }
    UUID id = UUID.fromString(runId);
    BatchStatus batch = job.getBatchStatus();
    String lostServer = lostPartitions.ended(job.getExecutionId());
    try {
      RunStatus status = runs.status(id).orElse(null);
      if (status == null) {
        return;
      }
      if (lostServer != null && !status.isTerminal()) {
        // Stopped by this server because lostServer died mid-partition: interrupted, not
        // cancelled; restarted (or failed) at the next heartbeat, once this job has ended.
        unsettled.addInterrupted(id, job.getExecutionId(), lostServer);
      } else if (batch == BatchStatus.FAILED && !status.isTerminal()) {
        service.fail(
            id,
            "The batch job failed (execution "
                + job.getExecutionId()
                + "); see the server log. Finished results are kept.");
      } else if ((batch == BatchStatus.STOPPED || batch == BatchStatus.STOPPING)
          && !status.isTerminal()) {
        service.cancel(id);
        service.settleCancelled(id);
      } else if (status == RunStatus.CANCELLED || status == RunStatus.FAILED) {
        service.settleCancelled(id);
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "The end of run "
              + id
              + "'s batch job (execution "
              + job.getExecutionId()
              + ", "
              + batch
              + ") could not be recorded; the run is settled when the database answers again.",
          e);
      if (lostServer != null) {
        unsettled.addInterrupted(id, job.getExecutionId(), lostServer);
      } else {
        unsettled.add(id, job.getExecutionId(), batch);
      }
    } finally {
      admission.release(id); // the next queued run starts
    }
  }
}
