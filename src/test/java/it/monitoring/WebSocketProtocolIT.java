package it.monitoring;

import static it.support.Api.awaitRunEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.RawWsClient;
import it.support.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The /ws protocol: wildcards and run filters, Ack, the heartbeat and idle timeout, metrics and
 * alerts topics, and back-pressure on a client that stops reading. The test server pings every
 * second and closes connections idle for 4 s (pom.xml).
 */
class WebSocketProtocolIT {

  private static String simRun(String datasetId, String options, String more) {
    Api.Res res =
        Api.post(
            "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"oracle\",\"options\":{"
                + options
                + "}}],\"partitions\":1,\"cache\":false"
                + (more.isEmpty() ? "" : "," + more)
                + "}");
    assertEquals(202, res.status(), res.toString());
    return res.json().getString("id");
  }

  private static List<JsonObject> events(WsClient ws, String topicPrefix, String runId) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject m : ws.received()) {
      if ("Event".equals(m.getString("type"))
          && m.getString("topic").startsWith(topicPrefix)
          && (runId == null
              || runId.equals(m.getJsonObject("payload").getString("session_id", null)))) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void shouldFilterByRunAndWildcardAndAckEveryChange() {
    String ds = Fixtures.sumDataset(6);
    try (WsClient ws = WsClient.connect()) {
      String x = simRun(ds, "\"latencyMs\":\"300\"", "\"concurrency\":1");
      String y = simRun(ds, "\"latencyMs\":\"300\"", "\"concurrency\":1");
      ws.send(
          "{\"type\":\"Subscribe\",\"topics\":[\"test.completed\",\"metrics.*\"],"
              + "\"session_id\":\""
              + x
              + "\",\"message_id\":\"a\"}");
      JsonObject ack = ws.next(Duration.ofSeconds(10));
      assertEquals("Ack", ack.getString("type"));
      assertEquals("a", ack.getString("message_id"));
      assertEquals(
          x,
          ack.getJsonArray("subscriptions")
              .getJsonObject(0)
              .getJsonArray("session_ids")
              .getString(0));
      ws.send("{\"type\":\"Subscribe\",\"topics\":[\"benchmark.*\"],\"message_id\":\"b\"}");
      // x's events may come before this Ack: the connection already follows x.
      JsonObject ack2 = next(ws, "Ack");
      assertEquals("b", ack2.getString("message_id"));
      assertTrue(ack2.getJsonArray("subscriptions").getJsonObject(2).isNull("session_ids"));

      assertEquals("completed", awaitRunEnd(x, Duration.ofSeconds(60)).getString("status"));
      assertEquals("completed", awaitRunEnd(y, Duration.ofSeconds(60)).getString("status"));
      Api.await(
          "both benchmark.completed events",
          Duration.ofSeconds(10),
          () ->
              !events(ws, "benchmark.completed", x).isEmpty()
                  && !events(ws, "benchmark.completed", y).isEmpty());
      // test.completed and metrics.* only for x; benchmark.* for both runs.
      assertEquals(6, events(ws, "test.completed", x).size());
      assertEquals(0, events(ws, "test.completed", y).size());
      List<JsonObject> metrics = events(ws, "metrics.benchmark", null);
      assertFalse(metrics.isEmpty());
      Set<String> names = new HashSet<>();
      for (JsonObject m : metrics) {
        assertEquals(x, m.getJsonObject("payload").getString("session_id"));
        assertEquals("MetricUpdate", m.getJsonObject("payload").getString("event"));
        names.add(m.getJsonObject("payload").getString("metric_name"));
        Instant.parse(m.getString("timestamp"));
      }
      assertEquals(
          Set.of("pass_rate", "error_rate", "latency_ms_mean", "cost_usd", "tests_per_second"),
          names);
      JsonObject last = metrics.get(metrics.size() - 1);
      assertEquals(6, last.getJsonObject("payload").getInt("results"));

      ws.send(
          "{\"type\":\"Unsubscribe\",\"topics\":[\"test.completed\"],\"session_id\":\""
              + x
              + "\",\"message_id\":\"c\"}");
      JsonObject ack3 = next(ws, "Ack");
      assertEquals("c", ack3.getString("message_id"));
      assertEquals(
          List.of("metrics.*", "benchmark.*"),
          ack3.getJsonArray("topics").getValuesAs(jakarta.json.JsonString::getString));
    }
  }

  private static JsonObject next(WsClient ws, String type) {
    while (true) {
      JsonObject m = ws.next(Duration.ofSeconds(10));
      if (type.equals(m.getString("type"))) {
        return m;
      }
    }
  }

  @Test
  void shouldPublishAlerts() {
    String ds = Fixtures.sumDataset(12);
    try (WsClient ws = WsClient.connect()) {
      ws.send("{\"type\":\"Subscribe\",\"topics\":[\"alerts.*\"]}");
      next(ws, "Ack");
      String failing = simRun(ds, "\"errorRate\":\"1\"", "\"concurrency\":2");
      assertEquals("completed", awaitRunEnd(failing, Duration.ofSeconds(60)).getString("status"));
      String overBudget =
          simRun(ds, "\"latencyMs\":\"250\"", "\"concurrency\":1,\"budget\":{\"maxTokens\":1}");
      assertEquals("failed", awaitRunEnd(overBudget, Duration.ofSeconds(60)).getString("status"));
      Api.await(
          "alerts",
          Duration.ofSeconds(10),
          () ->
              events(ws, "alerts.error_rate", failing).size() == 1
                  && events(ws, "alerts.benchmark_failed", overBudget).size() == 1);
      JsonObject rate = events(ws, "alerts.error_rate", failing).get(0).getJsonObject("payload");
      assertEquals("Alert", rate.getString("event"));
      assertEquals("warning", rate.getString("severity"));
      assertTrue(rate.getJsonObject("details").getJsonNumber("error_rate").doubleValue() > 0.5);
      JsonObject failed =
          events(ws, "alerts.benchmark_failed", overBudget).get(0).getJsonObject("payload");
      assertEquals("critical", failed.getString("severity"));
      assertTrue(failed.getString("message").contains("budget"), failed.toString());
    }
  }

  @Test
  void shouldPingAndCloseIdleConnections() {
    try (WsClient idle = WsClient.connect();
        WsClient alive = WsClient.connect()) {
      idle.answerPings = false;
      idle.send("{\"type\":\"Subscribe\",\"topics\":[\"metrics.system\"]}");
      next(idle, "Ack");
      alive.send("{\"type\":\"Subscribe\",\"topics\":[\"metrics.system\"]}");
      next(alive, "Ack");
      // metrics.system arrives every second on the test server.
      JsonObject health =
          events(alive, "metrics.system", null).isEmpty()
              ? next(alive, "Event")
              : events(alive, "metrics.system", null).get(0);
      assertEquals("HealthUpdate", health.getJsonObject("payload").getString("event"));
      assertTrue(health.getJsonObject("payload").getInt("connections") >= 2);

      Api.await("the idle connection closed", Duration.ofSeconds(20), () -> idle.closeCode() > 0);
      assertEquals(1001, idle.closeCode());
      assertTrue(idle.pings() >= 2, "pings: " + idle.pings());
      assertTrue(
          idle.received().stream()
              .anyMatch(
                  m ->
                      "Error".equals(m.getString("type"))
                          && "idle_timeout".equals(m.getString("code"))),
          idle.received().toString());
      // The client answering Pings is still open, past the idle timeout.
      assertEquals(-1, alive.closeCode());
      assertTrue(alive.pings() >= 4, "pings: " + alive.pings());
      alive.send("{\"type\":\"Ping\"}");
      next(alive, "Pong");
    }
  }

  /** The application's live HTTP sessions, from Liberty's session metrics. */
  private static double liveHttpSessions() {
    Matcher m =
        Pattern.compile("session_liveSessions\\{appname=\"default_host_\"[^}]*\\} ([0-9.]+)")
            .matcher(Api.ANONYMOUS.get(Api.BASE + "/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void shouldKeepNoHttpSessionForAConnection() {
    double before = liveHttpSessions();
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        clients.add(WsClient.connect());
      }
      // Each connection works after its handshake's HTTP session is gone.
      for (WsClient c : clients) {
        c.send("{\"type\":\"Ping\"}");
        next(c, "Pong");
      }
      // Liberty still creates one per handshake (so the metric exists), and it is gone at once.
      assertTrue(
          Api.ANONYMOUS
              .get(Api.BASE + "/metrics")
              .body()
              .contains("session_liveSessions{appname=\"default_host_\""),
          "Liberty's session metrics are published");
      double during = liveHttpSessions();
      assertTrue(
          during < before + 10,
          "10 connections left "
              + (during - before)
              + " live HTTP sessions (before "
              + before
              + ")");
      for (WsClient c : clients) {
        assertEquals(-1, c.closeCode());
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void shouldDropOldestForSlowClientWithoutSlowingRunOrOthers() throws Exception {
    int cases = 200;
    int repeats = 20;
    int total = cases * repeats;
    String ds = Fixtures.sumDataset(cases);
    try (WsClient fast = WsClient.connect();
        RawWsClient slow = RawWsClient.connect(Api.BASE, "?max_queued=50", 2048)) {
      long droppedBefore = droppedMetric();
      fast.send("{\"type\":\"Subscribe\",\"topics\":[\"test.completed\",\"benchmark.completed\"]}");
      next(fast, "Ack");
      slow.send("{\"type\":\"Subscribe\",\"topics\":[\"test.completed\",\"benchmark.completed\"]}");
      JsonObject ack = slow.next(Duration.ofSeconds(10));
      while (ack != null && "Ping".equals(ack.getString("type"))) {
        ack = slow.next(Duration.ofSeconds(10)); // a heartbeat may come first
      }
      assertEquals("Ack", ack.getString("type"));
      assertEquals(50, ack.getInt("max_queued"));
      // Until the run is over the slow client reads nothing; it answers the heartbeat blindly.
      AtomicBoolean done = new AtomicBoolean(false);
      Thread ponger =
          new Thread(
              () -> {
                while (!done.get()) {
                  try {
                    slow.send("{\"type\":\"Pong\"}");
                    Thread.sleep(500);
                  } catch (InterruptedException | AssertionError e) {
                    return;
                  }
                }
              });
      ponger.setDaemon(true);
      ponger.start();

      String run = simRun(ds, "", "\"concurrency\":16,\"repeats\":" + repeats);
      JsonObject end = awaitRunEnd(run, Duration.ofSeconds(180));
      assertEquals("completed", end.getString("status"), end.toString());
      assertEquals(total, end.getInt("completedItems"));
      Api.await(
          "the fast client's benchmark.completed",
          Duration.ofSeconds(30),
          () -> !events(fast, "benchmark.completed", run).isEmpty());
      // The fast client got every event, in spite of the slow one.
      assertEquals(total, events(fast, "test.completed", run).size());

      int events = 0;
      long droppedTotal = 0;
      boolean completedSeen = false;
      JsonObject m;
      // benchmark.completed is the newest message, so never the one dropped: read up to it.
      while (!completedSeen && (m = slow.next(Duration.ofSeconds(10))) != null) {
        String type = m.getString("type");
        if ("Event".equals(type)
            && run.equals(m.getJsonObject("payload").getString("session_id", null))) {
          if ("test.completed".equals(m.getString("topic"))) {
            events++;
          } else {
            completedSeen = true;
          }
        } else if ("Error".equals(type)) {
          assertEquals("events_dropped", m.getString("code"), m.toString());
          droppedTotal = m.getJsonNumber("dropped_total").longValue();
        }
      }
      done.set(true);
      ponger.join();
      assertTrue(droppedTotal > 0, "the slow client was told of no drops; got " + events);
      assertTrue(events < total, "events " + events);
      // Nothing vanished silently: what arrived plus what was reported dropped covers every event
      // (dropped messages can also be heartbeat Pings, hence at least).
      assertTrue(
          events + (completedSeen ? 1 : 0) + droppedTotal >= total + 1,
          events + " + " + droppedTotal + " < " + (total + 1));
      long droppedAfter = droppedMetric();
      assertTrue(
          droppedAfter - droppedBefore >= droppedTotal,
          "metric " + droppedBefore + " -> " + droppedAfter + ", reported " + droppedTotal);
    }
  }

  private static final Pattern DROPPED =
      Pattern.compile("(?m)^ltb_ws_messages_dropped_total\\S*\\s+([0-9.eE+]+)");

  private static long droppedMetric() {
    Api.Res res = Api.get(Api.BASE + "/metrics");
    Matcher m = DROPPED.matcher(res.body());
    assertTrue(m.find(), res.body().length() > 2000 ? res.body().substring(0, 2000) : res.body());
    return (long) Double.parseDouble(m.group(1));
  }
}
