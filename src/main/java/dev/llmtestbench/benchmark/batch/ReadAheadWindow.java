package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.WorkItem;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A partition's read-ahead window: keeps up to {@code size} provider calls in flight and hands out
 * their items in the order they finish. Each finished call starts the next queued item's call at
 * once, on the thread that completed it, so calls keep running while the partition's thread commits
 * a chunk; that thread only reads the next pages of pending items (keeping up to a page queued
 * ahead) and hands finished items to the chunk. Throughput therefore follows the provider's
 * latency, not the chunk's slowest call.
 *
 * <p>Memory is bounded whatever the provider's speed: finished items waiting for the partition's
 * thread count against the window too, so calls stop starting once {@code size} finished items wait
 * on top of {@code size} in flight (a provider answering at once would otherwise fill the heap with
 * results faster than chunks write them), and start again as the thread takes them.
 *
 * <p>Checkpoint: {@link #checkpoint()} is the highest key below which every item of the range has
 * been handed out (so is written by the chunk being committed, or an earlier one). Items above it
 * may be written already (they finished early) or not; after a restart the reader reads from there
 * again and the pending-items query skips those with a result, so items started but never written
 * run again and written ones are not repeated.
 *
 * <p>{@link #next}, {@link #checkpoint} and {@link #abandon} are called by the partition's thread;
 * completions arrive on any thread.
 */
final class ReadAheadWindow {

  /** Pending items of the partition's range after a key, in key order. */
  interface Source {
    List<WorkItem> pending(int afterKey, int limit);
  }

  private final int size;
  private final Source source;
  private final Function<WorkItem, CompletableFuture<ResultRecord>> call;
  private final BlockingQueue<InFlightItem> finished = new LinkedBlockingQueue<>();
  private final Map<Integer, InFlightItem> running = new ConcurrentHashMap<>();

  // The partition thread's own state.
  private final TreeSet<Integer> open = new TreeSet<>();
  private int fetchedTo;
  private boolean exhausted;

  // Shared with completing threads, guarded by this.
  private final Deque<WorkItem> queued = new ArrayDeque<>();
  private int inFlight;
  private boolean starting;
  private volatile boolean stopping;

  ReadAheadWindow(
      int size,
      int afterKey,
      Source source,
      Function<WorkItem, CompletableFuture<ResultRecord>> call) {
    this.size = Math.max(1, size);
    this.fetchedTo = afterKey;
    this.source = source;
    this.call = call;
  }

  /**
   * The next item whose call has finished, waiting for one if none has; null when the range is
   * done, or once {@code stop} says so (then calls still in flight are abandoned and only items
   * already finished are handed out).
   */
  InFlightItem next(BooleanSupplier stop, long pollMillis) throws InterruptedException {
    while (true) {
      if (!stopping && stop.getAsBoolean()) {
        abandon();
      }
      if (stopping) {
        return nextFinished();
      }
      if (!exhausted && queuedCount() < size) {
        // Keep a page queued ahead, so finishing calls always find a next one to start.
        fetch();
        startMore();
        continue;
      }
      InFlightItem f = finished.poll();
      if (f != null) {
        return handOut(f);
      }
      if (exhausted && idle() && finished.isEmpty()) {
        return null;
      }
      f = finished.poll(pollMillis, TimeUnit.MILLISECONDS);
      if (f != null) {
        return handOut(f);
      }
    }
  }

  /** Where a restart may resume: every item with a key up to this one has been handed out. */
  int checkpoint() {
    return open.isEmpty() ? fetchedTo : open.first() - 1;
  }

  /** Calls currently in flight. */
  synchronized int inFlight() {
    return inFlight;
  }

  /** Abandons the calls still in flight; items already finished may still be handed out. */
  void abandon() {
    stopping = true;
    for (InFlightItem f : List.copyOf(running.values())) {
      f.result().cancel(true);
    }
  }

  private synchronized int queuedCount() {
    return queued.size();
  }

  private synchronized boolean idle() {
    return queued.isEmpty() && inFlight == 0;
  }

  private void fetch() {
    List<WorkItem> page = source.pending(fetchedTo, size);
    if (page.isEmpty()) {
      exhausted = true;
      return;
    }
    for (WorkItem w : page) {
      open.add(w.itemKey());
    }
    fetchedTo = page.get(page.size() - 1).itemKey();
    synchronized (this) {
      queued.addAll(page);
    }
  }

  private InFlightItem nextFinished() {
    InFlightItem f;
    while ((f = finished.poll()) != null) {
      if (!f.result().isCancelled()) {
        return handOut(f);
      }
    }
    return null;
  }

  private InFlightItem handOut(InFlightItem f) {
    open.remove(f.item().itemKey());
    startMore();
    return f;
  }

  /**
   * Starts queued items' calls while the window has room. One thread at a time does so; a thread
   * that finds another at it leaves the work to it (that one re-checks under the lock before it
   * stops), so a call that completes at once never recurses into starting the next.
   */
  private void startMore() {
    synchronized (this) {
      if (starting) {
        return;
      }
      starting = true;
    }
    while (true) {
      WorkItem w;
      synchronized (this) {
        if (stopping
            || inFlight >= size
            || inFlight + finished.size() >= 2 * size
            || queued.isEmpty()) {
          starting = false;
          return;
        }
        w = queued.poll();
        inFlight++;
      }
      start(w);
    }
  }

  private void start(WorkItem w) {
    CompletableFuture<ResultRecord> result;
    try {
      result = call.apply(w);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    InFlightItem f = new InFlightItem(w, result);
    running.put(w.itemKey(), f);
    result.whenComplete(
        (r, e) -> {
          running.remove(w.itemKey());
          finished.add(f);
          synchronized (this) {
            inFlight--;
          }
          startMore();
        });
  }
}
