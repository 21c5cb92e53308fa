package dev.llmtestbench.provider.resilience;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on a fake clock: nothing runs until {@link #advance} moves the clock past a task's
 * time, and then it runs on the test's thread, so timing tests are exact and instant.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  // Not zero, so that code mistaking "0" for "never" would show.
  private long now = 1_000_000_000L;
  private long sequence;

  synchronized long nanoTime() {
    return now;
  }

  /** Moves the clock forward, running each task that falls due at its own time. */
  void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.at);
      }
      next.run();
    }
  }

  void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  /** Tasks scheduled and neither run nor cancelled. */
  synchronized int pendingTasks() {
    return (int) tasks.stream().filter(t -> !t.isCancelled()).count();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task task = new Task(command, now + unit.toNanos(Math.max(0, delay)), sequence++);
    tasks.add(task);
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  private final class Task implements ScheduledFuture<Object>, Runnable {
    private final Runnable command;
    private final long at;
    private final long order;
    private boolean cancelled;
    private boolean done;

    Task(Runnable command, long at, long order) {
      this.command = command;
      this.at = at;
      this.order = order;
    }

    @Override
    public void run() {
      synchronized (ManualScheduler.this) {
        if (cancelled) {
          return;
        }
        done = true;
      }
      command.run();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task that = (Task) other;
      return at != that.at ? Long.compare(at, that.at) : Long.compare(order, that.order);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (ManualScheduler.this) {
        if (done || cancelled) {
          return false;
        }
        cancelled = true;
        tasks.remove(this);
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (ManualScheduler.this) {
        return cancelled;
      }
    }

    @Override
    public boolean isDone() {
      synchronized (ManualScheduler.this) {
        return done || cancelled;
      }
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("tests never wait on a scheduled task");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return get();
    }
  }
}
