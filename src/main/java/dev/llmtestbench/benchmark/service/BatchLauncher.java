package dev.llmtestbench.benchmark.service;

import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RunAs;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;

/**
 * Starts and stops batch jobs. Batch security is on (batchManagement), so job operations run as the
 * application's batch identity: the {@code batch-runner} role is mapped to a run-as user that holds
 * the batchAdmin role in server.xml.
 */
@Stateless
@RunAs("batch-runner")
@DeclareRoles("batch-runner")
@PermitAll
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BatchLauncher {

  public long start(String jobXmlName, Properties parameters) {
    return operator().start(jobXmlName, parameters);
  }

  /**
   * The newest execution of the job instance that {@code executionId} belongs to (a restarted job
   * has several), or empty if the job repository does not know the execution.
   */
  public Optional<JobExecution> latestExecution(long executionId) {
    JobOperator operator = operator();
    try {
      return operator.getJobExecutions(operator.getJobInstance(executionId)).stream()
          .max(Comparator.comparingLong(JobExecution::getExecutionId));
    } catch (NoSuchJobExecutionException e) {
      return Optional.empty();
    }
  }

  /** The job parameters an execution was started with. */
  public Properties parameters(long executionId) {
    return operator().getParameters(executionId);
  }

  public void stop(long executionId) {
    operator().stop(executionId);
  }

  /** Touches the job repository, for the readiness check; 0 before the job's first run. */
  public int jobInstanceCount(String jobName) {
    try {
      return operator().getJobInstanceCount(jobName);
    } catch (NoSuchJobException e) {
      return 0;
    }
  }

  private static JobOperator operator() {
    return BatchRuntime.getJobOperator();
  }
}
