package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.WorkItem;
import java.util.concurrent.CompletableFuture;

/** A work item whose provider call has been sent; the writer collects its result. */
record InFlightItem(WorkItem item, CompletableFuture<ResultRecord> result) {}
