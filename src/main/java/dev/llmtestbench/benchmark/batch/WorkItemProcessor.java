package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.WorkItem;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import dev.llmtestbench.benchmark.service.ItemExecutor;
import dev.llmtestbench.benchmark.service.RunContext;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.UUID;

/**
 * Sends each item's provider call without waiting for it, so a chunk keeps all its calls in flight
 * at once and throughput follows the provider's latency rather than the thread count.
 */
@Dependent
@Named("workItemProcessor")
public class WorkItemProcessor implements ItemProcessor {

  @Inject @BatchProperty String runId;
  @Inject RunRepository runs;
  @Inject BenchmarkService service;
  @Inject ItemExecutor executor;

  private RunContext context;

  @Override
  public Object processItem(Object item) {
    if (context == null) {
      UUID id = UUID.fromString(runId);
      BenchmarkRun run = runs.find(id).orElseThrow(() -> new IllegalStateException("No run " + id));
      context = service.context(run);
    }
    WorkItem w = (WorkItem) item;
    return new InFlightItem(w, executor.execute(context, w));
  }
}
