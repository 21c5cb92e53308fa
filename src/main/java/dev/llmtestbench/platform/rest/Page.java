package dev.llmtestbench.platform.rest;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One page of a list in stable order; pass {@code nextCursor} back as {@code cursor} for the next
 * page (absent on the last page).
 */
public record Page<T>(List<T> items, String nextCursor) {

  /** Builds a page from {@code limit + 1} fetched rows: the extra row only says more exist. */
  public static <T> Page<T> of(List<T> fetched, int limit, ToLongFunction<T> key) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> items = fetched.subList(0, limit);
    return new Page<>(List.copyOf(items), Cursors.encode(key.applyAsLong(items.get(limit - 1))));
  }

  /**
   * Identity, not value: JSON-B (Yasson) puts every object it serializes in a hash set to detect
   * cycles, and a record's value hash walks every field (whole prompts and responses, nested lists
   * and maps) each time; it was 10-15% of a results page's CPU. Views are never compared by value.
   */
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  /** Builds a page from {@code limit + 1} rows, its cursor made by {@code cursor} of the last. */
  public static <T> Page<T> ofCursor(
      List<T> fetched, int limit, java.util.function.Function<T, String> cursor) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> items = List.copyOf(fetched.subList(0, limit));
    return new Page<>(items, cursor.apply(items.get(limit - 1)));
  }

  public <R> Page<R> map(java.util.function.Function<T, R> f) {
    return new Page<>(items.stream().map(f).toList(), nextCursor);
  }
}
