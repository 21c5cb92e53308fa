package dev.llmtestbench.provider.simulator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorProviderTest {

  private final SimulatorProvider simulator =
      new SimulatorProvider(
          new ProviderConfig("sim", "simulator", null, null, List.of("sim-small"), null, null));

  @Test
  void shouldEchoLastUserMessageAndLabelCompletionAsSimulated() throws Exception {
    CompletionRequest request =
        new CompletionRequest(
            null,
            List.of(
                new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "What is 6 x 7?"),
                new ChatMessage("assistant", "42")),
            null,
            null,
            null,
            null);

    CompletableFuture<Completion> future = simulator.complete(request);

    assertTrue(future.isDone(), "no latency asked, so no delay");
    Completion completion = future.get();
    assertEquals("What is 6 x 7?", completion.text());
    assertEquals("stop", completion.finishReason());
    assertEquals("simulator/sim-small", completion.modelVersion());
    // ceil((9 + 14 + 2) / 4) and ceil(14 / 4)
    assertEquals(7, completion.promptTokens());
    assertEquals(4, completion.completionTokens());
    assertEquals(11, completion.totalTokens());
    assertTrue(completion.requestId().startsWith("sim-"));
    assertEquals("simulator", simulator.type());
  }

  @Test
  void shouldAnswerExpectedOutputOrFixedText() throws Exception {
    assertEquals(
        "#### 72",
        complete("sim-large", "Q", Map.of("answer", "expected", "expected", "#### 72")).text());
    assertEquals(
        "simulator/sim-large",
        complete("sim-large", "Q", Map.of("answer", "expected", "expected", "x")).modelVersion());
    assertEquals("fixed: yes", complete("m", "Q", Map.of("answer", "fixed:fixed: yes")).text());
  }

  @Test
  void shouldRequireExpectedOptionWhenAnsweringExpected() {
    ProviderException e = failure(simulator.complete(request("Q", Map.of("answer", "expected"))));

    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("'expected'"), e.getMessage());
  }

  @Test
  void shouldCompleteOnlyAfterSimulatedLatency() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<Completion> future =
        simulator.complete(request("Hi", Map.of("latencyMs", "200")));

    assertFalse(future.isDone());
    Completion completion = future.get(5, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
    assertTrue(
        completion.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(200),
        "" + completion.latencyNanos());
  }

  @Test
  void shouldTimeOutWhenLatencyExceedsRequestTimeout() {
    CompletionRequest request =
        new CompletionRequest(
            "m",
            List.of(new ChatMessage("user", "Hi")),
            null,
            null,
            Map.of("latencyMs", "10000"),
            Duration.ofMillis(100));

    ProviderException e = failure(simulator.complete(request));

    assertEquals(Kind.TIMEOUT, e.kind());
    assertTrue(e.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(100));
    assertTrue(e.latencyNanos() < TimeUnit.MILLISECONDS.toNanos(5000));
  }

  @Test
  void shouldAlwaysFailWithSimulatedErrorWhenErrorRateIsOne() {
    for (int i = 0; i < 20; i++) {
      ProviderException e =
          failure(simulator.complete(request("Hi " + i, Map.of("errorRate", "1"))));
      assertEquals(Kind.SIMULATED, e.kind());
      assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    }
  }

  @Test
  void shouldGiveReproduciblePassCountsWithSeed() throws Exception {
    int first = passCount(simulator, "42");
    int again =
        passCount(
            new SimulatorProvider(
                new ProviderConfig("other", "simulator", null, null, null, null, null)),
            "42");

    assertEquals(first, again);
    // 200 cases at accuracy 0.7: far outside 100..180 would mean the draw ignores accuracy.
    assertTrue(first > 100 && first < 180, "passes: " + first);
  }

  @Test
  void shouldChangeLastNumberWhenAnsweringWrongly() throws Exception {
    Map<String, String> options =
        Map.of("answer", "expected", "expected", "3 apples cost $1,000", "accuracy", "0");

    assertEquals("3 apples cost $1,001", complete("m", "Q", options).text());
    assertEquals("I don't know.", SimulatorProvider.wrongAnswer("Paris"));
    assertEquals("#### 10", SimulatorProvider.wrongAnswer("#### 9"));
  }

  @ParameterizedTest
  @CsvSource({
    "latencyMs, abc, 'latencyMs' must be a whole number of milliseconds from 0 to 600000",
    "latencyMs, -1, 'latencyMs' must be a whole number of milliseconds from 0 to 600000",
    "errorRate, 2, 'errorRate' must be a number from 0 to 1",
    "errorRate, NaN, 'errorRate' must be a number from 0 to 1",
    "accuracy, -0.1, 'accuracy' must be a number from 0 to 1",
    "seed, x1, 'seed' must be a whole number",
    "answer, random, 'answer' must be 'echo', 'expected' or 'fixed:<text>'"
  })
  void shouldRejectInvalidOption(String key, String value, String message) {
    IllegalArgumentException invalid =
        assertThrows(
            IllegalArgumentException.class,
            () -> SimulatorProvider.validateOptions(Map.of(key, value)));
    ProviderException e = failure(simulator.complete(request("Hi", Map.of(key, value))));

    assertTrue(invalid.getMessage().contains(message), invalid.getMessage());
    assertEquals(Kind.BAD_REQUEST, e.kind());
    assertEquals(invalid.getMessage(), e.getMessage());
  }

  @Test
  void shouldAcceptValidOrAbsentOptions() {
    assertDoesNotThrow(() -> SimulatorProvider.validateOptions(null));
    assertDoesNotThrow(
        () ->
            SimulatorProvider.validateOptions(
                Map.of(
                    "latencyMs", " 250 ",
                    "errorRate", "0.05",
                    "accuracy", "1",
                    "answer", "fixed:ok",
                    "seed", "-7",
                    "unrelated", "ignored")));
  }

  private int passCount(SimulatorProvider provider, String seed) throws Exception {
    List<CompletableFuture<Completion>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Map<String, String> options = new HashMap<>();
      options.put("answer", "expected");
      options.put("expected", "#### " + i);
      options.put("accuracy", "0.7");
      options.put("seed", seed);
      futures.add(provider.complete(request("Question " + i, options)));
    }
    int passes = 0;
    for (int i = 0; i < futures.size(); i++) {
      String text = futures.get(i).get(5, TimeUnit.SECONDS).text();
      if (text.equals("#### " + i)) {
        passes++;
      } else {
        assertNotEquals("#### " + i, text);
      }
    }
    return passes;
  }

  private Completion complete(String model, String prompt, Map<String, String> options)
      throws Exception {
    return simulator
        .complete(
            new CompletionRequest(
                model, List.of(new ChatMessage("user", prompt)), null, null, options, null))
        .get(5, TimeUnit.SECONDS);
  }

  private static CompletionRequest request(String prompt, Map<String, String> options) {
    return new CompletionRequest(
        "sim-small", List.of(new ChatMessage("user", prompt)), null, null, options, null);
  }

  private static ProviderException failure(CompletableFuture<Completion> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }
}
