package dev.llmtestbench.provider.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The numbers a {@link ProviderGuard} works with: retries and their backoff, the circuit breaker,
 * and the adaptive concurrency limit.
 *
 * <p>Each component has a config key relative to the provider's prefix (the caller resolves {@code
 * ltb.providers.<name>.<key>}, then {@code ltb.providers.default.<key>}, then {@link #DEFAULTS}):
 *
 * <table>
 *   <caption>Keys, defaults and allowed values</caption>
 *   <tr><th>key</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>{@code retry.max-retries}</td><td>3</td><td>0..100 (0: no retry)</td></tr>
 *   <tr><td>{@code retry.delay-ms}</td><td>500</td><td>0..86400000, at most max-delay-ms</td></tr>
 *   <tr><td>{@code retry.max-delay-ms}</td><td>20000</td><td>0..86400000</td></tr>
 *   <tr><td>{@code retry.jitter}</td><td>0.5</td><td>0.0..1.0</td></tr>
 *   <tr><td>{@code retry.max-retry-after-ms}</td><td>60000</td><td>0..86400000</td></tr>
 *   <tr><td>{@code circuit-breaker.failure-ratio}</td><td>0.5</td><td>above 0, at most 1</td></tr>
 *   <tr><td>{@code circuit-breaker.request-volume-threshold}</td><td>20</td><td>1..10000</td></tr>
 *   <tr><td>{@code circuit-breaker.delay-ms}</td><td>30000</td><td>0..86400000</td></tr>
 *   <tr><td>{@code circuit-breaker.success-threshold}</td><td>2</td><td>1..10000</td></tr>
 *   <tr><td>{@code concurrency.initial}</td><td>16</td><td>min..max</td></tr>
 *   <tr><td>{@code concurrency.min}</td><td>1</td><td>1..max</td></tr>
 *   <tr><td>{@code concurrency.max}</td><td>256</td><td>1..100000</td></tr>
 * </table>
 *
 * <p>Retry {@code n} (0 for the first) waits {@code b = min(maxDelay, baseDelay * 2^n)} scaled by
 * jitter to a uniform random value in {@code [b * (1 - jitter), b]}: jitter 1.0 is AWS's "full
 * jitter", the default 0.5 is "equal jitter" (half fixed, half random), 0 is no jitter. A server's
 * {@code Retry-After} is a floor on that wait; one above {@code maxRetryAfter} ends the call with
 * the error instead. The breaker opens when at least {@code breakerFailureRatio} of the last {@code
 * breakerRequestVolume} attempts failed, stays open {@code breakerDelay}, then lets {@code
 * breakerSuccessThreshold} trial attempts through, all of which must succeed to close it. To pin
 * the concurrency limit, set min, initial and max to the same value.
 */
public record ResiliencePolicy(
    int maxRetries,
    Duration baseDelay,
    Duration maxDelay,
    double jitter,
    Duration maxRetryAfter,
    double breakerFailureRatio,
    int breakerRequestVolume,
    Duration breakerDelay,
    int breakerSuccessThreshold,
    int initialConcurrency,
    int minConcurrency,
    int maxConcurrency) {

  public static final String MAX_RETRIES = "retry.max-retries";
  public static final String DELAY_MS = "retry.delay-ms";
  public static final String MAX_DELAY_MS = "retry.max-delay-ms";
  public static final String JITTER = "retry.jitter";
  public static final String MAX_RETRY_AFTER_MS = "retry.max-retry-after-ms";
  public static final String FAILURE_RATIO = "circuit-breaker.failure-ratio";
  public static final String REQUEST_VOLUME_THRESHOLD = "circuit-breaker.request-volume-threshold";
  public static final String BREAKER_DELAY_MS = "circuit-breaker.delay-ms";
  public static final String SUCCESS_THRESHOLD = "circuit-breaker.success-threshold";
  public static final String INITIAL_CONCURRENCY = "concurrency.initial";
  public static final String MIN_CONCURRENCY = "concurrency.min";
  public static final String MAX_CONCURRENCY = "concurrency.max";

  // One day: longer waits are configuration mistakes, and it keeps nanosecond maths far from
  // overflow.
  private static final long MAX_MILLIS = 86_400_000L;
  private static final int MAX_LIMIT = 100_000;
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /**
   * Three retries from 500 ms, a breaker over the last 20 attempts, 16 concurrent calls to start.
   */
  public static final ResiliencePolicy DEFAULTS =
      new ResiliencePolicy(
          3,
          Duration.ofMillis(500),
          Duration.ofSeconds(20),
          0.5,
          Duration.ofSeconds(60),
          0.5,
          20,
          Duration.ofSeconds(30),
          2,
          16,
          1,
          256);

  public ResiliencePolicy {
    requireRange(MAX_RETRIES, maxRetries, 0, 100);
    requireMillis(DELAY_MS, baseDelay);
    requireMillis(MAX_DELAY_MS, maxDelay);
    if (baseDelay.compareTo(maxDelay) > 0) {
      throw new IllegalArgumentException(
          DELAY_MS
              + " must be between 0 and "
              + MAX_DELAY_MS
              + " ("
              + maxDelay.toMillis()
              + "), was "
              + baseDelay.toMillis()
              + ".");
    }
    requireFraction(JITTER, jitter, true);
    requireMillis(MAX_RETRY_AFTER_MS, maxRetryAfter);
    requireFraction(FAILURE_RATIO, breakerFailureRatio, false);
    requireRange(REQUEST_VOLUME_THRESHOLD, breakerRequestVolume, 1, 10_000);
    requireMillis(BREAKER_DELAY_MS, breakerDelay);
    requireRange(SUCCESS_THRESHOLD, breakerSuccessThreshold, 1, 10_000);
    requireRange(MAX_CONCURRENCY, maxConcurrency, 1, MAX_LIMIT);
    if (minConcurrency < 1 || minConcurrency > maxConcurrency) {
      throw new IllegalArgumentException(
          MIN_CONCURRENCY
              + " must be between 1 and "
              + MAX_CONCURRENCY
              + " ("
              + maxConcurrency
              + "), was "
              + minConcurrency
              + ".");
    }
    if (initialConcurrency < minConcurrency || initialConcurrency > maxConcurrency) {
      throw new IllegalArgumentException(
          INITIAL_CONCURRENCY
              + " must be between "
              + MIN_CONCURRENCY
              + " ("
              + minConcurrency
              + ") and "
              + MAX_CONCURRENCY
              + " ("
              + maxConcurrency
              + "), was "
              + initialConcurrency
              + ".");
    }
  }

  /**
   * The policy the {@code lookup} describes, with {@link #DEFAULTS} for keys it leaves empty (an
   * empty or blank value counts as absent, as in MicroProfile Config).
   *
   * @param lookup the raw value of a relative key such as {@code retry.max-retries}
   * @throws IllegalArgumentException naming the key and its allowed range when a value is invalid
   */
  public static ResiliencePolicy from(Function<String, Optional<String>> lookup) {
    Objects.requireNonNull(lookup, "lookup");
    ResiliencePolicy d = DEFAULTS;
    return new ResiliencePolicy(
        (int) whole(lookup, MAX_RETRIES, d.maxRetries, 0, 100),
        millis(lookup, DELAY_MS, d.baseDelay),
        millis(lookup, MAX_DELAY_MS, d.maxDelay),
        fraction(lookup, JITTER, d.jitter, true),
        millis(lookup, MAX_RETRY_AFTER_MS, d.maxRetryAfter),
        fraction(lookup, FAILURE_RATIO, d.breakerFailureRatio, false),
        (int) whole(lookup, REQUEST_VOLUME_THRESHOLD, d.breakerRequestVolume, 1, 10_000),
        millis(lookup, BREAKER_DELAY_MS, d.breakerDelay),
        (int) whole(lookup, SUCCESS_THRESHOLD, d.breakerSuccessThreshold, 1, 10_000),
        (int) whole(lookup, INITIAL_CONCURRENCY, d.initialConcurrency, 1, MAX_LIMIT),
        (int) whole(lookup, MIN_CONCURRENCY, d.minConcurrency, 1, MAX_LIMIT),
        (int) whole(lookup, MAX_CONCURRENCY, d.maxConcurrency, 1, MAX_LIMIT));
  }

  private static Optional<String> raw(Function<String, Optional<String>> lookup, String key) {
    Optional<String> value = lookup.apply(key);
    return value == null ? Optional.empty() : value.map(String::strip).filter(v -> !v.isEmpty());
  }

  // Range checks happen here too (not only in the constructor) so that "99999999999" is reported
  // with the key's range rather than as an unparsable number.
  private static long whole(
      Function<String, Optional<String>> lookup, String key, long fallback, long min, long max) {
    Optional<String> value = raw(lookup, key);
    if (value.isEmpty()) {
      return fallback;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key
              + " must be a whole number between "
              + min
              + " and "
              + max
              + ", was '"
              + value.get()
              + "'.",
          e);
    }
    requireRange(key, parsed, min, max);
    return parsed;
  }

  private static Duration millis(
      Function<String, Optional<String>> lookup, String key, Duration fallback) {
    return Duration.ofMillis(whole(lookup, key, fallback.toMillis(), 0, MAX_MILLIS));
  }

  private static double fraction(
      Function<String, Optional<String>> lookup, String key, double fallback, boolean zeroAllowed) {
    Optional<String> value = raw(lookup, key);
    if (value.isEmpty()) {
      return fallback;
    }
    // Double.parseDouble also takes "NaN", "Infinity", hex floats and a trailing "d"; a config
    // value is a plain decimal.
    if (!DECIMAL.matcher(value.get()).matches()) {
      throw new IllegalArgumentException(
          key
              + " must be a decimal number "
              + fractionRange(zeroAllowed)
              + ", was '"
              + value.get()
              + "'.");
    }
    double parsed = Double.parseDouble(value.get());
    requireFraction(key, parsed, zeroAllowed);
    return parsed;
  }

  private static void requireRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be between " + min + " and " + max + ", was " + value + ".");
    }
  }

  private static void requireMillis(String key, Duration value) {
    if (value == null || value.isNegative() || value.compareTo(Duration.ofMillis(MAX_MILLIS)) > 0) {
      throw new IllegalArgumentException(
          key
              + " must be between 0 and "
              + MAX_MILLIS
              + " ms, was "
              + (value == null ? "null" : value.toMillis() + " ms")
              + ".");
    }
  }

  private static void requireFraction(String key, double value, boolean zeroAllowed) {
    boolean ok = (zeroAllowed ? value >= 0.0 : value > 0.0) && value <= 1.0;
    if (!ok) {
      throw new IllegalArgumentException(
          key + " must be " + fractionRange(zeroAllowed) + ", was " + value + ".");
    }
  }

  private static String fractionRange(boolean zeroAllowed) {
    return zeroAllowed ? "between 0.0 and 1.0" : "above 0.0 and at most 1.0";
  }
}
