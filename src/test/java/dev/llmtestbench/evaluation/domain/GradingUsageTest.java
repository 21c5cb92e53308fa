package dev.llmtestbench.evaluation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.platform.json.Json;
import org.junit.jupiter.api.Test;

class GradingUsageTest {

  private static GradingUsage call(Double cost) {
    return new GradingUsage(1, 100, 20, 120, cost, 0, 0, 0);
  }

  @Test
  void shouldAddUpCallsAndKeepCostNullOnlyWhenNothingWasPriced() {
    assertNull(call(null).plus(call(null)).costUsd());
    assertEquals(0.5, call(null).plus(call(0.5)).costUsd());
    assertEquals(0.5, call(0.5).plus(call(null)).costUsd());
    GradingUsage both = call(0.25).plus(call(0.5));
    assertEquals(0.75, both.costUsd(), 1e-12);
    assertEquals(2, both.calls());
    assertEquals(240, both.totalTokens());
  }

  @Test
  void shouldTellAnEmptyUsageAndRoundTripThroughJson() {
    assertTrue(GradingUsage.nothing(GradingUsage.NONE));
    assertTrue(GradingUsage.nothing(null));
    GradingUsage hit = new GradingUsage(0, 0, 0, 0, null, 1, 0, 0);
    assertFalse(GradingUsage.nothing(hit));
    String json = Json.write(call(0.001));
    assertFalse(json.contains("nothing"), json);
    assertEquals(call(0.001), Json.read(json, GradingUsage.class));
  }
}
