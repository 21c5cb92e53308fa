package dev.llmtestbench.benchmark.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetTest {

  @Test
  void namesTheFirstLimitExceeded() {
    Budget b = new Budget(0.5, 1000L, 60L);
    assertNull(b.exceeded(0.5, 1000, 60), "reaching a limit is within it");
    assertEquals("budget exceeded: cost 0.510000 > 0.500000 USD", b.exceeded(0.51, 0, 0));
    assertEquals("budget exceeded: tokens 1001 > 1000", b.exceeded(0, 1001, 0));
    assertEquals("budget exceeded: duration 61 s > 60 s", b.exceeded(0, 0, 61));
  }

  @Test
  void unsetLimitsAreNotChecked() {
    Budget b = new Budget(null, 10L, null);
    assertTrue(b.limits());
    assertNull(b.exceeded(1e9, 10, 1_000_000));
    assertFalse(new Budget(null, null, null).limits());
  }

  @Test
  void reportsEveryBadLimit() {
    List<String[]> problems = new Budget(0.0, 0L, -1L).problems();
    assertEquals(
        List.of("budget.maxCost", "budget.maxTokens", "budget.maxDurationSeconds"),
        problems.stream().map(p -> p[0]).toList());
    assertTrue(new Budget(0.01, 1L, 1L).problems().isEmpty());
  }
}
