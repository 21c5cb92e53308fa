package dev.llmtestbench.benchmark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LostPartitionsTest {

  @Test
  void shouldStopAnExecutionOnceAndTellItsEndWhichServerWasLost() {
    LostPartitions lost = new LostPartitions();
    assertTrue(lost.stopping(7, "host/executorA"));
    assertFalse(lost.stopping(7, "host/executorB"), "a second lost server does not stop it again");
    assertTrue(lost.contains(7));
    assertEquals("host/executorA", lost.ended(7));
    assertFalse(lost.contains(7));
    assertNull(lost.ended(7), "a job stopped otherwise (a cancel) is not interrupted");
  }
}
