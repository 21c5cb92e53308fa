package dev.llmtestbench.benchmark.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs cancelled on this server, so partitions waiting on provider calls abandon them at once
 * instead of at their chunk's end. Other servers learn it from the run's status in the database.
 */
@ApplicationScoped
public class CancellationRegistry {

  private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();

  public void cancel(UUID runId) {
    cancelled.add(runId);
  }

  public boolean isCancelled(UUID runId) {
    return cancelled.contains(runId);
  }

  public void forget(UUID runId) {
    cancelled.remove(runId);
  }
}
