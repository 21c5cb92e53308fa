package dev.llmtestbench.benchmark.graphql;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Loads a nested field for every parent of one answer at once: the first parent that asks loads the
 * values of all parents registered with it in one call, and the others read them. This is the
 * batching that MicroProfile GraphQL's {@code @Source List<…>} resolvers would give; Liberty's
 * MicroProfile GraphQL 2.0 cannot run those (it starts SmallRye's ExecutionService without the
 * batch operations, so a batch field finds no DataLoader and fails with a NullPointerException).
 *
 * <p>One loader lives as long as the objects of one answer (it is not shared between requests), so
 * it needs no scope and sees only the parents that answer already checked access to. The loaders of
 * one answer share a lock ({@link Nested}), since loading one registers parents with another.
 *
 * @param <V> the field's value
 */
final class PageLoader<V> {

  private final Function<Collection<UUID>, Map<UUID, V>> load;
  private final V absent;
  private final Object lock;
  private final Set<UUID> pending = new LinkedHashSet<>();
  private final Map<UUID, V> loaded = new HashMap<>();
  private int loads;

  /**
   * @param load values for many ids in one call (ids without a value may be missing)
   * @param absent the value of an id {@code load} did not answer
   */
  PageLoader(Function<Collection<UUID>, Map<UUID, V>> load, V absent) {
    this(load, absent, null);
  }

  /**
   * @param lock the monitor guarding this loader (null: its own)
   */
  PageLoader(Function<Collection<UUID>, Map<UUID, V>> load, V absent, Object lock) {
    this.load = load;
    this.absent = absent;
    this.lock = lock == null ? this : lock;
  }

  /** Registers parents whose value will be loaded together. */
  void register(Collection<UUID> ids) {
    synchronized (lock) {
      for (UUID id : ids) {
        if (!loaded.containsKey(id)) {
          pending.add(id);
        }
      }
    }
  }

  /** Records the value of {@code id} known already (it is then never loaded). */
  void prime(UUID id, V value) {
    synchronized (lock) {
      pending.remove(id);
      loaded.putIfAbsent(id, value);
    }
  }

  /** The value for {@code id}, loading it with every registered parent not loaded yet. */
  V get(UUID id) {
    synchronized (lock) {
      if (!loaded.containsKey(id)) {
        pending.add(id);
        List<UUID> batch = List.copyOf(pending);
        pending.clear();
        Map<UUID, V> values = load.apply(batch);
        loads++;
        for (UUID b : batch) {
          loaded.put(b, values.getOrDefault(b, absent));
        }
      }
      return loaded.get(id);
    }
  }

  /** How many times values were loaded (for tests). */
  int loads() {
    synchronized (lock) {
      return loads;
    }
  }
}
