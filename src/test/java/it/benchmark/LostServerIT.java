package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.ExtraServer;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server that dies for good, as a Kubernetes pod replaced under a new name: a second standalone
 * server with its own identity ({@code ltb.server.id=lost-pod-1}) shares the test server's
 * database, runs two runs, and is killed with SIGKILL. Its job executions stay STARTED in the job
 * repository (only a server with the same batch identity would mark them failed). Once its
 * heartbeat is older than the timeout (20 s in the build), the test server restarts one run by
 * itself, and the restart endpoint, which answered 409 while the server was live, restarts the
 * other (cancelled after the kill, so the automatic recovery leaves it to the user). A third run,
 * still waiting in the lost server's queue, is taken over and run here. All complete with every
 * item once.
 */
class LostServerIT {

  static final String LOST_ID = "lost-pod-1";
  static final int CASES = 40;
  static ExtraServer lost;
  static OpenAiStub stub;

  @BeforeAll
  static void startServer() throws Exception {
    stub = new OpenAiStub(500);
    Map<String, String> env = new HashMap<>();
    env.put("LTB_SERVER_ID", LOST_ID);
    env.put("DB_EMBEDDED", "false");
    env.put("DB_PORT", System.getProperty("it.db.port"));
    env.put("LTB_SECRETS_KEY", System.getProperty("it.secrets.key", ""));
    env.put("LTB_BENCHMARK_RECOVER_INTERRUPTED_RUNS", "none");
    env.put("LTB_SAMPLES_LOAD", "false");
    env.put("LTB_CLUSTER_HEARTBEAT_INTERVAL_MS", "2000");
    env.put("LTB_CLUSTER_HEARTBEAT_TIMEOUT_MS", "20000");
    env.put("LTB_BENCHMARK_MAX_ACTIVE_RUNS", "2"); // a third run waits in its queue
    lost = ExtraServer.start("itLost", env);
    lost.awaitReady(Duration.ofMinutes(6));
  }

  @AfterAll
  static void cleanUp() {
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void shouldRecoverTheRunsOfAServerThatNeverComesBack() {
    String provider = Fixtures.registerStub(stub, null);
    String api = lost.base + "/api/v1";
    String auto = start(api, provider);
    String manual = start(api, provider);
    String waiting = start(api, provider);
    JsonObject queued = Api.get("/benchmarks/" + waiting).json();
    assertEquals("pending", queued.getString("status"), queued.toString());
    assertTrue(
        queued.getString("statusReason").startsWith("Queued on server " + LOST_ID),
        queued.toString());
    for (String run : List.of(auto, manual)) {
      Api.await(
          "a few results of run " + run + " on the server to be lost",
          Duration.ofMinutes(3),
          () -> results(run).size() >= 2);
    }

    // While its server beats, a running run cannot be restarted from another server.
    Api.Res early = Api.post("/benchmarks/" + manual + "/restart", "{}");
    assertEquals(409, early.status(), early.toString());
    assertTrue(early.body().contains("on server " + LOST_ID + ", which is live"), early.body());

    lost.kill();
    // A run cancelled after its server died: the automatic recovery leaves it alone.
    assertEquals(200, Api.post("/benchmarks/" + manual + "/cancel", "{}").status());

    // The endpoint refuses until the lost server's heartbeat is older than the timeout.
    Api.Res[] restarted = new Api.Res[1];
    int[] refused = new int[1];
    Api.await(
        "the restart endpoint to accept once the lost server's heartbeat is old",
        Duration.ofMinutes(2),
        () -> {
          Api.Res r = Api.post("/benchmarks/" + manual + "/restart", "{}");
          if (r.status() == 409) {
            assertTrue(r.body().contains("which is live"), r.body());
            refused[0]++;
            return false;
          }
          restarted[0] = r;
          return true;
        });
    assertTrue(refused[0] > 0, "the job stayed running on the dead server until the timeout");
    assertTrue(restarted[0].status() / 100 == 2, restarted[0].toString());

    for (String run : List.of(auto, manual)) {
      JsonObject end = Api.awaitRunEnd(run, Duration.ofMinutes(4));
      assertEquals("completed", end.getString("status"), end.toString());
      List<JsonObject> results = results(run);
      Set<Integer> keys = new HashSet<>();
      Set<String> servers = new HashSet<>();
      for (JsonObject r : results) {
        assertTrue(keys.add(r.getInt("itemKey")), "item " + r.getInt("itemKey") + " twice");
        servers.add(r.getString("serverId"));
      }
      assertEquals(CASES, results.size());
      assertTrue(servers.contains(LOST_ID), "results before the kill: " + servers);
      assertTrue(servers.size() == 2, "the rest ran on the test server: " + servers);
    }
    // The run that waited in the lost server's queue was taken over and ran here in full.
    JsonObject taken = Api.awaitRunEnd(waiting, Duration.ofMinutes(4));
    assertEquals("completed", taken.getString("status"), taken.toString());
    List<JsonObject> takenResults = results(waiting);
    assertEquals(CASES, takenResults.size());
    assertEquals(
        CASES,
        takenResults.stream().map(r -> r.getInt("itemKey")).distinct().count(),
        "every item once");
    assertTrue(
        takenResults.stream().noneMatch(r -> LOST_ID.equals(r.getString("serverId"))),
        "nothing of it ran on the lost server");
    // The registry still shows the lost server, no longer live.
    boolean listed = false;
    for (JsonValue v : Api.get("/servers").array()) {
      JsonObject s = v.asJsonObject();
      if (LOST_ID.equals(s.getString("serverId"))) {
        listed = true;
        assertFalse(s.getBoolean("live"), s.toString());
      }
    }
    assertTrue(listed, "lost server in the registry");
  }

  private static String start(String api, String provider) {
    Api.Res created =
        Api.post(
            api + "/benchmarks",
            "{\"datasetId\":\""
                + Fixtures.sumDataset(CASES)
                + "\",\"targets\":[{\"provider\":\""
                + provider
                + "\",\"model\":\"slow\"}],\"partitions\":1,\"concurrency\":1,\"cache\":false}");
    assertEquals(202, created.status(), created.toString());
    return created.json().getString("id");
  }

  private static List<JsonObject> results(String runId) {
    return Api.get("/results?runId=" + runId + "&limit=1000").json().getJsonArray("items").stream()
        .map(JsonValue::asJsonObject)
        .toList();
  }
}
