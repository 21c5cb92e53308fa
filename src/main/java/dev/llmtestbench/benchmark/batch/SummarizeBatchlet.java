package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.service.BenchmarkService;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.UUID;

/** Step 3: computes the run's summary and marks it completed. */
@Dependent
@Named("summarizeBatchlet")
public class SummarizeBatchlet extends AbstractBatchlet {

  @Inject @BatchProperty String runId;
  @Inject BenchmarkService service;

  @Override
  public String process() {
    service.complete(UUID.fromString(runId));
    return "SUMMARIZED";
  }
}
