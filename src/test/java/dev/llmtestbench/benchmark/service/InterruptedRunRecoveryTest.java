package dev.llmtestbench.benchmark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.benchmark.service.InterruptedRunRecovery.Mode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterruptedRunRecoveryTest {

  @Test
  void shouldReadModeCaseInsensitively() {
    assertEquals(
        Mode.RESTART, InterruptedRunRecovery.mode(Optional.of("restart"), Optional.empty()));
    assertEquals(Mode.FAIL, InterruptedRunRecovery.mode(Optional.of(" FAIL "), Optional.empty()));
    assertEquals(Mode.NONE, InterruptedRunRecovery.mode(Optional.of("none"), Optional.of(true)));
  }

  @Test
  void shouldFallBackToReplacedKeyAndDefaultToRestart() {
    assertEquals(Mode.RESTART, InterruptedRunRecovery.mode(Optional.empty(), Optional.empty()));
    assertEquals(Mode.NONE, InterruptedRunRecovery.mode(Optional.empty(), Optional.of(false)));
    assertEquals(Mode.RESTART, InterruptedRunRecovery.mode(Optional.empty(), Optional.of(true)));
  }

  @Test
  void shouldRestartOnUnknownValue() {
    assertEquals(
        Mode.RESTART, InterruptedRunRecovery.mode(Optional.of("resume"), Optional.empty()));
  }
}
