package dev.llmtestbench.benchmark.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageLoaderTest {

  @Test
  void shouldLoadEveryRegisteredParentInOneCall() {
    List<List<UUID>> calls = new ArrayList<>();
    PageLoader<Integer> loader =
        new PageLoader<>(
            ids -> {
              calls.add(List.copyOf(ids));
              Map<UUID, Integer> m = new HashMap<>();
              int i = 1;
              for (UUID id : ids) {
                m.put(id, i++);
              }
              m.remove(ids.iterator().next()); // the first has no value: absent
              return m;
            },
            0);
    List<UUID> page = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    loader.register(page);
    assertEquals(2, loader.get(page.get(1)));
    assertEquals(0, loader.get(page.get(0)));
    assertEquals(3, loader.get(page.get(2)));
    assertEquals(1, calls.size());
    assertEquals(page.size(), calls.get(0).size());

    UUID other = UUID.randomUUID();
    assertEquals(0, loader.get(other)); // not registered: loaded alone, absent
    assertEquals(2, loader.loads());
    assertEquals(List.of(other), calls.get(1));
  }

  @Test
  void shouldNeverLoadAPrimedValueAndLetALoadRegisterWithAnotherLoaderOfItsLock() {
    Object lock = new Object();
    List<List<UUID>> inner = new ArrayList<>();
    PageLoader<String> second =
        new PageLoader<>(
            ids -> {
              inner.add(List.copyOf(ids));
              Map<UUID, String> m = new HashMap<>();
              ids.forEach(id -> m.put(id, "loaded"));
              return m;
            },
            null,
            lock);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID known = UUID.randomUUID();
    PageLoader<Integer> first =
        new PageLoader<>(
            ids -> {
              second.register(List.of(a, b, known)); // what the loaded rows refer to
              return Map.of();
            },
            0,
            lock);
    second.prime(known, "primed");
    first.register(List.of(UUID.randomUUID()));
    assertEquals(0, first.get(UUID.randomUUID()));
    assertEquals("loaded", second.get(b));
    assertEquals("loaded", second.get(a));
    assertEquals("primed", second.get(known));
    assertEquals(List.of(List.of(a, b)), inner);
  }
}
