package dev.llmtestbench.provider.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterShareTest {

  @Test
  void shouldGiveALoneServerTheWholeFigure() {
    assertEquals(16, ClusterShare.of(16, List.of("a"), "a"));
    assertEquals(16, ClusterShare.of(16, List.of(), "a"), "before its first heartbeat");
  }

  @Test
  void shouldSplitSoThatTheSharesAddUpToTheFigure() {
    for (int servers = 1; servers <= 7; servers++) {
      List<String> live = new ArrayList<>();
      for (int i = 0; i < servers; i++) {
        live.add("server-" + i);
      }
      for (int total : new int[] {7, 8, 16, 64, 100, 256}) {
        int sum = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (String self : live) {
          int share = ClusterShare.of(total, live, self);
          sum += share;
          min = Math.min(min, share);
          max = Math.max(max, share);
        }
        assertEquals(total, sum, total + " among " + servers);
        assertEquals(true, max - min <= 1, "even split of " + total + " among " + servers);
      }
    }
  }

  @Test
  void shouldGiveTheRemainderToTheFirstServersInIdOrder() {
    List<String> live = List.of("c", "a", "b");
    assertEquals(4, ClusterShare.of(10, live, "a"));
    assertEquals(3, ClusterShare.of(10, live, "b"));
    assertEquals(3, ClusterShare.of(10, live, "c"));
  }

  @Test
  void shouldCountItselfWhenMissingFromTheLiveSet() {
    assertEquals(8, ClusterShare.of(16, List.of("b"), "a"));
    assertEquals(8, ClusterShare.of(16, List.of("a"), "b"));
  }

  @Test
  void shouldLeaveEveryServerAtLeastOneCall() {
    List<String> live = List.of("a", "b", "c");
    assertEquals(1, ClusterShare.of(2, live, "a"));
    assertEquals(1, ClusterShare.of(2, live, "b"));
    assertEquals(1, ClusterShare.of(2, live, "c"));
  }
}
