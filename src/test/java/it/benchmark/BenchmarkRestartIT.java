package it.benchmark;

import static it.support.Api.awaitRunEnd;
import static it.support.Api.get;
import static it.support.Api.graphql;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import it.support.RunResults;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/benchmarks/{id}/restart: a cancelled run restarts from its checkpoints and completes
 * with every result exactly once; completed, running and unknown runs are refused.
 */
class BenchmarkRestartIT {

  static OpenAiStub stub;
  static String provider;

  @BeforeAll
  static void start() throws Exception {
    Api.awaitReady(Duration.ofSeconds(300));
    stub = new OpenAiStub(150);
    provider = Fixtures.registerStub(stub, "LTB_IT_STUB_API_KEY");
  }

  @AfterAll
  static void stop() {
    stub.close();
  }

  private static String startRun(String datasetId, String model, int concurrency) {
    return RunResults.start(provider, datasetId, model, concurrency);
  }

  @Test
  void shouldResumeCancelledRunAndCompleteEveryItemOnce() {
    // 200 cases at 150 ms, two at a time: 15 s of work, so the first checkpoint (2 s) leaves
    // most of it for the cancel to interrupt.
    int cases = 200;
    String runId = startRun(Fixtures.sumDataset(cases), "slow", 2);
    Api.await(
        "some results",
        Duration.ofSeconds(60),
        () -> get("/benchmarks/" + runId).json().getInt("completedItems") >= 4);

    Api.Res running = post("/benchmarks/" + runId + "/restart", "");
    assertEquals(409, running.status(), running.toString());
    assertTrue(running.contentType().startsWith("application/problem+json"));

    assertEquals(200, post("/benchmarks/" + runId + "/cancel", "").status());
    int kept = get("/benchmarks/" + runId).json().getInt("completedItems");
    assertTrue(kept < cases, "cancelled before the end: " + kept);
    // Read while cancelled, so an ended run's page is kept in memory (EndedRunCache) ...
    String page = "/results?runId=" + runId + "&limit=1000";
    assertTrue(get(page).json().getJsonArray("items").size() < cases);
    String etag =
        Api.exchange(Api.request("/benchmarks/" + runId))
            .headers()
            .firstValue("ETag")
            .orElseThrow();

    // The job stops at its chunk's end; until then its execution is still STOPPING.
    Api.Res[] restarted = new Api.Res[1];
    Api.await(
        "restart accepted",
        Duration.ofSeconds(60),
        () -> {
          restarted[0] = post("/benchmarks/" + runId + "/restart", "");
          if (restarted[0].status() != 409) {
            return true;
          }
          assertTrue(restarted[0].body().contains("STOPPING"), restarted[0].toString());
          return false;
        });
    assertEquals(200, restarted[0].status(), restarted[0].toString());
    String status = restarted[0].json().getString("status");
    assertTrue(status.equals("running") || status.equals("completed"), status);

    JsonObject run = awaitRunEnd(runId, Duration.ofSeconds(120));
    assertEquals("completed", run.getString("status"), run.toString());
    assertEquals(cases, run.getInt("completedItems"));
    // ... and the restart dropped it: the same reads see the new state.
    assertEquals(cases, get(page).json().getJsonArray("items").size());
    HttpResponse<String> after =
        Api.exchange(Api.request("/benchmarks/" + runId).header("If-None-Match", etag));
    assertEquals(200, after.statusCode());
    assertNotEquals(etag, after.headers().firstValue("ETag").orElseThrow());
    Map<Integer, Integer> counts = RunResults.countsByItemKey(runId);
    assertEquals(cases, counts.size(), "every item has a result: " + counts);
    assertTrue(counts.values().stream().allMatch(n -> n == 1), "no duplicates: " + counts);
    JsonObject overall = run.getJsonObject("summary").getJsonObject("overall");
    assertEquals(cases, overall.getInt("results"));
    assertEquals(1.0, overall.getJsonNumber("passRate").doubleValue(), 1e-12);
  }

  @Test
  void shouldRefuseCompletedAndUnknownRuns() {
    String runId = startRun(Fixtures.sumDataset(2), "good", 2);
    assertEquals("completed", awaitRunEnd(runId, Duration.ofSeconds(60)).getString("status"));

    // An ended run's answers carry an ETag: If-None-Match with it gets a 304, another one a 200.
    for (String path : List.of("/benchmarks/" + runId, "/results?runId=" + runId)) {
      HttpResponse<String> first = Api.exchange(Api.request(path));
      String etag = first.headers().firstValue("ETag").orElseThrow();
      HttpResponse<String> again = Api.exchange(Api.request(path).header("If-None-Match", etag));
      assertEquals(304, again.statusCode(), path);
      assertEquals("", again.body());
      HttpResponse<String> other =
          Api.exchange(Api.request(path).header("If-None-Match", "\"other\""));
      assertEquals(200, other.statusCode(), path);
      assertEquals(first.body(), other.body());
      assertEquals(etag, other.headers().firstValue("ETag").orElseThrow());
    }

    Api.Res completed = post("/benchmarks/" + runId + "/restart", "");
    assertEquals(409, completed.status(), completed.toString());
    assertTrue(completed.contentType().startsWith("application/problem+json"));
    assertTrue(completed.json().getString("detail").contains("completed"), completed.toString());

    JsonObject gql =
        graphql(
            "mutation($id: ID!) { restartBenchmark(id: $id) { id status } }",
            Json.createObjectBuilder().add("id", runId).build());
    assertFalse(gql.getJsonArray("errors").isEmpty(), gql.toString());
    assertTrue(gql.toString().contains("completed"), gql.toString());

    assertEquals(404, post("/benchmarks/" + UUID.randomUUID() + "/restart", "").status());
    assertEquals(400, post("/benchmarks/not-a-uuid/restart", "").status());
  }
}
