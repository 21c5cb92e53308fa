package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.ExtraServer;
import it.support.Fixtures;
import it.support.OpenAiStub;
import it.support.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liberty's multi-server batch on loopback: a dispatcher server (role "dispatcher": embedded
 * messaging engine, batchJmsDispatcher) and an executor server (role "executor": batchJmsExecutor
 * over the dispatcher's engine), both created from the build's runtime and sharing the PostgreSQL
 * of the server the build started. A run started on the dispatcher has every partition executed by
 * the executor, each result recorded once with the executor's identity, and a WebSocket client on
 * the dispatcher sees the executor's per-test events.
 */
class TwoServerIT {

  static final Duration START = Duration.ofMinutes(6);
  static ExtraServer dispatcher;
  static ExtraServer executor;

  @BeforeAll
  static void startServers() {
    String dbPort = System.getProperty("it.db.port");
    int jmsPort = ExtraServer.freePort();
    Map<String, String> shared = new HashMap<>();
    shared.put("DB_EMBEDDED", "false");
    shared.put("DB_PORT", dbPort);
    shared.put("JMS_PORT", Integer.toString(jmsPort));
    shared.put("LTB_SECRETS_KEY", System.getProperty("it.secrets.key", ""));
    // The build's server runs other tests' runs in the same database: leave them alone.
    shared.put("LTB_BENCHMARK_RECOVER_INTERRUPTED_RUNS", "none");
    shared.put("LTB_SAMPLES_LOAD", "false");

    Map<String, String> d = new HashMap<>(shared);
    d.put("LTB_ROLE", "dispatcher");
    d.put("JMS_SSL_PORT", Integer.toString(ExtraServer.freePort()));
    Map<String, String> e = new HashMap<>(shared);
    e.put("LTB_ROLE", "executor");
    dispatcher = ExtraServer.start("itDispatcher", d);
    executor = ExtraServer.start("itExecutor", e);
    dispatcher.awaitReady(START);
    executor.awaitReady(START);
    // CWSIV0556I: the executor's listener is connected to the dispatcher's messaging engine.
    executor.awaitLog("CWSIV0556I", START);
  }

  @AfterAll
  static void stopServers() {
    if (executor != null) {
      executor.close();
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  @Test
  void shouldRunPartitionsOnTheExecutorAndStreamTheirEventsFromTheDispatcher() {
    int cases = 6;
    int repeats = 4;
    int total = cases * repeats;
    String datasetId = Fixtures.sumDataset(cases);
    String api = dispatcher.base + "/api/v1";

    try (WsClient ws = WsClient.connect(dispatcher.base)) {
      ws.send("{\"type\":\"Subscribe\",\"topics\":[\"test.completed\"],\"message_id\":\"s\"}");
      assertEquals("Ack", ws.next(Duration.ofSeconds(30)).getString("type"));

      Api.Res created =
          Api.post(
              api + "/benchmarks",
              "{\"name\":\"two servers\",\"datasetId\":\""
                  + datasetId
                  + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"sim-1\","
                  + "\"options\":{\"latencyMs\":\"50\",\"answer\":\"expected\"}}],"
                  + "\"repeats\":"
                  + repeats
                  + ",\"partitions\":3,\"concurrency\":4}");
      assertEquals(202, created.status(), created.toString());
      String runId = created.json().getString("id");

      JsonObject[] run = new JsonObject[1];
      Api.await(
          "the run to end",
          Duration.ofMinutes(5),
          () -> {
            run[0] = Api.get(api + "/benchmarks/" + runId).json();
            String s = run[0].getString("status");
            return !s.equals("pending") && !s.equals("running");
          });
      assertEquals("completed", run[0].getString("status"), run[0].toString());
      assertEquals(total, run[0].getInt("completedItems"));

      // Every item once, each executed by the executor server.
      Map<Integer, String> serverByItem = new TreeMap<>();
      List<JsonValue> results =
          Api.get(api + "/results?runId=" + runId + "&limit=1000").json().getJsonArray("items");
      for (JsonValue v : results) {
        JsonObject r = v.asJsonObject();
        String before = serverByItem.put(r.getInt("itemKey"), r.getString("serverId"));
        assertEquals(null, before, "item " + r.getInt("itemKey") + " has two results");
      }
      assertEquals(total, results.size());
      assertEquals(total, serverByItem.size());
      assertEquals(0, serverByItem.keySet().iterator().next());
      for (String server : serverByItem.values()) {
        assertTrue(server.endsWith("/itExecutor"), "result executed by " + server);
      }
      // The build's own server (standalone role) reads the same results from the shared database.
      assertEquals(
          total,
          Api.get(Api.API + "/results?runId=" + runId + "&limit=1000")
              .json()
              .getJsonArray("items")
              .size());

      // The executor's test.completed events reach the client on the dispatcher, once per item.
      List<Integer> seen = new ArrayList<>();
      Api.await(
          "every test.completed event on the dispatcher's WebSocket",
          Duration.ofSeconds(60),
          () -> {
            seen.clear();
            for (JsonObject m : ws.received()) {
              if ("Event".equals(m.getString("type"))
                  && "test.completed".equals(m.getString("topic"))
                  && runId.equals(m.getJsonObject("payload").getString("session_id", null))) {
                seen.add(m.getJsonObject("payload").getInt("item_key"));
              }
            }
            return seen.size() >= total;
          });
      assertEquals(total, seen.size(), "events: " + seen);
      assertEquals(total, seen.stream().distinct().count(), "events: " + seen);
    }
  }

  @Test
  void shouldCallAProviderRegisteredOnAnotherServerAfterTheServersStarted() throws Exception {
    try (OpenAiStub stub = new OpenAiStub(1000)) {
      // Registered on the build's server, after the dispatcher and executor loaded their providers.
      String provider = Fixtures.registerStub(stub, null);
      String datasetId = Fixtures.sumDataset(4);
      String api = dispatcher.base + "/api/v1";
      Api.Res created =
          Api.post(
              api + "/benchmarks",
              "{\"datasetId\":\""
                  + datasetId
                  + "\",\"targets\":[{\"provider\":\""
                  + provider
                  + "\",\"model\":\"good\"}],\"partitions\":2,\"cache\":false}");
      assertEquals(202, created.status(), created.toString());
      String runId = created.json().getString("id");
      JsonObject[] run = new JsonObject[1];
      Api.await(
          "the run to end",
          Duration.ofMinutes(5),
          () -> {
            run[0] = Api.get(api + "/benchmarks/" + runId).json();
            String s = run[0].getString("status");
            return !s.equals("pending") && !s.equals("running");
          });
      assertEquals("completed", run[0].getString("status"), run[0].toString());
      List<JsonValue> results =
          Api.get(api + "/results?runId=" + runId + "&limit=100").json().getJsonArray("items");
      assertEquals(4, results.size());
      for (JsonValue v : results) {
        JsonObject r = v.asJsonObject();
        assertTrue(r.getBoolean("passed"), r.toString());
        assertTrue(r.getString("serverId").endsWith("/itExecutor"), r.toString());
      }
    }
  }
}
