package dev.llmtestbench.evaluation.embedding;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks on another executor, at most {@code maxRunning} at a time, keeping at most {@code
 * maxQueued} waiting and rejecting the rest, so CPU-bound work cannot take over the server's
 * threads nor pile up without limit. A worker takes the next waiting task when it finishes one.
 */
final class BoundedExecutor implements Executor {

  private static final Logger LOG = Logger.getLogger(BoundedExecutor.class.getName());

  private final Executor delegate;
  private final int maxRunning;
  private final int maxQueued;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;

  BoundedExecutor(Executor delegate, int maxRunning, int maxQueued) {
    if (maxRunning < 1 || maxQueued < 0) {
      throw new IllegalArgumentException(
          "maxRunning must be 1 or more and maxQueued 0 or more, were "
              + maxRunning
              + " and "
              + maxQueued);
    }
    this.delegate = delegate;
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
  }

  /**
   * Runs the task now if fewer than {@code maxRunning} run, else queues it.
   *
   * @throws RejectedExecutionException if {@code maxQueued} tasks already wait
   */
  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (running >= maxRunning) {
        if (waiting.size() >= maxQueued) {
          throw new RejectedExecutionException(
              maxRunning + " running and " + waiting.size() + " waiting, the most allowed");
        }
        waiting.add(task);
        return;
      }
      running++;
    }
    try {
      delegate.execute(() -> drain(task));
    } catch (RuntimeException e) {
      synchronized (this) {
        running--;
      }
      throw e;
    }
  }

  /** Tasks waiting to run. */
  synchronized int queued() {
    return waiting.size();
  }

  private void drain(Runnable first) {
    Runnable task = first;
    boolean released = false;
    try {
      while (task != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "A bounded task failed", e);
        }
        synchronized (this) {
          task = waiting.poll();
          if (task == null) {
            running--;
            released = true;
          }
        }
      }
    } finally {
      if (!released) {
        // An Error escaped a task: give its slot back so later tasks still run.
        synchronized (this) {
          running--;
        }
      }
    }
  }
}
