package dev.llmtestbench.provider.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderGuardTest {

  private static final String PROVIDER = "test-llm";

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final ResilienceListener recorder =
      new ResilienceListener() {
        @Override
        public void onRetry(String provider, int attempt, Duration delay, ProviderException cause) {
          events.add("retry " + attempt + " after " + delay.toMillis() + " ms on " + cause.kind());
        }

        @Override
        public void onRateLimited(String provider, int newLimit) {
          events.add("rate-limited, limit " + newLimit);
        }

        @Override
        public void onBreakerStateChange(String provider, CircuitState from, CircuitState to) {
          events.add("breaker " + from + " -> " + to);
        }

        @Override
        public void onRejected(String provider) {
          events.add("rejected");
        }
      };

  // Retries and backoff

  @Test
  void shouldRetryServerErrorsThenSucceedAndRecordStats() {
    ProviderGuard guard = guard(policy());
    Script attempts =
        new Script().then(error(Kind.SERVER_ERROR, 503), error(Kind.SERVER_ERROR, 503), "ok");
    CallStats stats = new CallStats();

    CompletableFuture<String> result = guard.call(attempts, stats);

    assertEquals(1, attempts.calls);
    assertEquals(0, guard.inFlight(), "no permit held while waiting to retry");
    scheduler.advanceMillis(499);
    assertEquals(1, attempts.calls, "first retry waits the 500 ms base delay");
    scheduler.advanceMillis(1);
    assertEquals(2, attempts.calls);
    scheduler.advanceMillis(999);
    assertEquals(2, attempts.calls, "second retry waits twice as long");
    scheduler.advanceMillis(1);
    assertEquals("ok", result.getNow(null));
    assertEquals(3, stats.attempts());
    assertEquals(2, stats.retries());
    assertEquals(0, stats.rateLimited());
    assertEquals(Duration.ofMillis(1500).toNanos(), stats.backoffNanos());
    assertEquals(0, stats.queuedNanos());
    assertEquals(List.of(Kind.SERVER_ERROR, Kind.SERVER_ERROR), stats.errorKinds());
    assertEquals(
        List.of("retry 2 after 500 ms on SERVER_ERROR", "retry 3 after 1000 ms on SERVER_ERROR"),
        events);
    assertEquals(0, guard.inFlight());
  }

  @Test
  void shouldWaitForTheLongerOfBackoffAndRetryAfter() {
    ProviderGuard guard = guard(policy());
    Script attempts =
        new Script().then(rateLimited(5_000L), error(Kind.SERVER_ERROR, 503, 100L), "ok");
    CallStats stats = new CallStats();

    CompletableFuture<String> result = guard.call(attempts, stats);

    scheduler.advanceMillis(4_999);
    assertEquals(1, attempts.calls, "Retry-After 5 s beats the 500 ms backoff");
    scheduler.advanceMillis(1);
    assertEquals(2, attempts.calls);
    scheduler.advanceMillis(999);
    assertEquals(2, attempts.calls, "the 1 s backoff beats Retry-After 100 ms");
    scheduler.advanceMillis(1);
    assertEquals("ok", result.getNow(null));
    assertEquals(1, stats.rateLimited());
    assertEquals(Duration.ofMillis(6_000).toNanos(), stats.backoffNanos());
  }

  @Test
  void shouldGiveUpAfterMaxRetriesWithTheAttemptCountInTheMessage() {
    ProviderGuard guard = guard(policy("retry.max-retries", "3"));
    ProviderException last = error(Kind.SERVER_ERROR, 503);
    Script attempts =
        new Script()
            .then(
                error(Kind.SERVER_ERROR, 502),
                error(Kind.SERVER_ERROR, 500),
                error(Kind.TIMEOUT, null),
                last,
                "never reached");
    CallStats stats = new CallStats();

    CompletableFuture<String> result = guard.call(attempts, stats);
    scheduler.advance(Duration.ofMinutes(5));

    ProviderException failure = failure(result);
    assertEquals(4, attempts.calls);
    assertEquals(Kind.SERVER_ERROR, failure.kind());
    assertEquals("after 4 attempts: " + last.getMessage(), failure.getMessage());
    assertEquals(503, failure.httpStatus());
    assertSame(last, failure.getCause());
    assertEquals(3, stats.retries());
    assertEquals(
        List.of(Kind.SERVER_ERROR, Kind.SERVER_ERROR, Kind.TIMEOUT, Kind.SERVER_ERROR),
        stats.errorKinds());
    assertEquals(0, scheduler.pendingTasks());
  }

  @ParameterizedTest
  @EnumSource(
      value = Kind.class,
      names = {"BAD_REQUEST", "UNAUTHORIZED", "UNSUPPORTED", "SIMULATED"})
  void shouldNotRetryFailuresThatWouldFailAgain(Kind kind) {
    ProviderGuard guard = guard(policy());
    ProviderException error =
        error(kind, Map.of(Kind.BAD_REQUEST, 400, Kind.UNAUTHORIZED, 401).get(kind));
    Script attempts = new Script().then(error, "never reached");

    CompletableFuture<String> result = guard.call(attempts, new CallStats());

    ProviderException failure = failure(result);
    assertEquals(1, attempts.calls);
    assertEquals(kind, failure.kind());
    assertEquals("after 1 attempt: " + error.getMessage(), failure.getMessage());
    assertEquals(error.httpStatus(), failure.httpStatus());
    assertEquals(0, scheduler.pendingTasks(), "no retry scheduled");
  }

  @Test
  void shouldNotRetryWhenRetryAfterExceedsTheCap() {
    ProviderGuard guard = guard(policy("retry.max-retry-after-ms", "60000"));
    Script attempts = new Script().then(rateLimited(120_000L), "never reached");

    CompletableFuture<String> result = guard.call(attempts, new CallStats());

    ProviderException failure = failure(result);
    assertEquals(1, attempts.calls);
    assertEquals(Kind.RATE_LIMITED, failure.kind());
    assertEquals(120_000L, failure.retryAfterMillis(), "the caller still sees the server's wait");
    assertTrue(
        failure
            .getMessage()
            .startsWith(
                "after 1 attempt (not retried: the provider asked to wait 120000 ms, more than"
                    + " retry.max-retry-after-ms (60000 ms)): "),
        failure.getMessage());
    assertEquals(0, scheduler.pendingTasks());
  }

  @Test
  void shouldRetryAnInvalidResponseOnlyOnce() {
    ProviderGuard guard = guard(policy("retry.max-retries", "5"));
    Script attempts =
        new Script()
            .then(
                error(Kind.INVALID_RESPONSE, 200),
                error(Kind.INVALID_RESPONSE, 200),
                "never reached");

    CompletableFuture<String> result = guard.call(attempts, new CallStats());
    scheduler.advance(Duration.ofMinutes(5));

    assertEquals(2, attempts.calls);
    assertTrue(failure(result).getMessage().startsWith("after 2 attempts: "));
  }

  @Test
  void shouldTreatASupplierThatThrowsAsAFailedAttempt() {
    ProviderGuard guard = guard(policy());
    AtomicInteger calls = new AtomicInteger();
    Supplier<CompletableFuture<String>> attempt =
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw error(Kind.NETWORK, null);
          }
          throw new IllegalStateException("bug in the adapter");
        };

    CompletableFuture<String> result = guard.call(attempt, new CallStats());
    scheduler.advance(Duration.ofMinutes(1));

    assertEquals(2, calls.get(), "NETWORK retried, the bug not");
    ExecutionException e = assertThrows(ExecutionException.class, result::get);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(0, guard.inFlight());
  }

  @Test
  void shouldKeepJitteredBackoffWithinBoundsForEverySeed() {
    long[] exponential = {100, 200, 400, 800, 1_000, 1_000};
    for (double jitter : new double[] {0.0, 0.5, 1.0}) {
      double[] lowest = new double[exponential.length];
      double[] highest = new double[exponential.length];
      Arrays.fill(lowest, Double.MAX_VALUE);
      Set<Long> distinct = new TreeSet<>();
      for (int seed = 0; seed < 300; seed++) {
        List<Duration> delays = new ArrayList<>();
        ProviderGuard guard =
            new ProviderGuard(
                PROVIDER,
                policy(
                    "retry.jitter", Double.toString(jitter),
                    "retry.delay-ms", "100",
                    "retry.max-delay-ms", "1000",
                    "retry.max-retries", "6"),
                scheduler,
                new ResilienceListener() {
                  @Override
                  public void onRetry(
                      String provider, int attempt, Duration delay, ProviderException cause) {
                    delays.add(delay);
                  }
                },
                scheduler::nanoTime,
                new SplittableRandom(seed));
        guard.call(() -> CompletableFuture.failedFuture(error(Kind.SERVER_ERROR, 503)));
        scheduler.advance(Duration.ofHours(1));

        assertEquals(exponential.length, delays.size());
        for (int n = 0; n < exponential.length; n++) {
          long nanos = delays.get(n).toNanos();
          long upper = Duration.ofMillis(exponential[n]).toNanos();
          double lower = upper * (1 - jitter);
          assertTrue(
              nanos >= lower && nanos <= upper,
              "jitter " + jitter + ", seed " + seed + ", retry " + n + ": " + delays.get(n));
          lowest[n] = Math.min(lowest[n], nanos / (double) upper);
          highest[n] = Math.max(highest[n], nanos / (double) upper);
          distinct.add(nanos);
        }
      }
      if (jitter == 0.0) {
        assertEquals(5, distinct.size(), "no jitter: exactly the exponential delays");
      } else {
        for (int n = 0; n < exponential.length; n++) {
          // Over 300 seeds the delays should spread across the whole allowed band.
          assertTrue(lowest[n] < 1 - jitter + 0.05, "jitter " + jitter + " lowest " + lowest[n]);
          assertTrue(highest[n] > 0.95, "jitter " + jitter + " highest " + highest[n]);
        }
      }
    }
  }

  // Circuit breaker

  @Test
  void shouldNotOpenTheBreakerBeforeTheRequestVolumeIsReached() {
    ProviderGuard guard = guard(breakerPolicy());

    failTimes(guard, 9, Kind.SERVER_ERROR);
    assertEquals(CircuitState.CLOSED, guard.state(), "9 of 9 failed, but the window needs 10");

    failTimes(guard, 1, Kind.TIMEOUT);
    assertEquals(CircuitState.OPEN, guard.state());
    assertEquals(List.of("breaker CLOSED -> OPEN"), breakerEvents());
  }

  @Test
  void shouldOpenTheBreakerAtTheFailureRatioOverARollingWindow() {
    ProviderGuard guard = guard(breakerPolicy());

    succeedTimes(guard, 6);
    failTimes(guard, 4, Kind.NETWORK);
    assertEquals(CircuitState.CLOSED, guard.state(), "4 of the last 10 failed: below 0.5");

    failTimes(guard, 1, Kind.SERVER_ERROR);
    assertEquals(
        CircuitState.OPEN, guard.state(), "the oldest success left the window: 5 of the last 10");
  }

  @Test
  void shouldLeaveClientErrorsAndRateLimitsOutOfTheBreakerWindow() {
    ProviderGuard guard =
        guard(
            policy(
                "retry.max-retries", "0",
                "circuit-breaker.request-volume-threshold", "10",
                "circuit-breaker.failure-ratio", "0.8"));

    failTimes(guard, 4, Kind.SERVER_ERROR);
    failTimes(guard, 10, Kind.BAD_REQUEST);
    failTimes(guard, 10, Kind.RATE_LIMITED);
    failTimes(guard, 10, Kind.UNAUTHORIZED);
    assertEquals(CircuitState.CLOSED, guard.state(), "they are not failures");

    failTimes(guard, 6, Kind.SERVER_ERROR);
    // Had they counted as successes, the window would hold 4 of them and 6 failures (0.6 < 0.8).
    assertEquals(CircuitState.OPEN, guard.state(), "nor successes: 10 of the last 10 calls failed");
  }

  @Test
  void shouldFailFastWhileOpenWithoutSendingAnAttempt() {
    ProviderGuard guard = guard(breakerPolicy());
    failTimes(guard, 10, Kind.SERVER_ERROR);
    scheduler.advance(Duration.ofSeconds(10));
    Script attempts = new Script().then("never reached");

    CompletableFuture<String> result = guard.call(attempts, new CallStats());

    ProviderException failure = failure(result);
    assertEquals(0, attempts.calls);
    assertEquals(Kind.CIRCUIT_OPEN, failure.kind());
    assertEquals(
        "test-llm circuit breaker open since 10.0 s ago after 10 failures of the last 10 calls;"
            + " retrying after 20.0 s.",
        failure.getMessage());
    assertEquals(20_000L, failure.retryAfterMillis());
    assertEquals("rejected", events.get(events.size() - 1));
    assertEquals(0, guard.inFlight());
    assertEquals(0, guard.queued());
  }

  @Test
  void shouldCloseTheBreakerWhenHalfOpenTrialsSucceed() {
    ProviderGuard guard = guard(breakerPolicy());
    failTimes(guard, 10, Kind.SERVER_ERROR);
    scheduler.advance(Duration.ofSeconds(29));
    assertEquals(CircuitState.OPEN, guard.state());
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(CircuitState.HALF_OPEN, guard.state());
    Script attempts = new Script();

    CompletableFuture<String> first = guard.call(attempts, new CallStats());
    CompletableFuture<String> second = guard.call(attempts, new CallStats());
    CompletableFuture<String> third = guard.call(attempts, new CallStats());

    assertEquals(2, attempts.calls, "two trial calls for a success threshold of 2");
    assertEquals(Kind.CIRCUIT_OPEN, failure(third).kind());
    attempts.pending.get(0).complete("ok");
    assertEquals(CircuitState.HALF_OPEN, guard.state(), "one success is not enough");
    attempts.pending.get(1).complete("ok");
    assertEquals(CircuitState.CLOSED, guard.state());
    assertEquals("ok", first.getNow(null));
    assertEquals("ok", second.getNow(null));
    assertEquals(
        List.of(
            "breaker CLOSED -> OPEN", "breaker OPEN -> HALF_OPEN", "breaker HALF_OPEN -> CLOSED"),
        breakerEvents());

    failTimes(guard, 9, Kind.SERVER_ERROR);
    assertEquals(CircuitState.CLOSED, guard.state(), "closing starts an empty window");
  }

  @Test
  void shouldReopenTheBreakerWhenATrialFails() {
    ProviderGuard guard = guard(breakerPolicy());
    failTimes(guard, 10, Kind.SERVER_ERROR);
    scheduler.advance(Duration.ofSeconds(30));

    failTimes(guard, 1, Kind.TIMEOUT);

    assertEquals(CircuitState.OPEN, guard.state());
    scheduler.advance(Duration.ofSeconds(5));
    ProviderException failure = failure(guard.call(new Script().then("never reached")));
    assertEquals(
        "test-llm circuit breaker open since 5.0 s ago after a failed trial call;"
            + " retrying after 25.0 s.",
        failure.getMessage());
    scheduler.advance(Duration.ofSeconds(25));
    assertEquals(CircuitState.HALF_OPEN, guard.state(), "the delay starts again on reopening");
    assertEquals(
        List.of(
            "breaker CLOSED -> OPEN",
            "breaker OPEN -> HALF_OPEN",
            "breaker HALF_OPEN -> OPEN",
            "breaker OPEN -> HALF_OPEN"),
        breakerEvents());
  }

  @Test
  void shouldStopRetryingWhenTheBreakerOpensDuringTheBackoff() {
    ProviderGuard guard =
        guard(
            policy(
                "circuit-breaker.request-volume-threshold", "2",
                "circuit-breaker.failure-ratio", "1"));
    ProviderException first = error(Kind.SERVER_ERROR, 500);
    Script a = new Script().then(first, "never reached");
    Script b = new Script().then(error(Kind.SERVER_ERROR, 502), "never reached");

    CompletableFuture<String> resultA = guard.call(a, new CallStats());
    CompletableFuture<String> resultB = guard.call(b, new CallStats());
    assertEquals(CircuitState.OPEN, guard.state());
    scheduler.advance(Duration.ofSeconds(1));

    ProviderException failure = failure(resultA);
    assertEquals(1, a.calls);
    assertEquals(Kind.CIRCUIT_OPEN, failure.kind());
    assertTrue(failure.getMessage().startsWith("after 1 attempt: test-llm circuit breaker open"));
    assertTrue(failure.getMessage().endsWith("Last error: " + first.getMessage()));
    assertSame(first, failure.getCause());
    assertEquals(Kind.CIRCUIT_OPEN, failure(resultB).kind());
  }

  // Adaptive concurrency

  /** A guard without retries whose limit starts at its maximum of 8. */
  private ProviderGuard adaptiveGuardUpTo8(String min) {
    return guard(
        policy(
            "retry.max-retries", "0",
            "concurrency.initial", "8",
            "concurrency.min", min,
            "concurrency.max", "8"));
  }

  @Test
  void shouldHalveTheLimitOncePerBurstOf429sAndGrowItBackWithSuccesses() {
    ProviderGuard guard = adaptiveGuardUpTo8("1");
    Script attempts = new Script();
    for (int i = 0; i < 28; i++) {
      guard.call(attempts, new CallStats());
    }
    assertEquals(8, guard.inFlight());
    assertEquals(20, guard.queued());

    for (int i = 0; i < 8; i++) {
      attempts.pending.get(i).completeExceptionally(rateLimited(null));
    }

    assertEquals(4, guard.concurrencyLimit(), "8 answers to requests sent at 8 cut once, not to 1");
    assertEquals(4, guard.inFlight());
    assertEquals(16, guard.queued());
    List<Integer> limits = new ArrayList<>();
    for (int i = 8; i < 17; i++) {
      attempts.pending.get(i).complete("ok");
      limits.add(guard.concurrencyLimit());
    }
    assertEquals(List.of(4, 4, 4, 5, 5, 5, 5, 5, 6), limits, "+1 after `limit` successes");
    assertEquals(6, guard.inFlight());

    attempts.pending.get(17).completeExceptionally(rateLimited(null));
    assertEquals(3, guard.concurrencyLimit());
    assertEquals("rate-limited, limit 3", events.get(events.size() - 1));
  }

  @Test
  void shouldKeepToItsClusterShareWithoutTakingPermitsBack() {
    ProviderGuard guard = adaptiveGuardUpTo8("3");
    Script attempts = new Script();
    for (int i = 0; i < 12; i++) {
      guard.call(attempts, new CallStats());
    }
    assertEquals(8, guard.inFlight());

    // A second server joined: this one keeps 4 of the 8, its minimum falls to fit.
    guard.concurrencyShare(4);
    assertEquals(4, guard.concurrencyMax());
    assertEquals(4, guard.concurrencyLimit());
    assertEquals(8, guard.inFlight(), "calls under way finish");
    for (int i = 0; i < 5; i++) {
      attempts.pending.get(i).complete("ok");
    }
    assertEquals(4, guard.inFlight(), "new calls wait until under the share");

    // Three servers more: a share of 1, under the policy's minimum of 3.
    guard.concurrencyShare(1);
    assertEquals(1, guard.concurrencyLimit());
    for (int i = 5; i < 8; i++) {
      attempts.pending.get(i).complete("ok");
    }
    assertEquals(1, guard.inFlight());

    // Alone again: the whole maximum, and the minimum of 3 lets two waiters in at once.
    guard.concurrencyShare(8);
    assertEquals(8, guard.concurrencyMax());
    assertEquals(3, guard.concurrencyLimit());
    assertEquals(3, guard.inFlight());
    assertEquals(1, guard.queued());
  }

  @Test
  void shouldFollowACutRelayedFromAnotherServerOnce() {
    ProviderGuard guard = adaptiveGuardUpTo8("1");
    Script attempts = new Script();
    for (int i = 0; i < 12; i++) {
      guard.call(attempts, new CallStats());
    }

    assertEquals(4, guard.followCut(0.5));
    assertEquals(4, guard.followCut(0.5), "the same cut relayed twice");
    assertEquals(4, guard.followCut(0.75), "a milder cut than ours changes nothing");
    // These attempts were sent before the cut: their 429s do not cut again.
    for (int i = 0; i < 8; i++) {
      attempts.pending.get(i).completeExceptionally(rateLimited(null));
    }
    assertEquals(4, guard.concurrencyLimit());
    assertEquals(4, guard.inFlight());

    assertEquals(1, guard.followCut(0.01), "never below the minimum");
    assertEquals(1, guard.followCut(Double.NaN));
  }

  @Test
  void shouldNeverGrowTheLimitBeyondMaxOrCutItBelowMin() {
    ProviderGuard guard =
        guard(
            policy(
                "retry.max-retries", "0",
                "concurrency.initial", "2",
                "concurrency.min", "2",
                "concurrency.max", "3"));
    Script attempts = new Script();
    for (int i = 0; i < 40; i++) {
      guard.call(attempts, new CallStats());
    }
    for (int i = 0; i < 30; i++) {
      attempts.pending.get(i).complete("ok");
      assertTrue(guard.concurrencyLimit() <= 3);
    }
    assertEquals(3, guard.concurrencyLimit());
    for (int i = 30; i < 40; i++) {
      attempts.pending.get(i).completeExceptionally(rateLimited(null));
      assertTrue(guard.concurrencyLimit() >= 2);
    }
    assertEquals(2, guard.concurrencyLimit());
  }

  @Test
  void shouldNotGrowTheLimitWhileItIsNotUsed() {
    ProviderGuard guard =
        guard(policy("concurrency.initial", "4", "concurrency.min", "1", "concurrency.max", "8"));

    // One call at a time never shows that the provider could take more than four.
    succeedTimes(guard, 100);

    assertEquals(4, guard.concurrencyLimit());
  }

  @Test
  void shouldGrantPermitsInFifoOrderWithoutExceedingTheLimit() {
    ProviderGuard guard = guard(fixedLimit(4));
    List<Integer> started = new ArrayList<>();
    Map<Integer, CompletableFuture<String>> running = new HashMap<>();
    AtomicInteger inFlight = new AtomicInteger();
    int maxInFlight = 0;
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int index = i;
      results.add(
          guard.call(
              () -> {
                started.add(index);
                inFlight.incrementAndGet();
                CompletableFuture<String> attempt = new CompletableFuture<>();
                running.put(index, attempt);
                return attempt;
              }));
    }
    assertEquals(196, guard.queued());

    Random random = new Random(7);
    while (!running.isEmpty()) {
      maxInFlight = Math.max(maxInFlight, inFlight.get());
      List<Integer> keys = new ArrayList<>(running.keySet());
      int index = keys.get(random.nextInt(keys.size()));
      inFlight.decrementAndGet();
      running.remove(index).complete("answer " + index);
    }

    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      expected.add(i);
      assertEquals("answer " + i, results.get(i).getNow(null));
    }
    assertEquals(expected, started, "started in the order the calls arrived");
    assertEquals(4, maxInFlight);
    assertEquals(0, guard.inFlight());
    assertEquals(0, guard.queued());
  }

  @Test
  void shouldNeverExceedTheLimitUnder200ConcurrentCalls() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      ProviderGuard guard =
          new ProviderGuard(PROVIDER, fixedLimit(8), timer, ResilienceListener.NONE);
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger maxInFlight = new AtomicInteger();
      Supplier<CompletableFuture<String>> attempt =
          () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<String> answer = new CompletableFuture<>();
            // Answers arrive on other threads, as from an HTTP client.
            CompletableFuture.delayedExecutor(
                    ThreadLocalRandom.current().nextInt(200, 2_000), TimeUnit.MICROSECONDS)
                .execute(
                    () -> {
                      inFlight.decrementAndGet();
                      answer.complete("ok");
                    });
            return answer;
          };
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<CompletableFuture<String>>> submitted = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        submitted.add(
            CompletableFuture.supplyAsync(
                () -> {
                  await(go);
                  return guard.call(attempt, new CallStats());
                },
                callers));
      }
      go.countDown();
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (CompletableFuture<CompletableFuture<String>> s : submitted) {
        results.add(s.get(5, TimeUnit.SECONDS));
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

      assertTrue(maxInFlight.get() <= 8, "max in flight " + maxInFlight.get());
      assertTrue(maxInFlight.get() > 1, "the calls did overlap");
      assertEquals(0, guard.inFlight());
      assertEquals(0, guard.queued());
    } finally {
      callers.shutdownNow();
      timer.shutdownNow();
    }
  }

  @Test
  void shouldLeakNoPermitUnderConcurrentFailuresRetriesAndCancellations() throws Exception {
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    try {
      ProviderGuard guard =
          new ProviderGuard(
              PROVIDER,
              policy(
                  "retry.delay-ms", "1",
                  "retry.max-delay-ms", "4",
                  "retry.jitter", "1",
                  "circuit-breaker.request-volume-threshold", "1000",
                  "concurrency.initial", "8",
                  "concurrency.max", "16"),
              timer,
              ResilienceListener.NONE);
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger maxInFlight = new AtomicInteger();
      Supplier<CompletableFuture<String>> attempt =
          () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<String> answer = new CompletableFuture<>();
            int roll = ThreadLocalRandom.current().nextInt(10);
            CompletableFuture.delayedExecutor(
                    ThreadLocalRandom.current().nextInt(100, 1_000), TimeUnit.MICROSECONDS)
                .execute(
                    () -> {
                      inFlight.decrementAndGet();
                      if (roll < 2) {
                        answer.completeExceptionally(rateLimited(1L));
                      } else if (roll < 4) {
                        answer.completeExceptionally(error(Kind.SERVER_ERROR, 503));
                      } else {
                        answer.complete("ok");
                      }
                    });
            return answer;
          };
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        CompletableFuture<String> result = guard.call(attempt, new CallStats());
        results.add(result);
        if (i % 7 == 0) {
          CompletableFuture.delayedExecutor(
                  ThreadLocalRandom.current().nextInt(0, 3_000), TimeUnit.MICROSECONDS)
              .execute(() -> result.cancel(true));
        }
      }
      for (CompletableFuture<String> result : results) {
        result.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
      }
      // Cancelled attempts may still be answering; what matters is that their permits are back.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (guard.inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }

      assertEquals(0, guard.inFlight());
      assertEquals(0, guard.queued());
      assertTrue(maxInFlight.get() <= 16, "max in flight " + maxInFlight.get());
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void shouldNotHoldAPermitWhileWaitingToRetry() {
    ProviderGuard guard = guard(fixedLimit(1));
    Script a = new Script().then(error(Kind.SERVER_ERROR, 503));
    Script b = new Script();

    CompletableFuture<String> resultA = guard.call(a, new CallStats());
    guard.call(b, new CallStats());

    assertEquals(1, b.calls, "B runs while A waits for its retry");
    assertEquals(0, guard.queued());
    scheduler.advanceMillis(500);
    assertEquals(1, a.calls);
    assertEquals(1, guard.queued(), "A's retry queues behind B like any other attempt");
    b.pending.get(0).complete("ok");
    assertEquals(2, a.calls);
    a.pending.get(0).complete("ok");
    assertEquals("ok", resultA.getNow(null));
  }

  @Test
  void shouldRecordQueueTimeSeparatelyFromTheAttempt() {
    ProviderGuard guard = guard(fixedLimit(1));
    Script attempts = new Script();
    CallStats first = new CallStats();
    CallStats second = new CallStats();

    guard.call(attempts, first);
    guard.call(attempts, second);
    scheduler.advance(Duration.ofSeconds(2));
    attempts.pending.get(0).complete("ok");

    assertEquals(0, first.queuedNanos());
    assertEquals(Duration.ofSeconds(2).toNanos(), second.queuedNanos());
    assertEquals(2, attempts.calls);
  }

  // Cancellation

  @Test
  void shouldCancelTheAttemptAndFreeThePermitWhenCancelled() {
    ProviderGuard guard = guard(fixedLimit(1));
    Script a = new Script();
    Script b = new Script();
    CompletableFuture<String> resultA = guard.call(a, new CallStats());
    guard.call(b, new CallStats());
    assertEquals(0, b.calls);

    resultA.cancel(true);

    assertTrue(a.pending.get(0).isCancelled(), "the attempt under way is cancelled");
    assertEquals(1, b.calls, "the freed permit went to the next call");
    assertEquals(1, guard.inFlight());
    assertEquals(0, guard.queued());
  }

  @Test
  void shouldFreeThePermitOnceEvenWhenTheAttemptIgnoresCancellation() {
    ProviderGuard guard = guard(fixedLimit(1));
    // Like an adapter whose future cannot abort its exchange: cancel() does nothing.
    CompletableFuture<String> stubborn =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
          }
        };
    CompletableFuture<String> resultA = guard.call(() -> stubborn, new CallStats());
    Script b = new Script();
    guard.call(b, new CallStats());

    resultA.cancel(true);

    assertEquals(1, b.calls, "A's permit went to B although A's attempt is still running");
    stubborn.complete("late answer");
    assertEquals(1, guard.inFlight(), "the late answer does not free B's permit too");
    assertEquals(0, guard.queued());
  }

  @Test
  void shouldStopRetriesWhenCancelledDuringTheBackoff() {
    ProviderGuard guard = guard(policy());
    Script attempts = new Script().then(error(Kind.SERVER_ERROR, 503), "never reached");
    CompletableFuture<String> result = guard.call(attempts, new CallStats());
    assertEquals(1, scheduler.pendingTasks());

    result.cancel(true);
    scheduler.advance(Duration.ofMinutes(1));

    assertEquals(1, attempts.calls);
    assertEquals(0, scheduler.pendingTasks());
    assertEquals(0, guard.inFlight());
  }

  @Test
  void shouldLeaveTheQueueWhenCancelledWhileWaiting() {
    ProviderGuard guard = guard(fixedLimit(1));
    Script first = new Script();
    Script waiting = new Script();
    guard.call(first, new CallStats());
    CompletableFuture<String> result = guard.call(waiting, new CallStats());
    assertEquals(1, guard.queued());

    result.cancel(true);
    assertEquals(0, guard.queued());
    first.pending.get(0).complete("ok");

    assertEquals(0, waiting.calls);
    assertEquals(0, guard.inFlight());
  }

  @Test
  void shouldPassThePermitOnWhenACallIsCancelledAsItIsGranted() {
    ProviderGuard guard = guard(fixedLimit(1));
    Script a = new Script();
    Script x = new Script().then("ok");
    Script y = new Script();
    Script z = new Script();
    guard.call(a, new CallStats());
    CompletableFuture<String> resultX = guard.call(x, new CallStats());
    CompletableFuture<String> resultY = guard.call(y, new CallStats());
    guard.call(z, new CallStats());
    // X answers at once and frees its permit for Y. Permits are handed over once the releasing
    // call has finished, so X's caller can cancel Y after Y got the permit but before Y is told.
    resultX.thenRun(() -> resultY.cancel(true));

    a.pending.get(0).complete("ok");

    assertEquals(1, x.calls);
    assertEquals(0, y.calls);
    assertEquals(1, z.calls, "Y's permit went on to Z");
    assertEquals(1, guard.inFlight());
    assertEquals(0, guard.queued());
  }

  @Test
  void shouldWorkThroughALongQueueOfInstantAnswersWithoutDeepRecursion() {
    ProviderGuard guard = guard(fixedLimit(1));
    Script first = new Script();
    guard.call(first, new CallStats());
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      results.add(guard.call(() -> CompletableFuture.completedFuture("ok")));
    }

    first.pending.get(0).complete("ok");

    assertTrue(results.stream().allMatch(r -> "ok".equals(r.getNow(null))));
    assertEquals(0, guard.inFlight());
  }

  @Test
  void shouldKeepWorkingWhenAListenerThrows() {
    ProviderGuard guard =
        new ProviderGuard(
            PROVIDER,
            policy(),
            scheduler,
            new ResilienceListener() {
              @Override
              public void onRetry(
                  String provider, int attempt, Duration delay, ProviderException cause) {
                throw new IllegalStateException("metrics backend down");
              }
            },
            scheduler::nanoTime,
            new SplittableRandom(1));
    Script attempts = new Script().then(error(Kind.SERVER_ERROR, 503), "ok");

    CompletableFuture<String> result = guard.call(attempts, new CallStats());
    scheduler.advance(Duration.ofSeconds(1));

    assertEquals("ok", result.getNow(null));
  }

  // Helpers

  /** Attempts that answer from a script, then stay pending for the test to complete. */
  private static final class Script implements Supplier<CompletableFuture<String>> {
    private final Deque<Object> outcomes = new ArrayDeque<>();
    final List<CompletableFuture<String>> pending = new ArrayList<>();
    int calls;

    Script then(Object... next) {
      outcomes.addAll(List.of(next));
      return this;
    }

    @Override
    public CompletableFuture<String> get() {
      calls++;
      Object next = outcomes.poll();
      if (next instanceof Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
      if (next != null) {
        return CompletableFuture.completedFuture((String) next);
      }
      CompletableFuture<String> answer = new CompletableFuture<>();
      pending.add(answer);
      return answer;
    }
  }

  private ProviderGuard guard(ResiliencePolicy policy) {
    return new ProviderGuard(
        PROVIDER, policy, scheduler, recorder, scheduler::nanoTime, new SplittableRandom(42));
  }

  /** Defaults without jitter, overridden by key/value pairs. */
  private static ResiliencePolicy policy(String... overrides) {
    Map<String, String> values = new HashMap<>();
    values.put("retry.jitter", "0");
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return ResiliencePolicy.from(key -> Optional.ofNullable(values.get(key)));
  }

  private static ResiliencePolicy breakerPolicy() {
    return policy(
        "retry.max-retries", "0",
        "circuit-breaker.request-volume-threshold", "10",
        "circuit-breaker.failure-ratio", "0.5",
        "circuit-breaker.delay-ms", "30000",
        "circuit-breaker.success-threshold", "2");
  }

  private static ResiliencePolicy fixedLimit(int limit) {
    String value = Integer.toString(limit);
    return policy("concurrency.initial", value, "concurrency.min", value, "concurrency.max", value);
  }

  private static void failTimes(ProviderGuard guard, int times, Kind kind) {
    for (int i = 0; i < times; i++) {
      failure(guard.call(() -> CompletableFuture.failedFuture(error(kind, null))));
    }
  }

  private static void succeedTimes(ProviderGuard guard, int times) {
    for (int i = 0; i < times; i++) {
      assertEquals("ok", guard.call(() -> CompletableFuture.completedFuture("ok")).getNow(null));
    }
  }

  private List<String> breakerEvents() {
    synchronized (events) {
      return events.stream().filter(e -> e.startsWith("breaker")).toList();
    }
  }

  private static ProviderException error(Kind kind, Integer status) {
    return error(kind, status, null);
  }

  private static ProviderException error(Kind kind, Integer status, Long retryAfterMillis) {
    return new ProviderException(
        kind,
        "test-llm answered " + (status == null ? kind : status) + ": simulated",
        status,
        1_000L,
        retryAfterMillis,
        null);
  }

  private static ProviderException rateLimited(Long retryAfterMillis) {
    return error(Kind.RATE_LIMITED, 429, retryAfterMillis);
  }

  /** The failure of a call that must already be over. */
  private static ProviderException failure(CompletableFuture<?> result) {
    assertTrue(result.isDone(), "the call should be over");
    assertFalse(result.isCancelled());
    Throwable cause = result.handle((v, e) -> e).join();
    if (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return assertInstanceOf(ProviderException.class, cause);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
