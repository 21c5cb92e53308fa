package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.persistence.WorkItemRepository;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.UUID;

/** Step 1: expands dataset x targets x repeats into work items with stable keys. */
@Dependent
@Named("planBatchlet")
public class PlanBatchlet extends AbstractBatchlet {

  @Inject @BatchProperty String runId;
  @Inject RunRepository runs;
  @Inject WorkItemRepository workItems;
  @Inject BenchmarkService service;

  @Override
  public String process() {
    UUID id = UUID.fromString(runId);
    BenchmarkRun run = runs.find(id).orElseThrow(() -> new IllegalStateException("No run " + id));
    if (run.status().isTerminal()) {
      return "SKIPPED";
    }
    try {
      int total =
          workItems.plan(
              id, run.datasetId(), run.config().targets().size(), run.config().repeats());
      boolean firstStart = run.status() == RunStatus.PENDING;
      if (!runs.markRunning(id, total)) {
        return "SKIPPED";
      }
      if (firstStart) {
        service.started(run, total);
      }
      return "PLANNED";
    } catch (RuntimeException e) {
      service.fail(id, "Planning failed: " + e.getMessage());
      throw e;
    }
  }
}
