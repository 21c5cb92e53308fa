package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.platform.cluster.ServerRegistry;
import dev.llmtestbench.platform.rest.ApiException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Recovers the runs a killed server left unfinished, once the application has started.
 *
 * <p>Liberty's batch container marks the job executions that were in flight on this server (the job
 * repository records each execution's server) as FAILED when it first opens the repository after a
 * start. A run still pending or running whose latest execution is FAILED or STOPPED was therefore
 * interrupted; executions still STARTED belong to another live server and are left alone. With
 * {@code ltb.benchmark.recover-interrupted-runs=restart} (the default) such runs are restarted from
 * their checkpoints, with {@code fail} marked failed with a reason, with {@code none} left as they
 * are.
 *
 * <p>While it runs, it also recovers (the same way) the unfinished runs whose job another server
 * was running when that server was lost: it has not renewed its heartbeat in the {@link
 * ServerRegistry} within {@code ltb.cluster.heartbeat-timeout-ms} at two heartbeats of this server
 * in a row, or has left the registry. Such a server's executions stay STARTED in the job
 * repository, since only the same server (by Liberty's batch identity) would mark them failed; a
 * Kubernetes pod replaced under a new name never does. Each restart is claimed in the database
 * first, so two servers never recover the same run.
 *
 * <p>On the server running a run's top-level job (the dispatcher, with several servers), it also
 * stops the job when a server executing one of its partitions (an executor) is lost the same way,
 * and then restarts the run from its checkpoints (or fails it, with {@code fail} or {@code none}).
 */
@Startup
@Singleton
@DependsOn("DatabaseMigration")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class InterruptedRunRecovery {

  /** What to do with interrupted runs at start. */
  public enum Mode {
    RESTART,
    FAIL,
    NONE
  }

  private static final Logger LOG = Logger.getLogger(InterruptedRunRecovery.class.getName());

  /** A run with no batch job this long before this JVM started was never going to get one. */
  private static final Duration ORPHAN_AGE = Duration.ofMinutes(1);

  private static final String LOST = "lost-servers";

  @Resource TimerService timers;
  @Inject RunRepository runs;
  @Inject BatchLauncher launcher;
  @Inject BenchmarkService service;
  @Inject ServerRegistry registry;
  @Inject UnsettledRuns unsettled;
  @Inject LostPartitions lostPartitions;

  @Inject
  @ConfigProperty(name = "ltb.cluster.heartbeat-interval-ms", defaultValue = "10000")
  long heartbeatMs;

  private Mode mode;

  @PostConstruct
  void schedule() {
    mode = mode(ConfigProvider.getConfig());
    if (mode != Mode.NONE) {
      // After the application has started, so restarted jobs find their artifacts.
      timers.createSingleActionTimer(1000, new TimerConfig(null, false));
    }
    // Checks for lost servers' runs at every heartbeat (each heartbeat reads the registry), and
    // settles the runs whose end could not be recorded while the database was unavailable.
    long every = Math.max(1000, heartbeatMs);
    timers.createIntervalTimer(every + 500, every, new TimerConfig(LOST, false));
  }

  static Mode mode(Config config) {
    return mode(
        config.getOptionalValue("ltb.benchmark.recover-interrupted-runs", String.class),
        config.getOptionalValue("ltb.benchmark.fail-interrupted-runs-on-start", Boolean.class));
  }

  /**
   * The mode from {@code ltb.benchmark.recover-interrupted-runs}, or from the key it replaces
   * ({@code fail-interrupted-runs-on-start=false} meant "leave interrupted runs alone").
   */
  static Mode mode(Optional<String> value, Optional<Boolean> legacy) {
    if (value.isEmpty() || value.get().isBlank()) {
      return legacy.orElse(true) ? Mode.RESTART : Mode.NONE;
    }
    try {
      return Mode.valueOf(value.get().strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      LOG.warning(
          "ltb.benchmark.recover-interrupted-runs="
              + value.get()
              + " is not one of restart, fail, none; using restart.");
      return Mode.RESTART;
    }
  }

  @Timeout
  void onTimer(Timer timer) {
    if (LOST.equals(timer.getInfo())) {
      if (mode != Mode.NONE) {
        recoverLost();
      }
      stopForLostPartitions();
      settleUnsettled();
    } else {
      recover();
    }
  }

  /**
   * Settles the runs whose job ended on this server (or whose queued start failed) while the
   * database was unavailable, now that it may answer again: such a run is still {@code running} or
   * {@code pending} although nothing executes it, and its execution may still read STARTED in the
   * job repository. Like a run interrupted by a server stop, it is restarted from its checkpoints
   * ({@code restart}) or marked failed with the reason ({@code fail}, and {@code none}, which
   * cannot leave a run without a job running); a job stopped by a cancel is settled as cancelled. A
   * run that cannot be settled yet is tried again at the next heartbeat.
   */
  void settleUnsettled() {
    for (UnsettledRuns.Unsettled u : unsettled.all()) {
      try {
        settle(u);
        unsettled.settled(u);
      } catch (ApiException e) {
        // Restarted or ended meanwhile (e.g. by hand): nothing left to settle.
        LOG.info("Run " + u.runId() + ": " + e.getMessage());
        unsettled.settled(u);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "Run " + u.runId() + " cannot be settled yet", e);
      }
    }
  }

  private void settle(UnsettledRuns.Unsettled u) {
    BenchmarkRun run = runs.find(u.runId()).orElse(null);
    if (run == null) {
      return;
    }
    UUID id = run.id();
    if (u.executionId() == null) {
      // Its queued start failed and the failure could not be recorded.
      if (run.status().isTerminal() || run.jobExecutionId() != null) {
        return;
      }
      if (mode == Mode.RESTART) {
        service.requeue(run);
        LOG.warning("Run " + id + " could not start while the database was unavailable: queued.");
      } else {
        service.fail(
            id,
            "The run's batch job could not be started while the database was unavailable;"
                + " start a new run.");
      }
      return;
    }
    if (u.batchStatus() == BatchStatus.STOPPED || u.batchStatus() == BatchStatus.STOPPING) {
      if (!run.status().isTerminal()) {
        service.cancel(id);
      }
      service.settleCancelled(id);
      return;
    }
    if (run.status().isTerminal()) {
      if (run.status() != RunStatus.COMPLETED) {
        service.settleCancelled(id); // its summary of what was finished
      }
      return;
    }
    if (u.lostServer() != null) {
      settleLostPartition(run, u.executionId(), u.lostServer());
      return;
    }
    if (mode == Mode.RESTART) {
      service.restartJob(id, u.executionId());
      LOG.warning(
          "Run "
              + id
              + ": its batch job (execution "
              + u.executionId()
              + ") ended while the database was unavailable; restarted from its checkpoints.");
    } else {
      service.fail(
          id,
          "The database became unavailable during the run and its batch job (execution "
              + u.executionId()
              + ") ended. Finished results are kept; POST /api/v1/benchmarks/"
              + id
              + "/restart runs the rest.");
    }
  }

  /**
   * A run whose job this server stopped because {@code lostServer} was lost mid-partition, now that
   * the job has ended: restarted from its checkpoints ({@code restart}), else failed with the
   * reason (a run must not stay running with no job).
   */
  private void settleLostPartition(BenchmarkRun run, long executionId, String lostServer) {
    if (mode == Mode.RESTART) {
      service.restartJob(run.id(), executionId);
      LOG.warning(
          "Run "
              + run.id()
              + ": its batch job (execution "
              + executionId
              + ") was stopped because server "
              + lostServer
              + " was lost in the middle of a partition; restarted from its checkpoints.");
    } else {
      service.fail(
          run.id(),
          "Interrupted: server "
              + lostServer
              + " stopped in the middle of a partition of the run. Finished results are kept;"
              + " POST /api/v1/benchmarks/"
              + run.id()
              + "/restart runs the rest.");
    }
  }

  /**
   * Stops the top-level jobs this server runs that wait for a partition on a lost server (one that
   * has not renewed its heartbeat within {@code ltb.cluster.heartbeat-timeout-ms} at two heartbeats
   * of this server in a row): Liberty's partitioned step would wait for that partition's answer for
   * ever, but checks for a stop while it waits. Once the job has stopped, its listener leaves the
   * run to {@link #settleUnsettled} as interrupted, not cancelled.
   */
  void stopForLostPartitions() {
    try {
      for (RunRepository.OpenPartition p : runs.openPartitionsElsewhere(registry.serverId())) {
        if (lostPartitions.contains(p.executionId()) || !registry.lost(p.serverId())) {
          continue;
        }
        Optional<JobExecution> exec = launcher.latestExecution(p.executionId());
        if (exec.isEmpty()
            || exec.get().getExecutionId() != p.executionId()
            || (exec.get().getBatchStatus() != BatchStatus.STARTED
                && exec.get().getBatchStatus() != BatchStatus.STARTING)
            || !lostPartitions.stopping(p.executionId(), p.serverId())) {
          continue;
        }
        try {
          launcher.stop(p.executionId());
          LOG.warning(
              "Run "
                  + p.runId()
                  + ": server "
                  + p.serverId()
                  + ", executing a partition of its job (execution "
                  + p.executionId()
                  + "), has not renewed its heartbeat within ltb.cluster.heartbeat-timeout-ms:"
                  + " stopping the job to "
                  + (mode == Mode.RESTART ? "restart it from its checkpoints." : "fail the run."));
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Could not stop execution " + p.executionId(), e);
          if (launcher
              .latestExecution(p.executionId())
              .map(x -> x.getBatchStatus() == BatchStatus.STARTED)
              .orElse(false)) {
            lostPartitions.ended(p.executionId()); // not stopping: tried again at the next beat
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not check for partitions on lost servers", e);
    }
  }

  /** Recovers the unfinished runs whose job a lost server was running. */
  void recoverLost() {
    try {
      for (UUID id : runs.unfinishedOwnedByOthers(registry.serverId())) {
        String owner = runs.owner(id).orElse(null);
        if (!registry.lost(owner)) {
          continue;
        }
        try {
          BenchmarkRun run = runs.find(id).orElse(null);
          if (run != null && !run.status().isTerminal() && recoverLost(run, owner)) {
            LOG.warning(
                "Run "
                    + id
                    + " was executed by server "
                    + owner
                    + ", which has not renewed its heartbeat within"
                    + " ltb.cluster.heartbeat-timeout-ms: "
                    + (mode == Mode.RESTART ? "restarted on this server." : "marked failed."));
          }
        } catch (ApiException e) {
          LOG.info("Run " + id + " of lost server " + owner + ": " + e.getMessage());
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Could not recover run " + id + " of lost server " + owner, e);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not check for runs of lost servers", e);
    }
  }

  private boolean recoverLost(BenchmarkRun run, String owner) {
    if (run.jobExecutionId() == null) {
      // Waiting in the lost server's queue (the queue lives in its memory): queue it here.
      if (run.statusReason() == null
          || !run.statusReason().startsWith(BenchmarkService.QUEUED_ON)
          || !runs.takeOver(run.id(), owner, registry.serverId())) {
        return false;
      }
      if (mode == Mode.RESTART) {
        service.requeue(run);
      } else {
        service.fail(
            run.id(), "Interrupted: server " + owner + " stopped while the run waited to start.");
      }
      return true;
    }
    Optional<JobExecution> last = launcher.latestExecution(run.jobExecutionId());
    if (last.isEmpty()) {
      return false;
    }
    if (mode == Mode.RESTART) {
      service.restartJob(run.id(), last.get().getExecutionId());
    } else {
      // Failing twice is harmless (only a run not yet ended is marked), and claiming would block
      // the restart by hand that the reason offers.
      service.fail(
          run.id(),
          "Interrupted: server "
              + owner
              + " stopped during the run and has not come back. Finished results are kept;"
              + " POST /api/v1/benchmarks/"
              + run.id()
              + "/restart runs the rest.");
    }
    return true;
  }

  void recover() {
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    int recovered = 0;
    try {
      for (BenchmarkRun run : runs.unfinished()) {
        try {
          if (recover(run, jvmStart)) {
            recovered++;
          }
        } catch (ApiException e) {
          LOG.info("Run " + run.id() + ": " + e.getMessage());
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Could not recover interrupted run " + run.id(), e);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not check for interrupted runs", e);
    }
    if (recovered > 0) {
      LOG.warning(
          recovered
              + " run(s) interrupted by a server stop were "
              + (mode == Mode.RESTART ? "restarted from their checkpoints." : "marked failed."));
    }
  }

  private boolean recover(BenchmarkRun run, Instant jvmStart) {
    if (run.jobExecutionId() == null
        && run.statusReason() != null
        && run.statusReason().startsWith(BenchmarkService.QUEUED_ON)) {
      // Waiting for a slot (RunAdmission): on this server when it stopped, or on another one.
      if (!run.statusReason().startsWith(BenchmarkService.QUEUED_ON + service.serverId() + ":")) {
        return false;
      }
      if (mode == Mode.RESTART) {
        service.requeue(run);
      } else {
        service.fail(run.id(), "Interrupted: the server stopped while the run waited to start.");
      }
      return true;
    }
    if (run.jobExecutionId() == null) {
      // Its server stopped between storing the run and starting its job.
      if (run.createdAt().toInstant().isBefore(jvmStart.minus(ORPHAN_AGE))) {
        service.fail(
            run.id(), "Interrupted: the server stopped before the run's batch job started.");
        return true;
      }
      return false;
    }
    Optional<JobExecution> last = launcher.latestExecution(run.jobExecutionId());
    if (last.isEmpty()) {
      service.fail(
          run.id(), "Interrupted: the job repository no longer knows the run's batch job.");
      return true;
    }
    if (!BenchmarkService.restartable(last.get().getBatchStatus())) {
      return false; // in flight on a live server (ours were marked failed at start)
    }
    if (mode == Mode.RESTART) {
      service.restartJob(run.id(), last.get().getExecutionId());
    } else {
      service.fail(
          run.id(),
          "Interrupted: the server stopped during the run. Finished results are kept;"
              + " POST /api/v1/benchmarks/"
              + run.id()
              + "/restart runs the rest.");
    }
    return true;
  }
}
