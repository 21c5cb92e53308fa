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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A partition's read-ahead window: keeps up to {@code size} provider calls in flight and hands out
 * their items in the order they finish. Each finished call starts the next queued item's call at
 * once, on the thread that completed it, so calls keep running while the partition's thread commits
 * a chunk; that thread only reads the next pages of pending items (keeping queued ahead as many as
 * may start while a chunk commits) and hands finished items to the chunk. Throughput therefore
 * follows the provider's latency, not the chunk's slowest call.
 *
 * <p>A call holds its place in the window until its provider has answered, not until the item's
 * evaluation is done, so evaluation never delays the next call. Memory is bounded whatever the
 * provider's speed: at most {@code maxOutstanding} items (the reader gives the window plus a chunk)
 * are started and not yet handed to the chunk (in flight, evaluating or finished), so a provider
 * answering at once cannot fill the heap with results faster than chunks write them, while a
 * chunk's commit still has a chunk's worth of slack before calls wait; calls start again as the
 * partition's thread takes items.
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

  /**
   * Starts an item's call. {@code answered} may be run once the provider has answered and the rest
   * (evaluation, judge calls) only uses this server: the window then starts the next call at once
   * rather than after the item's evaluation. Running it is optional (the result's completion does
   * it too) and only the first run counts.
   */
  interface Call {
    CompletableFuture<ResultRecord> start(WorkItem item, Runnable answered);
  }

  private final int size;
  private final int maxOutstanding;
  private final Source source;
  private final Call call;
  private final BlockingQueue<InFlightItem> finished = new LinkedBlockingQueue<>();
  private final Map<Integer, InFlightItem> running = new ConcurrentHashMap<>();

  // The partition thread's own state.
  private final TreeSet<Integer> open = new TreeSet<>();
  private int fetchedTo;
  private boolean exhausted;

  // Shared with completing threads, guarded by this.
  private final Deque<WorkItem> queued = new ArrayDeque<>();

  /** Calls waiting for their provider's answer: at most {@code size}. */
  private int inFlight;

  /** Items started and not yet handed out (in flight, evaluating or finished). */
  private int outstanding;

  /** Items started whose result has not completed. */
  private int unfinished;

  private boolean starting;
  private volatile boolean stopping;

  /**
   * A window of {@code size} calls in flight and at most {@code maxOutstanding} items (at least
   * {@code size}) started and not yet handed out: the slack that lets calls go on while the
   * partition's thread commits a chunk.
   */
  ReadAheadWindow(int size, int maxOutstanding, int afterKey, Source source, Call call) {
    this.size = Math.max(1, size);
    this.maxOutstanding = Math.max(this.size, maxOutstanding);
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
      if (!exhausted && queuedCount() < maxOutstanding - size) {
        // Keep pages queued ahead, enough for the calls that may start while a chunk commits, so
        // finishing calls always find a next one to start.
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

  /** Whether a finished item is waiting to be handed out (the next {@link #next} will not wait). */
  boolean hasFinished() {
    return !finished.isEmpty();
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
    return queued.isEmpty() && unfinished == 0;
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
    synchronized (this) {
      outstanding--;
    }
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
        if (stopping || inFlight >= size || outstanding >= maxOutstanding || queued.isEmpty()) {
          starting = false;
          return;
        }
        w = queued.poll();
        inFlight++;
        outstanding++;
        unfinished++;
      }
      start(w);
    }
  }

  private void start(WorkItem w) {
    AtomicBoolean answered = new AtomicBoolean();
    Runnable release =
        () -> {
          if (answered.compareAndSet(false, true)) {
            synchronized (this) {
              inFlight--;
            }
            startMore();
          }
        };
    CompletableFuture<ResultRecord> result;
    try {
      result = call.start(w, release);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    InFlightItem f = new InFlightItem(w, result);
    running.put(w.itemKey(), f);
    result.whenComplete(
        (r, e) -> {
          running.remove(w.itemKey());
          finished.add(f); // before the count drops, so next() never sees the range idle too soon
          synchronized (this) {
            unfinished--;
          }
          release.run();
        });
  }
}
