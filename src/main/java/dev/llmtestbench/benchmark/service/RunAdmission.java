package dev.llmtestbench.benchmark.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many runs' batch jobs this server executes at once ({@code ltb.benchmark.max-active-runs}):
 * the rest wait, first come first served, and start as running ones end.
 *
 * <p>Every job's threads (the job, and each partition) use the job repository and the application's
 * tables through one connection pool. Hundreds of jobs started together starve it, and the batch
 * container's persistence, retrying a query while its transaction holds a connection, then waits
 * for a second one: with 55 runs at once every connection of a 20-connection pool was held by such
 * a thread and the server stopped answering. Admitting a bounded number of runs keeps the threads
 * that need a connection well below the pool size, however many runs are submitted.
 */
@ApplicationScoped
public class RunAdmission {

  private static final Logger LOG = Logger.getLogger(RunAdmission.class.getName());

  private record Waiting(
      UUID runId, BooleanSupplier start, Consumer<RuntimeException> failedLater) {}

  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final Set<UUID> active = new HashSet<>();
  private int limit;

  @Inject
  void configure(
      @ConfigProperty(name = "ltb.benchmark.max-active-runs", defaultValue = "8") int limit) {
    this.limit = Math.max(1, limit);
  }

  /** For tests: an admission with this limit. */
  static RunAdmission withLimit(int limit) {
    RunAdmission a = new RunAdmission();
    a.configure(limit);
    return a;
  }

  /**
   * Starts the run's job now if a slot is free (returns true), or queues {@code start} for when one
   * is (returns false). {@code start} returns whether it started a job (false, e.g., for a run
   * cancelled while it waited: its slot goes to the next run). An exception from a start made now
   * frees the slot and reaches the caller; one from a queued start goes to {@code failedLater}.
   */
  public boolean admit(UUID runId, BooleanSupplier start, Consumer<RuntimeException> failedLater) {
    synchronized (this) {
      if (active.size() >= limit && !active.contains(runId)) {
        waiting.add(new Waiting(runId, start, failedLater));
        return false;
      }
      // (A restart racing the end of its previous job shares that job's slot.)
      active.add(runId);
    }
    boolean started;
    try {
      started = start.getAsBoolean();
    } catch (RuntimeException e) {
      release(runId);
      throw e;
    }
    if (!started) {
      release(runId);
    }
    return true;
  }

  /**
   * The run's job has ended on this server: its slot goes to the next waiting run. Runs that hold
   * no slot here (their job was started by another server) change nothing.
   */
  public void release(UUID runId) {
    Waiting next;
    synchronized (this) {
      if (!active.remove(runId)) {
        return;
      }
      next = nextLocked();
    }
    while (next != null) {
      boolean started;
      try {
        started = next.start().getAsBoolean();
      } catch (RuntimeException e) {
        started = false;
        try {
          next.failedLater().accept(e);
        } catch (RuntimeException again) {
          LOG.log(Level.WARNING, "Starting the queued run " + next.runId() + " failed", e);
          LOG.log(Level.WARNING, "Recording that on the run failed too", again);
        }
      }
      synchronized (this) {
        if (started) {
          return;
        }
        active.remove(next.runId());
        next = nextLocked();
      }
    }
  }

  private Waiting nextLocked() {
    Waiting next = waiting.poll();
    if (next != null) {
      active.add(next.runId());
    }
    return next;
  }

  /** Whether the run waits for a slot on this server. */
  public synchronized boolean isQueued(UUID runId) {
    return waiting.stream().anyMatch(w -> w.runId().equals(runId));
  }

  public synchronized int active() {
    return active.size();
  }

  public synchronized int queued() {
    return waiting.size();
  }

  public int limit() {
    return limit;
  }
}
