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
 * the dispatcher sees the executor's per-test events. A provider's {@code concurrency.max} holds
 * for the executor and the build's server together, and a 429 cut on one is followed by the other.
 */
class TwoServerIT {

  static final Duration START = Duration.ofMinutes(6);

  /** A provider name with {@code concurrency.max=CLUSTER_LIMIT} on every server (see pom.xml). */
  static final String CLUSTER_PROVIDER = "clusterstub";

  static final int CLUSTER_LIMIT = 6;
  static final String BUILD_SERVER = "itServer";
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
    // The test server's heartbeat settings (pom.xml): every server must judge liveness alike.
    shared.put("LTB_CLUSTER_HEARTBEAT_INTERVAL_MS", "2000");
    shared.put("LTB_CLUSTER_HEARTBEAT_TIMEOUT_MS", "20000");
    // A cluster-wide limit of CLUSTER_LIMIT calls to CLUSTER_PROVIDER, split among the live
    // servers; the build's server has the same keys (pom.xml).
    shared.put("LTB_PROVIDERS_CLUSTERSTUB_CONCURRENCY_MAX", Integer.toString(CLUSTER_LIMIT));
    shared.put("LTB_PROVIDERS_CLUSTERSTUB_CONCURRENCY_INITIAL", Integer.toString(CLUSTER_LIMIT));

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

      JsonObject run = awaitEnd(api, runId);
      assertEquals("completed", run.getString("status"), run.toString());
      assertEquals(total, run.getInt("completedItems"));

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
      JsonObject run = awaitEnd(api, runId);
      assertEquals("completed", run.getString("status"), run.toString());
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

  @Test
  void shouldHoldAProvidersLimitAcrossServersAndFollowA429CutMadeOnAnother() throws Exception {
    // The registry on any server lists the dispatcher and the executor, live.
    List<String> live = new ArrayList<>();
    Api.await(
        "the dispatcher and the executor in the registry",
        Duration.ofSeconds(30),
        () -> {
          live.clear();
          for (JsonValue v : Api.get(dispatcher.base + "/api/v1/servers").array()) {
            JsonObject server = v.asJsonObject();
            if (server.getBoolean("live")) {
              live.add(server.getString("serverId"));
            }
          }
          return live.stream().anyMatch(id -> id.endsWith("/itDispatcher"))
              && live.stream().anyMatch(id -> id.endsWith("/itExecutor"));
        });
    // The build's server shares the database, so it is live too.
    assertTrue(live.size() >= 3, "live: " + live);

    try (OpenAiStub stub = new OpenAiStub(300)) {
      // The name whose concurrency keys every server has (pom.xml, startServers).
      Api.Res registered =
          Api.post(
              "/providers",
              "{\"name\":\""
                  + CLUSTER_PROVIDER
                  + "\",\"adapter\":\"openai\",\"baseUrl\":\""
                  + stub.baseUrl()
                  + "\",\"models\":[\"slow\",\"throttled\"]}");
      assertEquals(201, registered.status(), registered.toString());

      // One run executed by the executor (started on the dispatcher), one by the build's
      // standalone server, at the same time: 2 partitions x 8 calls each, 32 wanted in flight.
      String run = "\"targets\":[{\"provider\":\"" + CLUSTER_PROVIDER + "\",\"model\":\"slow\"}],";
      String settings = "\"partitions\":2,\"concurrency\":8,\"cache\":false}";
      Api.Res onExecutor =
          Api.post(
              dispatcher.base + "/api/v1/benchmarks",
              "{\"datasetId\":\"" + Fixtures.sumDataset(24) + "\"," + run + settings);
      Api.Res onBuildServer =
          Api.post(
              "/benchmarks",
              "{\"datasetId\":\"" + Fixtures.sumDataset(24) + "\"," + run + settings);
      assertEquals(202, onExecutor.status(), onExecutor.toString());
      assertEquals(202, onBuildServer.status(), onBuildServer.toString());
      Map<String, String> expectedServer = new HashMap<>();
      expectedServer.put(onExecutor.json().getString("id"), "/itExecutor");
      expectedServer.put(onBuildServer.json().getString("id"), "/" + BUILD_SERVER);
      for (Map.Entry<String, String> e : expectedServer.entrySet()) {
        JsonObject ended = awaitEnd(dispatcher.base + "/api/v1", e.getKey());
        assertEquals("completed", ended.getString("status"), ended.toString());
        assertEquals(24, ended.getInt("completedItems"));
        for (JsonValue v :
            Api.get("/results?runId=" + e.getKey() + "&limit=100").json().getJsonArray("items")) {
          String server = v.asJsonObject().getString("serverId");
          assertTrue(server.endsWith(e.getValue()), "run " + e.getKey() + " on " + server);
        }
      }
      assertTrue(stub.maxInFlight() >= 1);
      assertTrue(
          stub.maxInFlight() <= CLUSTER_LIMIT,
          "at most "
              + CLUSTER_LIMIT
              + " calls at once among "
              + live
              + ", the stub saw "
              + stub.maxInFlight());

      // A 429 on the build's server cuts its limit; the executor follows the relayed cut.
      double before = concurrencyLimit(executor.base);
      assertTrue(before >= 1, "the executor's limit for " + CLUSTER_PROVIDER + ": " + before);
      Api.Res throttled =
          Api.post(
              "/benchmarks",
              "{\"datasetId\":\""
                  + Fixtures.sumDataset(4)
                  + "\",\"targets\":[{\"provider\":\""
                  + CLUSTER_PROVIDER
                  + "\",\"model\":\"throttled\"}],\"partitions\":1,\"concurrency\":4,"
                  + "\"cache\":false}");
      assertEquals(202, throttled.status(), throttled.toString());
      JsonObject ended = Api.awaitRunEnd(throttled.json().getString("id"), Duration.ofMinutes(2));
      assertEquals("completed", ended.getString("status"), ended.toString());
      assertTrue(
          concurrencyLimit(Api.BASE) < CLUSTER_LIMIT, "the build server's limit after its 429");
      double[] after = new double[1];
      Api.await(
          "the executor to follow the cut made on the build's server",
          Duration.ofSeconds(30),
          () -> (after[0] = concurrencyLimit(executor.base)) < before);
      assertTrue(after[0] >= 1, "never below concurrency.min: " + after[0]);
    }
  }

  /** A server's {@code llm_provider_concurrency_limit} gauge for the cluster test's provider. */
  private static double concurrencyLimit(String base) {
    for (String line : Api.get(base + "/metrics").body().split("\n")) {
      if (line.startsWith("llm_provider_concurrency_limit")
          && line.contains("provider=\"" + CLUSTER_PROVIDER + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  /** Waits until the run on the dispatcher has ended and returns it. */
  private static JsonObject awaitEnd(String api, String runId) {
    JsonObject[] last = new JsonObject[1];
    Api.await(
        "the run to end",
        Duration.ofMinutes(5),
        () -> {
          last[0] = Api.get(api + "/benchmarks/" + runId).json();
          String s = last[0].getString("status");
          return !s.equals("pending") && !s.equals("running");
        });
    return last[0];
  }
}
