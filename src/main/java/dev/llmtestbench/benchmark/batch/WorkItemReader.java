package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.Budget;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.domain.WorkItem;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.persistence.WorkItemRepository;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import dev.llmtestbench.benchmark.service.CancellationRegistry;
import dev.llmtestbench.benchmark.service.ItemExecutor;
import dev.llmtestbench.benchmark.service.RunContext;
import dev.llmtestbench.provider.service.ResponseCache;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a partition's pending work items (those without a result) in key order and keeps up to
 * {@code window} of their provider calls in flight (a {@link ReadAheadWindow}), handing each item
 * to the chunk once its call has finished, so calls keep running while the writer commits. It stops
 * when the range is done or the run is no longer running: cancelled on this server (seen at once)
 * or on another (seen from the run's status within a second); calls then in flight are abandoned.
 */
@Dependent
@Named("workItemReader")
public class WorkItemReader extends AbstractItemReader {

  private static final Logger LOG = Logger.getLogger(WorkItemReader.class.getName());
  private static final long POLL_MS = 50;
  private static final long STATUS_CHECK_NANOS = 1_000_000_000L;

  @Inject @BatchProperty String runId;
  @Inject @BatchProperty String firstKey;
  @Inject @BatchProperty String lastKey;
  @Inject @BatchProperty String window;
  @Inject @BatchProperty String chunkSize;
  @Inject WorkItemRepository workItems;
  @Inject RunRepository runs;
  @Inject BenchmarkService service;
  @Inject ItemExecutor executor;
  @Inject CancellationRegistry cancellations;
  @Inject ResponseCache cache;
  @Inject ResultRepository results;
  @Inject JobContext job;
  @Inject StepContext step;

  private UUID run;
  private RunContext context;
  private ReadAheadWindow calls;
  private long statusCheckedAt;

  /** The top-level execution whose partition this is, once recorded in run_partitions. */
  private Long execution;

  /**
   * Items fetched but not started, with their cache entries. The partition's thread adds a page
   * while finishing calls start earlier items on their own threads, so the map is concurrent.
   */
  private final Map<Integer, Fetched> fetched = new ConcurrentHashMap<>();

  private record Fetched(ItemExecutor.Prepared prepared, ResponseCache.Hit hit) {}

  @Override
  public void open(Serializable checkpoint) {
    run = UUID.fromString(runId);
    // Which server executes this partition, so that the server running the top-level job can
    // stop and restart the run if this one is lost mid-partition (InterruptedRunRecovery).
    runs.partitionStarted(
        run, job.getExecutionId(), Integer.parseInt(firstKey), service.serverId());
    execution = job.getExecutionId();
    int last = Integer.parseInt(lastKey);
    // On a restart the whole range is read again, not from the checkpoint: items handed out before
    // it whose calls were abandoned (a cancel) have no result, and pending() skips those that do.
    int from = Integer.parseInt(firstKey) - 1;
    int size = Integer.parseInt(window);
    // While the partition's thread commits a chunk, up to a chunk's worth of calls may finish.
    int chunk = Integer.parseInt(chunkSize);
    calls =
        new ReadAheadWindow(
            size,
            size + Math.max(size, chunk),
            from,
            (after, limit) -> after >= last ? List.of() : fetch(after, last, limit),
            (item, answered) -> {
              Fetched f = fetched.remove(item.itemKey());
              return executor.send(f.prepared(), f.hit(), answered);
            });
    // The partition's commit policy commits early when no further item is ready.
    step.setTransientUserData((CommitPolicy.Ready) calls::hasFinished);
    statusCheckedAt = System.nanoTime();
  }

  @Override
  public Object readItem() throws InterruptedException {
    return calls.next(this::stopped, POLL_MS);
  }

  @Override
  public Serializable checkpointInfo() {
    return new WorkItemCheckpoint(calls.checkpoint());
  }

  @Override
  public void close() {
    if (calls != null) {
      calls.abandon();
    }
    if (execution != null) {
      try {
        runs.partitionEnded(execution, Integer.parseInt(firstKey));
      } catch (RuntimeException e) {
        // The database is unavailable; the run's job fails and is settled when it is back.
        LOG.log(Level.FINE, "Could not record the end of a partition of run " + run, e);
      }
    }
  }

  /** The next page of pending items, prepared, with their cache entries read in one query. */
  private List<WorkItem> fetch(int after, int last, int limit) {
    List<WorkItem> page = workItems.pending(run, after, last, limit);
    List<ItemExecutor.Prepared> preparedPage = new ArrayList<>(page.size());
    List<String> keys = new ArrayList<>();
    for (WorkItem w : page) {
      ItemExecutor.Prepared p = executor.prepare(context(), w);
      preparedPage.add(p);
      if (p.cacheKey() != null) {
        keys.add(p.cacheKey());
      }
    }
    Map<String, ResponseCache.Hit> hits = cache.findAll(keys);
    for (int i = 0; i < page.size(); i++) {
      ItemExecutor.Prepared p = preparedPage.get(i);
      fetched.put(
          page.get(i).itemKey(),
          new Fetched(p, p.cacheKey() == null ? null : hits.get(p.cacheKey())));
    }
    return page;
  }

  private RunContext context() {
    if (context == null) {
      BenchmarkRun r = runs.find(run).orElseThrow(() -> new IllegalStateException("No run " + run));
      context = service.context(r);
    }
    return context;
  }

  /**
   * Whether the run was cancelled here, or (checked once a second) has ended elsewhere or gone over
   * its budget (then this reader fails it with the reason, and every partition stops).
   */
  private boolean stopped() {
    if (cancellations.isCancelled(run)) {
      return true;
    }
    long now = System.nanoTime();
    if (now - statusCheckedAt < STATUS_CHECK_NANOS) {
      return false;
    }
    statusCheckedAt = now;
    BenchmarkRun r = runs.find(run).orElse(null);
    if (r == null || r.status() != RunStatus.RUNNING) {
      return true;
    }
    Budget budget = r.config().budget();
    if (budget == null) {
      return false;
    }
    ResultRepository.Spent spent =
        budget.maxCost() != null || budget.maxTokens() != null
            ? results.spent(run)
            : new ResultRepository.Spent(0, 0);
    long elapsed =
        r.startedAt() == null
            ? 0
            : Duration.between(r.startedAt(), OffsetDateTime.now()).toSeconds();
    String exceeded = budget.exceeded(spent.cost(), spent.tokens(), elapsed);
    if (exceeded == null) {
      return false;
    }
    service.fail(run, exceeded + "; finished results are kept.");
    return true;
  }
}
