package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.RunResults;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many runs started together on one server (bench/many_runs.py starts 500): every one completes
 * with each of its results exactly once. The server executes a bounded number at once
 * (ltb.benchmark.max-active-runs, 8 by default) and queues the rest, which says so in their status
 * reason until they start.
 */
class ManyRunsIT {

  static final int RUNS = 50;
  static final int CASES = 10;

  @BeforeAll
  static void ready() {
    Api.awaitReady(Duration.ofSeconds(300));
  }

  @Test
  void shouldCompleteFiftyConcurrentRunsWithEveryResultOnce() throws Exception {
    String dataset = Fixtures.sumDataset(CASES);
    String request =
        Json.createObjectBuilder()
            .add("datasetId", dataset)
            .add(
                "targets",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("provider", "simulator")
                            .add("model", "many-runs")
                            .add(
                                "options",
                                Json.createObjectBuilder()
                                    .add("answer", "expected")
                                    .add("latencyMs", "200"))))
            // One call at a time: each run takes at least CASES x 200 ms, so runs overlap.
            .add("concurrency", 1)
            .add("partitions", 1)
            .add("cache", false)
            .build()
            .toString();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<JsonObject> created = new ArrayList<>();
    try {
      List<Future<Api.Res>> answers =
          IntStream.range(0, RUNS)
              .mapToObj(i -> clients.submit(() -> Api.post("/benchmarks", request)))
              .toList();
      for (Future<Api.Res> f : answers) {
        Api.Res res = f.get();
        assertEquals(202, res.status(), res.toString());
        created.add(res.json());
      }
    } finally {
      clients.shutdownNow();
    }
    long queued =
        created.stream()
            .filter(r -> r.getString("statusReason", "").startsWith("Queued on server "))
            .count();
    assertTrue(queued > 0, "with 50 runs at once some wait for a slot: " + created.get(RUNS - 1));

    for (JsonObject r : created) {
      String id = r.getString("id");
      JsonObject end = Api.awaitRunEnd(id, Duration.ofSeconds(180));
      assertEquals("completed", end.getString("status"), end.toString());
      assertTrue(
          !end.containsKey("statusReason") || end.isNull("statusReason"),
          "no queued reason left: " + end);
      Map<Integer, Integer> counts = RunResults.countsByItemKey(id);
      assertEquals(CASES, counts.size(), "every item has a result: " + counts);
      assertTrue(counts.values().stream().allMatch(n -> n == 1), "no duplicates: " + counts);
      JsonObject overall = end.getJsonObject("summary").getJsonObject("overall");
      assertEquals(CASES, overall.getInt("results"), overall.toString());
      assertEquals(CASES, overall.getInt("passed"), overall.toString());
    }
  }
}
