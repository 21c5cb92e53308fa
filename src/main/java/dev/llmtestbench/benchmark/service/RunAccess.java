package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.platform.security.Visibility;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * The ownership rule ({@link Visibility}) applied to runs and their results for the request's
 * caller: a run the caller may not see is answered as if it did not exist (404), so ids do not
 * leak.
 */
@ApplicationScoped
public class RunAccess {

  @Inject RunRepository runs;
  @Inject Callers callers;

  /** What the current caller may see. */
  public Visibility visibility() {
    return Visibility.of(callers.current());
  }

  /** The owner key of runs the current caller creates, or null without a caller. */
  public String ownerOfNew() {
    var c = callers.current();
    return c == null ? null : Visibility.ownerKey(c);
  }

  public boolean canRead(UUID id) {
    return canRead(visibility(), id);
  }

  /**
   * Whether the run exists and {@code v} allows it; for the real-time hub, whose dispatch thread
   * must not wait on the database for every event: a run's ownership is read once and kept for
   * {@link #OWNERSHIP_MILLIS} (runs are never re-owned, but their sharing changes: {@link #forget}
   * drops it at once on the server that changed it; the others see the change within that time).
   */
  public boolean canRead(Visibility v, UUID id) {
    long now = System.currentTimeMillis();
    Known k = owners.get(id);
    if (k == null || now - k.at() > OWNERSHIP_MILLIS) {
      RunRepository.Ownership o = runs.ownership(id).orElse(null);
      if (o == null) {
        owners.remove(id);
        return false;
      }
      if (owners.size() > 10_000) {
        owners.clear();
      }
      k = new Known(o, now);
      owners.put(id, k);
    }
    return v.canRead(k.ownership().owner(), k.ownership().sharedGroup());
  }

  /** How long a run's cached ownership is trusted: the lag of a change of sharing elsewhere. */
  static final long OWNERSHIP_MILLIS = 5_000;

  private record Known(RunRepository.Ownership ownership, long at) {}

  /** Drops a run's cached ownership (after its sharing changed or it was deleted). */
  public void forget(UUID id) {
    owners.remove(id);
  }

  private final java.util.concurrent.ConcurrentHashMap<UUID, Known> owners =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A 404 unless the run exists and the current caller may see it. */
  public void requireRead(UUID id) {
    if (!canRead(id)) {
      throw ApiException.notFound("Benchmark", id);
    }
  }

  /**
   * A 404 unless the current caller may see the run, a 403 when they see it (shared with their
   * group) but are neither its owner nor an admin.
   */
  public void requireChange(UUID id) {
    Visibility v = visibility();
    var o = runs.ownership(id).orElse(null);
    if (o == null || !v.canRead(o.owner(), o.sharedGroup())) {
      throw ApiException.notFound("Benchmark", id);
    }
    if (!v.canChange(o.owner())) {
      throw new ApiException(
          403,
          "forbidden",
          "Forbidden",
          "Benchmark " + id + " is shared with your group; only its owner or an admin changes it.");
    }
  }
}
