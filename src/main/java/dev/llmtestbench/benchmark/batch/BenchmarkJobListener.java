package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import dev.llmtestbench.benchmark.service.RunAdmission;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.UUID;

/**
 * Keeps the run's status true to its job: a failed job fails the run with a reason, a job stopped
 * from outside (e.g. the batch console) cancels it, and a run that ended early (cancelled, or
 * stopped over its budget while the job finished its chunks) gets its final summary. The run's slot
 * in {@link RunAdmission} then goes to the next queued run. Records which server runs the job, so
 * that another can recover the run if that server is lost.
 */
@Dependent
@Named("benchmarkJobListener")
public class BenchmarkJobListener extends AbstractJobListener {

  @Inject JobContext job;
  @Inject RunRepository runs;
  @Inject BenchmarkService service;
  @Inject RunAdmission admission;

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
    try {
      RunStatus status = runs.status(id).orElse(null);
      if (status == null) {
        return;
      }
      BatchStatus batch = job.getBatchStatus();
      if (batch == BatchStatus.FAILED && !status.isTerminal()) {
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
    } finally {
      admission.release(id); // the next queued run starts
    }
  }
}
