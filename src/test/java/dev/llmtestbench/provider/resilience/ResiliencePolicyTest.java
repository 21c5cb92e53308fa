package dev.llmtestbench.provider.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResiliencePolicyTest {

  @Test
  void shouldUseTheDocumentedDefaultsWhenNothingIsConfigured() {
    ResiliencePolicy policy = ResiliencePolicy.from(key -> Optional.empty());

    assertEquals(ResiliencePolicy.DEFAULTS, policy);
    assertEquals(3, policy.maxRetries());
    assertEquals(Duration.ofMillis(500), policy.baseDelay());
    assertEquals(Duration.ofSeconds(20), policy.maxDelay());
    assertEquals(0.5, policy.jitter());
    assertEquals(Duration.ofSeconds(60), policy.maxRetryAfter());
    assertEquals(0.5, policy.breakerFailureRatio());
    assertEquals(20, policy.breakerRequestVolume());
    assertEquals(Duration.ofSeconds(30), policy.breakerDelay());
    assertEquals(2, policy.breakerSuccessThreshold());
    assertEquals(16, policy.initialConcurrency());
    assertEquals(1, policy.minConcurrency());
    assertEquals(256, policy.maxConcurrency());
  }

  @Test
  void shouldReadEveryKey() {
    Map<String, String> config =
        Map.ofEntries(
            Map.entry("retry.max-retries", "5"),
            Map.entry("retry.delay-ms", "250"),
            Map.entry("retry.max-delay-ms", "8000"),
            Map.entry("retry.jitter", "1.0"),
            Map.entry("retry.max-retry-after-ms", "120000"),
            Map.entry("circuit-breaker.failure-ratio", "0.75"),
            Map.entry("circuit-breaker.request-volume-threshold", "40"),
            Map.entry("circuit-breaker.delay-ms", "10000"),
            Map.entry("circuit-breaker.success-threshold", "3"),
            Map.entry("concurrency.initial", "4"),
            Map.entry("concurrency.min", "2"),
            Map.entry("concurrency.max", "32"));

    ResiliencePolicy policy = ResiliencePolicy.from(lookup(config));

    assertEquals(
        new ResiliencePolicy(
            5,
            Duration.ofMillis(250),
            Duration.ofSeconds(8),
            1.0,
            Duration.ofMinutes(2),
            0.75,
            40,
            Duration.ofSeconds(10),
            3,
            4,
            2,
            32),
        policy);
  }

  @Test
  void shouldTreatBlankValuesAsAbsentAndTrimOthers() {
    ResiliencePolicy policy =
        ResiliencePolicy.from(lookup(Map.of("retry.max-retries", " ", "retry.jitter", " 0.25 ")));

    assertEquals(3, policy.maxRetries());
    assertEquals(0.25, policy.jitter());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "retry.max-retries | -1 | retry.max-retries must be between 0 and 100, was -1.",
        "retry.max-retries | three | retry.max-retries must be a whole number between 0 and 100,"
            + " was 'three'.",
        "retry.delay-ms | 30000 | retry.delay-ms must be between 0 and retry.max-delay-ms (20000),"
            + " was 30000.",
        "retry.max-delay-ms | 99999999999 | retry.max-delay-ms must be between 0 and 86400000,"
            + " was 99999999999.",
        "retry.jitter | 1.5 | retry.jitter must be between 0.0 and 1.0, was 1.5.",
        "retry.jitter | NaN | retry.jitter must be a decimal number between 0.0 and 1.0,"
            + " was 'NaN'.",
        "retry.max-retry-after-ms | 1.5 | retry.max-retry-after-ms must be a whole number between"
            + " 0 and 86400000, was '1.5'.",
        "circuit-breaker.failure-ratio | 0 | circuit-breaker.failure-ratio must be above 0.0 and"
            + " at most 1.0, was 0.0.",
        "circuit-breaker.request-volume-threshold | 0 | circuit-breaker.request-volume-threshold"
            + " must be between 1 and 10000, was 0.",
        "circuit-breaker.delay-ms | -5 | circuit-breaker.delay-ms must be between 0 and 86400000,"
            + " was -5.",
        "circuit-breaker.success-threshold | 0 | circuit-breaker.success-threshold must be"
            + " between 1 and 10000, was 0.",
        "concurrency.initial | 300 | concurrency.initial must be between concurrency.min (1) and"
            + " concurrency.max (256), was 300.",
        "concurrency.min | 0 | concurrency.min must be between 1 and 100000, was 0.",
        "concurrency.max | 8 | concurrency.initial must be between concurrency.min (1) and"
            + " concurrency.max (8), was 16.",
      })
  void shouldRejectAnInvalidValueNamingTheKeyAndItsRange(String key, String value, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResiliencePolicy.from(lookup(Map.of(key, value))));

    assertEquals(message, e.getMessage());
  }

  @Test
  void shouldValidateAPolicyBuiltInCode() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ResiliencePolicy(
                    3,
                    Duration.ofMillis(-1),
                    Duration.ofSeconds(20),
                    0.5,
                    Duration.ofSeconds(60),
                    0.5,
                    20,
                    Duration.ofSeconds(30),
                    2,
                    16,
                    1,
                    256));

    assertTrue(e.getMessage().startsWith("retry.delay-ms must be between 0 and"), e.getMessage());
  }

  private static Function<String, Optional<String>> lookup(Map<String, String> config) {
    return key -> Optional.ofNullable(config.get(key));
  }
}
