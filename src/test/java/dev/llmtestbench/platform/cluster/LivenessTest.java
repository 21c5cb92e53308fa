package dev.llmtestbench.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LivenessTest {

  @Test
  void shouldJudgeNothingLostBeforeTwoReadings() {
    Liveness one = Liveness.NONE.next(Set.of("a"));
    assertFalse(one.lost("b"));
    assertFalse(Liveness.NONE.lost("b"));
  }

  @Test
  void shouldJudgeAServerLostWhenNotLiveInTwoReadingsInARow() {
    Liveness two = Liveness.NONE.next(Set.of("a")).next(Set.of("a"));
    assertTrue(two.lost("b"));
    assertFalse(two.lost("a"));
    assertFalse(two.lost(null));
  }

  @Test
  void shouldNotJudgeAServerThatBeatAgainLost() {
    // b missed one beat (or the database was away), then beat again.
    Liveness l = Liveness.NONE.next(Set.of("a", "b")).next(Set.of("a"));
    assertFalse(l.lost("b"));
    assertFalse(l.next(Set.of("a", "b")).lost("b"));
  }

  @Test
  void shouldStartOverAfterAFailedReading() {
    Liveness l = Liveness.NONE.next(Set.of("a")).next(Set.of("a")).broken();
    assertFalse(l.lost("b"));
    l = l.next(Set.of("a"));
    assertFalse(l.lost("b"), "one reading after the outage is not enough");
    assertTrue(l.next(Set.of("a")).lost("b"));
  }
}
