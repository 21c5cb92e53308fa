package it.benchmark;

import static it.support.Api.get;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a run whose provider is slow stops it promptly: the partition's read-ahead window
 * abandons its calls in flight and starts none after the cancel, long before the remaining work
 * would have taken, and the results finished before the cancel stay. The bound is a correctness
 * check (the run must not go on calling the provider), not a performance figure.
 */
class CancelPromptlyIT {

  private static final long SLOW_MS = 3000;
  private static final int CASES = 120;
  private static final int WINDOW = 6;

  static OpenAiStub stub;

  @BeforeAll
  static void startStub() throws Exception {
    stub = new OpenAiStub(SLOW_MS);
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  @Test
  void shouldStopCallingTheProviderSoonAfterCancelAndKeepFinishedResults() {
    String provider = Fixtures.registerStub(stub, null);
    String datasetId = Fixtures.sumDataset(CASES);
    JsonObject created =
        Fixtures.startRun(provider, "slow", datasetId, "\"concurrency\":" + WINDOW).json();
    String runId = created.getString("id");
    Api.await(
        "a first chunk of the slow run",
        Duration.ofSeconds(60),
        () -> get("/benchmarks/" + runId).json().getInt("completedItems") >= WINDOW);
    // The remaining work takes (CASES - WINDOW) / WINDOW * SLOW_MS = 57 s at the least.

    Api.Res cancelled = post("/benchmarks/" + runId + "/cancel", "");
    assertEquals(200, cancelled.status(), cancelled.toString());
    assertEquals("cancelled", cancelled.json().getString("status"));
    int sentAtCancel = stub.requests().size();
    long cancelledAt = System.nanoTime();

    // Settled: no new call reaches the provider for longer than one call takes, and no new result.
    Api.await(
        "the cancelled run to stop calling the provider",
        Duration.ofSeconds(20),
        () -> {
          int calls = stub.requests().size();
          int results = results(runId);
          sleep(SLOW_MS + 1000);
          return calls == stub.requests().size() && results == results(runId);
        });
    double settledSeconds = (System.nanoTime() - cancelledAt) / 1e9;
    assertTrue(
        settledSeconds < 25,
        "settled " + settledSeconds + " s after the cancel; the rest would take 57 s");
    int sent = stub.requests().size();
    assertTrue(
        sent - sentAtCancel <= WINDOW,
        "at most the calls in flight at the cancel may still arrive; "
            + (sent - sentAtCancel)
            + " did");
    assertTrue(sent < CASES, "the provider saw " + sent + " of " + CASES + " calls");

    JsonObject run = get("/benchmarks/" + runId).json();
    assertEquals("cancelled", run.getString("status"));
    int kept = results(runId);
    assertTrue(kept >= WINDOW && kept < CASES, "kept " + kept + " results");
    assertEquals(kept, run.getInt("completedItems"));
  }

  private static int results(String runId) {
    return get("/results?runId=" + runId + "&limit=500").json().getJsonArray("items").size();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
