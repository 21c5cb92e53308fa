package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.WorkItem;
import dev.llmtestbench.benchmark.persistence.WorkItemRepository;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/**
 * Reads a partition's pending work items (those without a result) page by page in key order. It
 * stops when the range is done or the run is no longer running (cancelled).
 */
@Dependent
@Named("workItemReader")
public class WorkItemReader extends AbstractItemReader {

  @Inject @BatchProperty String runId;
  @Inject @BatchProperty String firstKey;
  @Inject @BatchProperty String lastKey;
  @Inject @BatchProperty String pageSize;
  @Inject WorkItemRepository workItems;

  private UUID run;
  private int last;
  private int position;
  private int page;
  private final Deque<WorkItem> buffer = new ArrayDeque<>();

  @Override
  public void open(Serializable checkpoint) {
    run = UUID.fromString(runId);
    last = Integer.parseInt(lastKey);
    page = Math.max(1, Integer.parseInt(pageSize));
    // On a restart the whole range is read again, not from the checkpoint: items handed out before
    // it whose calls were abandoned (a cancel) have no result, and pending() skips those that do.
    position = Integer.parseInt(firstKey) - 1;
  }

  @Override
  public Object readItem() {
    if (buffer.isEmpty()) {
      if (position >= last) {
        return null;
      }
      List<WorkItem> next = workItems.pending(run, position, last, page);
      if (next.isEmpty()) {
        return null;
      }
      buffer.addAll(next);
    }
    WorkItem item = buffer.poll();
    position = item.itemKey();
    return item;
  }

  @Override
  public Serializable checkpointInfo() {
    // Items buffered but not yet handed out are re-read after a restart; results are idempotent.
    return new WorkItemCheckpoint(position);
  }
}
