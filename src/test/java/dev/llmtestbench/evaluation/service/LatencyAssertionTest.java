package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.latency;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import org.junit.jupiter.api.Test;

class LatencyAssertionTest {

  private static AssertionResult check(String type, double maxMs, long latencyMs) {
    Assertion assertion =
        Assertions.compile(new AssertionSpec(type, null, maxMs, null, null, null, null));
    return assertion.evaluate(latency(latencyMs));
  }

  private static void assertResult(
      AssertionResult result, boolean pass, double score, String reason) {
    assertEquals(pass, result.pass(), "pass");
    assertEquals(score, result.score(), "score");
    assertEquals(reason, result.reason(), "reason");
  }

  @Test
  void shouldPassLatencyWhenBelowThreshold() {
    assertResult(
        check("latency", 1000, 800), true, 1.0, "Latency 800 ms is within the 1000 ms limit");
  }

  @Test
  void shouldPassLatencyWhenExactlyAtThreshold() {
    assertResult(
        check("latency", 1000, 1000), true, 1.0, "Latency 1000 ms is within the 1000 ms limit");
  }

  @Test
  void shouldFailLatencyWhenAboveThreshold() {
    assertResult(
        check("latency", 1000, 1001),
        false,
        0.0,
        "Expected latency of at most 1000 ms, was 1001 ms");
  }

  @Test
  void shouldKeepFractionalThresholdInReason() {
    assertResult(
        check("latency", 1500.5, 1501),
        false,
        0.0,
        "Expected latency of at most 1500.5 ms, was 1501 ms");
  }

  @Test
  void shouldPassLatencyForZeroThresholdOnlyAtZeroMilliseconds() {
    assertEquals(true, check("latency", 0, 0).pass());
    assertEquals(false, check("latency", 0, 1).pass());
  }

  @Test
  void shouldPassNotLatencyWhenAboveThreshold() {
    assertResult(check("not-latency", 1000, 1200), true, 1.0, "Latency 1200 ms exceeds 1000 ms");
  }

  @Test
  void shouldFailNotLatencyWhenWithinThreshold() {
    assertResult(
        check("not-latency", 1000, 800), false, 0.0, "Expected latency above 1000 ms, was 800 ms");
  }
}
