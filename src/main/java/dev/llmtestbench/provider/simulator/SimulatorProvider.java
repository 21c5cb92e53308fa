package dev.llmtestbench.provider.simulator;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A SIMULATED provider for offline demos and load tests: it makes no network call, its answers are
 * fabricated, and every {@link Completion#modelVersion()} reads {@code simulator/<model>}.
 *
 * <p>Per-request options (all optional): {@code latencyMs} (0..600000, default 0), {@code
 * errorRate} (0..1, default 0; failures are {@link Kind#SIMULATED}), {@code answer} ({@code echo}
 * of the last user message (default), {@code expected} (the value of option {@code expected}) or
 * {@code fixed:<text>}), {@code accuracy} (0..1, default 1, with {@code answer=expected}: the
 * chance the answer is right) and {@code seed} (a long). With a seed, each draw depends only on the
 * seed, the model, the messages and the expected answer, so a rerun scores the same whatever the
 * call order or concurrency; vary the seed (e.g. per repeat) to vary the draws. A latency beyond
 * the request timeout fails with {@link Kind#TIMEOUT} once the timeout elapses, as a real provider
 * would.
 */
public final class SimulatorProvider implements Provider {

  /** The provider type this simulator implements. */
  public static final String TYPE = "simulator";

  static final long MAX_LATENCY_MS = 600_000;
  private static final String DEFAULT_MODEL = "default";
  private static final ScheduledExecutorService SHARED_TIMER = newTimer();

  private final ProviderConfig config;
  private final ScheduledExecutorService timer;

  /** Creates a simulator that schedules its delayed answers on a shared daemon timer. */
  public SimulatorProvider(ProviderConfig config) {
    this(config, SHARED_TIMER);
  }

  /**
   * Creates a simulator that schedules its delayed answers on {@code timer} (e.g. a managed one).
   */
  public SimulatorProvider(ProviderConfig config, ScheduledExecutorService timer) {
    this.config = Objects.requireNonNull(config, "config");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  /**
   * Checks the simulator options of a run up front.
   *
   * @throws IllegalArgumentException naming the first invalid option and its allowed values
   */
  public static void validateOptions(Map<String, String> options) {
    Options.parse(options);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> models() {
    return config.models();
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    if (request == null) {
      return CompletableFuture.failedFuture(
          new ProviderException(Kind.BAD_REQUEST, name() + ": no request"));
    }
    Options options;
    try {
      options = Options.parse(request.options());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new ProviderException(Kind.BAD_REQUEST, e.getMessage()));
    }
    String model = model(request);
    String expected = request.options().get("expected");
    if (options.answer().equals("expected") && expected == null) {
      return CompletableFuture.failedFuture(
          new ProviderException(
              Kind.BAD_REQUEST,
              "Simulator option 'expected' is required with answer=expected (pass the test case's"
                  + " expected output)."));
    }
    // Both draws are always taken, in this order, so seeded runs stay reproducible.
    RandomGenerator random =
        options.seed() == null
            ? ThreadLocalRandom.current()
            : new SplittableRandom(mix(options.seed(), model, request.messages(), expected));
    boolean fails = random.nextDouble() < options.errorRate();
    boolean wrong = random.nextDouble() >= options.accuracy();
    String text = answer(options.answer(), request.messages(), expected, wrong);

    Duration timeout = isPositive(request.timeout()) ? request.timeout() : config.timeout();
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(options.latencyMs());
    boolean timesOut = isPositive(timeout) && timeout.toNanos() < delayNanos;
    CompletableFuture<Completion> result = new CompletableFuture<>();
    long start = System.nanoTime();
    Runnable finish =
        () -> {
          long latency = System.nanoTime() - start;
          if (timesOut) {
            result.completeExceptionally(
                new ProviderException(
                    Kind.TIMEOUT,
                    name() + " (simulated) timed out after " + timeout.toMillis() + " ms",
                    null,
                    latency,
                    null));
          } else if (fails) {
            result.completeExceptionally(
                new ProviderException(
                    Kind.SIMULATED,
                    name()
                        + " returned a simulated failure (errorRate="
                        + options.errorRate()
                        + ")",
                    null,
                    latency,
                    null));
          } else {
            result.complete(completion(model, request.messages(), text, latency));
          }
        };
    if (delayNanos == 0 && !timesOut) {
      finish.run();
    } else {
      ScheduledFuture<?> task =
          timer.schedule(finish, timesOut ? timeout.toNanos() : delayNanos, TimeUnit.NANOSECONDS);
      result.whenComplete(
          (completion, error) -> {
            if (result.isCancelled()) {
              task.cancel(false);
            }
          });
    }
    return result;
  }

  private String model(CompletionRequest request) {
    if (request.model() != null && !request.model().isBlank()) {
      return request.model();
    }
    return config.models().isEmpty() ? DEFAULT_MODEL : config.models().get(0);
  }

  private static Completion completion(
      String model, List<ChatMessage> messages, String text, long latency) {
    int promptChars = messages.stream().mapToInt(message -> message.content().length()).sum();
    int promptTokens = estimateTokens(promptChars);
    int completionTokens = estimateTokens(text.length());
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new Completion(
            text,
            "stop",
            promptTokens,
            completionTokens,
            promptTokens + completionTokens,
            latency,
            "simulator/" + model,
            "sim-" + new UUID(random.nextLong(), random.nextLong()))
        // Counted from characters, not by a tokenizer.
        .withEstimatedTokens(promptTokens, completionTokens);
  }

  static int estimateTokens(int chars) {
    return (chars + 3) / 4;
  }

  private static String answer(
      String mode, List<ChatMessage> messages, String expected, boolean wrong) {
    if (mode.startsWith("fixed:")) {
      return mode.substring("fixed:".length());
    }
    if (mode.equals("expected")) {
      return wrong ? wrongAnswer(expected) : expected;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /** The expected text with its last number increased by one, or "I don't know." if it has none. */
  static String wrongAnswer(String expected) {
    int end = expected.length();
    while (end > 0 && !isAsciiDigit(expected.charAt(end - 1))) {
      end--;
    }
    if (end == 0) {
      return "I don't know.";
    }
    int start = end;
    while (start > 0 && isAsciiDigit(expected.charAt(start - 1))) {
      start--;
    }
    String digits = expected.substring(start, end);
    StringBuilder changed =
        new StringBuilder(new BigInteger(digits).add(BigInteger.ONE).toString());
    // Keeps the width so "1,000" becomes "1,001", not "1,1".
    while (changed.length() < digits.length()) {
      changed.insert(0, '0');
    }
    return expected.substring(0, start) + changed + expected.substring(end);
  }

  private static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long mix(long seed, String model, List<ChatMessage> messages, String expected) {
    long hash = seed * 31 + model.hashCode();
    for (ChatMessage message : messages) {
      hash = (hash * 31 + message.role().hashCode()) * 31 + message.content().hashCode();
    }
    return hash * 31 + Objects.hashCode(expected);
  }

  private static ScheduledExecutorService newTimer() {
    AtomicInteger count = new AtomicInteger();
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            2,
            task -> {
              Thread thread = new Thread(task, "llm-simulator-timer-" + count.incrementAndGet());
              // Daemon, so a forgotten simulator never keeps the JVM alive.
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private record Options(
      long latencyMs, double errorRate, double accuracy, String answer, Long seed) {

    static Options parse(Map<String, String> options) {
      Map<String, String> values = options == null ? Map.of() : options;
      return new Options(
          parseLatency(values.get("latencyMs")),
          parseFraction(values, "errorRate", 0.0),
          parseFraction(values, "accuracy", 1.0),
          parseAnswer(values.get("answer")),
          parseSeed(values.get("seed")));
    }

    private static long parseLatency(String value) {
      if (value == null) {
        return 0;
      }
      try {
        long latency = Long.parseLong(value.trim());
        if (latency >= 0 && latency <= MAX_LATENCY_MS) {
          return latency;
        }
      } catch (NumberFormatException e) {
        // Reported below together with out-of-range values.
      }
      throw invalid(
          "latencyMs", value, "a whole number of milliseconds from 0 to " + MAX_LATENCY_MS);
    }

    private static double parseFraction(Map<String, String> values, String key, double fallback) {
      String value = values.get(key);
      if (value == null) {
        return fallback;
      }
      try {
        double fraction = Double.parseDouble(value.trim());
        if (fraction >= 0 && fraction <= 1) {
          return fraction;
        }
      } catch (NumberFormatException e) {
        // Reported below together with out-of-range values.
      }
      throw invalid(key, value, "a number from 0 to 1");
    }

    private static String parseAnswer(String value) {
      if (value == null) {
        return "echo";
      }
      if (value.equals("echo") || value.equals("expected") || value.startsWith("fixed:")) {
        return value;
      }
      throw invalid("answer", value, "'echo', 'expected' or 'fixed:<text>'");
    }

    private static Long parseSeed(String value) {
      if (value == null) {
        return null;
      }
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw invalid("seed", value, "a whole number (64-bit)");
      }
    }

    private static IllegalArgumentException invalid(String key, String value, String allowed) {
      String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
      return new IllegalArgumentException(
          "Simulator option '" + key + "' must be " + allowed + ", got '" + shown + "'.");
    }
  }
}
