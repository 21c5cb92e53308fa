package dev.llmtestbench.benchmark.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The top-level job executions this server stopped because a server executing one of their
 * partitions was lost (it stopped renewing its heartbeat in the middle of the partition): Liberty's
 * top-level job would wait for that partition's answer for ever. When such a job has stopped, its
 * run is settled as interrupted (restarted from its checkpoints, or failed with the reason), not
 * cancelled. Only this JVM runs the top-level job, so memory is enough: if it stops too, the run is
 * recovered at its next start like any interrupted run.
 */
@ApplicationScoped
public class LostPartitions {

  private final Map<Long, String> stopped = new ConcurrentHashMap<>();

  /** The execution is being stopped because {@code lostServer} was lost; false if it already is. */
  public boolean stopping(long executionId, String lostServer) {
    return stopped.putIfAbsent(executionId, lostServer) == null;
  }

  /** Whether the execution is being stopped for a lost server. */
  public boolean contains(long executionId) {
    return stopped.containsKey(executionId);
  }

  /** The lost server the execution was stopped for (forgotten now), or null. */
  public String ended(long executionId) {
    return stopped.remove(executionId);
  }
}
