package dev.llmtestbench.provider.resilience;

import dev.llmtestbench.provider.resilience.CircuitBreaker.Admission;
import dev.llmtestbench.provider.resilience.CircuitBreaker.Outcome;
import dev.llmtestbench.provider.resilience.CircuitBreaker.Ticket;
import dev.llmtestbench.provider.resilience.CircuitBreaker.Transition;
import dev.llmtestbench.provider.resilience.ConcurrencyLimiter.Permit;
import dev.llmtestbench.provider.resilience.ConcurrencyLimiter.Signal;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Guards the calls to one provider instance with a circuit breaker, an adaptive concurrency limit
 * and retries with backoff that honour {@code Retry-After}, all without blocking a thread.
 *
 * <p>A call goes: (1) fail fast with {@link Kind#CIRCUIT_OPEN} if the breaker is open; (2) wait in
 * FIFO order for a concurrency permit (recorded as {@link CallStats#queuedNanos()}, never as
 * latency); (3) send the attempt; (4) on a retryable failure release the permit, wait {@code
 * max(backoff, Retry-After)} on the scheduler and go back to (1).
 *
 * <p>Retried: {@link ProviderException#retryable()} kinds (RATE_LIMITED, TIMEOUT, SERVER_ERROR,
 * NETWORK) up to {@code maxRetries}, and INVALID_RESPONSE once per call, since a truncated stream
 * or a body cut by a proxy is usually a one-off, while a provider that keeps answering garbage will
 * not be fixed by more tries. Not retried: BAD_REQUEST, UNAUTHORIZED, UNSUPPORTED, SIMULATED (the
 * simulator's failures are the measurement), CIRCUIT_OPEN, any other exception, and a {@code
 * Retry-After} above {@code maxRetryAfter}.
 *
 * <p>The breaker counts each attempt: SERVER_ERROR, TIMEOUT and NETWORK are failures, a completion
 * is a success, and everything else is left out of the window. A 429 shows the provider is alive
 * (the concurrency limit handles it), and a client error says nothing about the provider's health.
 */
public final class ProviderGuard {

  private static final Logger LOG = Logger.getLogger(ProviderGuard.class.getName());

  private final String provider;
  private final ResiliencePolicy policy;
  private final ScheduledExecutorService scheduler;
  private final ResilienceListener listener;
  private final LongSupplier clock;
  private final RandomGenerator random;
  private final CircuitBreaker breaker;
  private final ConcurrencyLimiter limiter;

  /**
   * A guard for {@code provider}.
   *
   * @param scheduler runs retry delays and the retried attempts; attempts must not block
   * @param nanoClock a monotonic clock such as {@code System::nanoTime}
   * @param random the source of jitter; used under a lock, so it need not be thread-safe
   */
  public ProviderGuard(
      String provider,
      ResiliencePolicy policy,
      ScheduledExecutorService scheduler,
      ResilienceListener listener,
      LongSupplier nanoClock,
      RandomGenerator random) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listener = listener == null ? ResilienceListener.NONE : listener;
    this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.random = Objects.requireNonNull(random, "random");
    this.breaker = new CircuitBreaker(provider, policy);
    this.limiter =
        new ConcurrencyLimiter(
            policy.initialConcurrency(), policy.minConcurrency(), policy.maxConcurrency());
  }

  /** A guard on the system clock with random jitter. */
  public ProviderGuard(
      String provider,
      ResiliencePolicy policy,
      ScheduledExecutorService scheduler,
      ResilienceListener listener) {
    this(provider, policy, scheduler, listener, System::nanoTime, new SplittableRandom());
  }

  /** The provider instance this guard protects. */
  public String provider() {
    return provider;
  }

  /** The policy this guard applies. */
  public ResiliencePolicy policy() {
    return policy;
  }

  /**
   * Runs {@code attempt} under the guard without blocking the caller.
   *
   * <p>The future completes with the first successful attempt's value, or fails with the last
   * attempt's {@link ProviderException} (same kind, status, latency and Retry-After; message
   * prefixed {@code "after N attempts: "}; the original as cause), or with {@link
   * Kind#CIRCUIT_OPEN}. Other exceptions pass through unchanged. Cancelling it cancels the attempt
   * under way or the scheduled retry, and frees the permit or the queue place.
   *
   * @param attempt sends one attempt; called once per attempt, never while a lock is held
   * @param stats filled in as the call goes; null when the caller does not need them
   */
  public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> attempt, CallStats stats) {
    Call<T> call = new Call<>(Objects.requireNonNull(attempt, "attempt"), stats);
    call.start();
    return call.result;
  }

  /** {@link #call(Supplier, CallStats)} when the caller does not need the statistics. */
  public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> attempt) {
    return call(attempt, new CallStats());
  }

  /** The breaker's state now (an open breaker whose delay has passed reports half-open). */
  public CircuitState state() {
    CircuitState state = breaker.state(clock.getAsLong());
    publishTransitions();
    return state;
  }

  /** The current adaptive concurrency limit. */
  public int concurrencyLimit() {
    return limiter.limit();
  }

  /** The highest limit the guard can grow to: the policy's, or this server's share of it. */
  public int concurrencyMax() {
    return limiter.max();
  }

  /**
   * Makes the policy's {@code concurrency.max} a cluster-wide figure of which this server holds
   * {@code share} (see {@link ClusterShare}); the minimum and the current limit stay within it.
   */
  public void concurrencyShare(int share) {
    int max = Math.max(1, Math.min(share, policy.maxConcurrency()));
    limiter.bounds(Math.min(policy.minConcurrency(), max), max);
  }

  /**
   * Applies a cut another server made on a 429 from this provider: the limit falls to {@code
   * fraction} of this server's maximum if it is higher. Returns the limit afterwards.
   */
  public int followCut(double fraction) {
    return limiter.cutTo(fraction);
  }

  /** Attempts holding a permit now. */
  public int inFlight() {
    return limiter.inFlight();
  }

  /** Calls waiting for a permit now. */
  public int queued() {
    return limiter.queued();
  }

  @Override
  public String toString() {
    return "ProviderGuard["
        + provider
        + ", state="
        + state()
        + ", limit="
        + concurrencyLimit()
        + ", inFlight="
        + inFlight()
        + ", queued="
        + queued()
        + "]";
  }

  /** The wait before retry {@code retry} (0 for the first), jitter applied. */
  long backoffNanos(int retry) {
    long base = policy.baseDelay().toNanos();
    long max = policy.maxDelay().toNanos();
    // base * 2^retry, saturating at max without overflowing.
    long exp = base == 0 ? 0 : retry >= 62 || base > (max >> retry) ? max : base << retry;
    double r;
    synchronized (random) {
      r = random.nextDouble();
    }
    return exp - (long) (exp * policy.jitter() * r);
  }

  private static Outcome outcome(Throwable failure) {
    if (failure == null) {
      return Outcome.SUCCESS;
    }
    if (failure instanceof ProviderException pe) {
      switch (pe.kind()) {
        case SERVER_ERROR:
        case TIMEOUT:
        case NETWORK:
          return Outcome.FAILURE;
        default:
          return Outcome.IGNORED;
      }
    }
    return Outcome.IGNORED;
  }

  private static Signal signal(Throwable failure) {
    if (failure == null) {
      return Signal.SUCCESS;
    }
    if (failure instanceof ProviderException pe) {
      if (pe.kind() == Kind.RATE_LIMITED) {
        return Signal.RATE_LIMITED;
      }
      if (outcome(pe) == Outcome.FAILURE) {
        return Signal.FAILURE;
      }
    }
    return Signal.NEUTRAL;
  }

  private static Throwable unwrap(Throwable failure) {
    while ((failure instanceof CompletionException || failure instanceof ExecutionException)
        && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure;
  }

  private void publishTransitions() {
    for (Transition t; (t = breaker.pollTransition()) != null; ) {
      Transition transition = t;
      LOG.log(
          transition.to() == CircuitState.OPEN ? Level.WARNING : Level.INFO,
          () ->
              "Circuit breaker of provider "
                  + provider
                  + ": "
                  + transition.from()
                  + " -> "
                  + transition.to());
      tell(() -> listener.onBreakerStateChange(provider, transition.from(), transition.to()));
    }
  }

  private void tell(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Resilience listener of provider " + provider + " failed", e);
    }
  }

  /** One attempt holding a permit and a breaker ticket, settled exactly once. */
  private final class Attempt {
    private final Permit permit;
    private final Ticket ticket;
    private boolean settled;

    Attempt(Permit permit, Ticket ticket) {
      this.permit = permit;
      this.ticket = ticket;
    }

    /** Gives back the permit and reports the outcome; false if that already happened. */
    boolean settle(Throwable failure) {
      synchronized (this) {
        if (settled) {
          return false;
        }
        settled = true;
      }
      int limit = permit.release(signal(failure));
      breaker.record(ticket, outcome(failure), clock.getAsLong());
      publishTransitions();
      if (failure instanceof ProviderException pe && pe.kind() == Kind.RATE_LIMITED) {
        tell(() -> listener.onRateLimited(provider, limit));
      }
      return true;
    }
  }

  /** The state of one guarded call across its attempts. */
  private final class Call<T> {
    private final Supplier<CompletableFuture<T>> supplier;
    private final CallStats stats;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    // Guarded by this: what to cancel if the caller cancels.
    private Future<?> pending;
    private Attempt current;
    private int attempts;
    private boolean invalidResponseRetried;
    private ProviderException lastError;

    Call(Supplier<CompletableFuture<T>> supplier, CallStats stats) {
      this.supplier = supplier;
      this.stats = stats == null ? new CallStats() : stats;
      result.whenComplete((value, failure) -> stop());
    }

    void start() {
      if (result.isDone()) {
        return;
      }
      Admission admission = breaker.admit(clock.getAsLong(), false);
      publishTransitions();
      if (admission.rejection() != null) {
        reject(admission.rejection());
        return;
      }
      long queuedAt = clock.getAsLong();
      CompletableFuture<Permit> acquire = limiter.acquire();
      // Tracked first, as a permit granted at once runs send() (which tracks the attempt) right
      // away. A permit granted before a cancel cannot be cancelled away; send() gives it back.
      track(acquire);
      acquire.thenAccept(permit -> send(permit, queuedAt));
    }

    private void send(Permit permit, long queuedAt) {
      stats.queued(clock.getAsLong() - queuedAt);
      if (result.isDone()) {
        permit.release(Signal.NEUTRAL);
        return;
      }
      Admission admission = breaker.admit(clock.getAsLong(), true);
      publishTransitions();
      if (admission.rejection() != null) {
        permit.release(Signal.NEUTRAL);
        reject(admission.rejection());
        return;
      }
      Attempt attempt = new Attempt(permit, admission.ticket());
      synchronized (this) {
        if (result.isDone()) {
          attempt.settle(new CancellationException());
          return;
        }
        current = attempt;
        attempts++;
      }
      stats.attemptStarted();
      CompletableFuture<T> sent;
      try {
        sent = supplier.get();
        if (sent == null) {
          sent = CompletableFuture.failedFuture(new NullPointerException("attempt returned null"));
        }
      } catch (Throwable e) {
        // As supplyAsync does: whatever the adapter throws fails this call, and the permit and
        // the trial slot come back through ended().
        sent = CompletableFuture.failedFuture(e);
      }
      if (track(sent)) {
        sent.whenComplete((value, failure) -> ended(attempt, value, failure));
      } else {
        attempt.settle(new CancellationException());
      }
    }

    private void ended(Attempt attempt, T value, Throwable thrown) {
      Throwable failure = unwrap(thrown);
      if (!attempt.settle(failure)) {
        return; // The caller cancelled; stop() already settled it.
      }
      if (failure == null) {
        result.complete(value);
        return;
      }
      if (!(failure instanceof ProviderException pe)) {
        result.completeExceptionally(failure);
        return;
      }
      stats.attemptFailed(pe.kind());
      int made;
      synchronized (this) {
        lastError = pe;
        made = attempts;
      }
      boolean invalidOnce = pe.kind() == Kind.INVALID_RESPONSE && !invalidResponseRetried;
      if (!(pe.retryable() || invalidOnce) || made > policy.maxRetries()) {
        giveUp(pe, made, null);
        return;
      }
      Long retryAfter = pe.retryAfterMillis();
      long capMillis = policy.maxRetryAfter().toMillis();
      if (retryAfter != null && retryAfter > capMillis) {
        giveUp(
            pe,
            made,
            "not retried: the provider asked to wait "
                + retryAfter
                + " ms, more than "
                + ResiliencePolicy.MAX_RETRY_AFTER_MS
                + " ("
                + capMillis
                + " ms)");
        return;
      }
      if (invalidOnce) {
        invalidResponseRetried = true;
      }
      long delay =
          Math.max(
              backoffNanos(made - 1),
              retryAfter == null ? 0 : TimeUnit.MILLISECONDS.toNanos(Math.max(0, retryAfter)));
      stats.retryScheduled(delay);
      tell(() -> listener.onRetry(provider, made + 1, Duration.ofNanos(delay), pe));
      Future<?> retry;
      try {
        retry = scheduler.schedule(this::start, delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        giveUp(pe, made, "not retried: the retry scheduler is shut down");
        return;
      }
      track(retry);
    }

    private void giveUp(ProviderException last, int made, String why) {
      String prefix = "after " + made + (made == 1 ? " attempt" : " attempts");
      result.completeExceptionally(
          new ProviderException(
              last.kind(),
              prefix + (why == null ? "" : " (" + why + ")") + ": " + last.getMessage(),
              last.httpStatus(),
              last.latencyNanos(),
              last.retryAfterMillis(),
              last));
    }

    private void reject(ProviderException rejection) {
      tell(() -> listener.onRejected(provider));
      ProviderException last;
      int made;
      synchronized (this) {
        last = lastError;
        made = attempts;
      }
      if (last == null) {
        result.completeExceptionally(rejection);
        return;
      }
      result.completeExceptionally(
          new ProviderException(
              Kind.CIRCUIT_OPEN,
              "after "
                  + made
                  + (made == 1 ? " attempt: " : " attempts: ")
                  + rejection.getMessage()
                  + " Last error: "
                  + last.getMessage(),
              null,
              0L,
              rejection.retryAfterMillis(),
              last));
    }

    /** Remembers what to cancel; false (and cancelled) if the call is already over. */
    private boolean track(Future<?> future) {
      synchronized (this) {
        if (!result.isDone()) {
          pending = future;
          return true;
        }
      }
      future.cancel(false);
      return false;
    }

    /** Runs once the result is complete, by us or by the caller's cancel. */
    private void stop() {
      Future<?> toCancel;
      Attempt attempt;
      synchronized (this) {
        toCancel = pending;
        attempt = current;
        pending = null;
      }
      if (attempt != null) {
        attempt.settle(new CancellationException());
      }
      if (toCancel != null) {
        toCancel.cancel(false);
      }
    }
  }
}
