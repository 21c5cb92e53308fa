package it.monitoring;

import static it.support.Api.awaitRunEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.GraphQLWsNode;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GraphQL subscriptions on /graphql/ws with the real graphql-ws client from npm: only the selected
 * fields arrive, benchmarkProgress completes with its run, and invalid documents are refused with
 * graphql-java's validation errors.
 */
class GraphQLSubscriptionIT {

  private static String simRun(String datasetId, String options, String more) {
    Api.Res res =
        Api.post(
            "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"oracle\",\"options\":{"
                + options
                + "}}],\"partitions\":1,\"cache\":false,"
                + more
                + "}");
    assertEquals(202, res.status(), res.toString());
    return res.json().getString("id");
  }

  private static List<JsonObject> nexts(List<JsonObject> lines, String field) {
    return lines.stream()
        .filter(l -> l.containsKey("next"))
        .map(l -> l.getJsonObject("next").getJsonObject("data").getJsonObject(field))
        .toList();
  }

  @Test
  void shouldStreamBenchmarkProgressWithSelectedFieldsUntilCompleted() throws Exception {
    String ds = Fixtures.sumDataset(8);
    String run = simRun(ds, "\"latencyMs\":\"400\"", "\"concurrency\":1");
    GraphQLWsNode.Run client =
        GraphQLWsNode.subscribe(
            "subscription Progress($id: ID!) { benchmarkProgress(id: $id) {"
                + " event benchmarkId completed total timestamp } }",
            "{\"id\":\"" + run + "\"}",
            0);
    List<JsonObject> lines = client.lines(120);
    assertEquals("completed", awaitRunEnd(run, Duration.ofSeconds(60)).getString("status"));
    assertTrue(lines.get(0).getBoolean("connected"), lines.toString());
    assertTrue(lines.get(lines.size() - 1).getBoolean("complete", false), lines.toString());
    List<JsonObject> events = nexts(lines, "benchmarkProgress");
    assertFalse(events.isEmpty());
    for (JsonObject e : events) {
      assertEquals(Set.of("event", "benchmarkId", "completed", "total", "timestamp"), e.keySet());
      assertEquals(run, e.getString("benchmarkId"));
    }
    JsonObject last = events.get(events.size() - 1);
    assertEquals("BenchmarkCompleted", last.getString("event"));
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    "BenchmarkProgress".equals(e.getString("event"))
                        && e.getInt("completed") == 8
                        && e.getInt("total") == 8),
        events.toString());
  }

  @Test
  void shouldStreamMetricsAndAlerts() throws Exception {
    // metrics.system arrives every second on the test server.
    GraphQLWsNode.Run metrics =
        GraphQLWsNode.subscribe(
            "subscription { metricsStream { metricName activeTasks connections } }", "{}", 2);
    List<JsonObject> m = nexts(metrics.lines(60), "metricsStream");
    assertEquals(2, m.size());
    assertEquals("system", m.get(0).getString("metricName"));
    assertEquals(Set.of("metricName", "activeTasks", "connections"), m.get(0).keySet());

    String ds = Fixtures.sumDataset(12);
    String run = simRun(ds, "\"errorRate\":\"1\",\"latencyMs\":\"200\"", "\"concurrency\":2");
    GraphQLWsNode.Run alerts =
        GraphQLWsNode.subscribe(
            "subscription A($id: ID) { alertsStream(benchmarkId: $id) { alert severity"
                + " benchmarkId details } }",
            "{\"id\":\"" + run + "\"}",
            1);
    List<JsonObject> a = nexts(alerts.lines(90), "alertsStream");
    assertEquals(1, a.size());
    assertEquals("error_rate", a.get(0).getString("alert"));
    assertEquals("warning", a.get(0).getString("severity"));
    assertEquals(run, a.get(0).getString("benchmarkId"));
    assertTrue(
        ((JsonObject) Api.parse(a.get(0).getString("details"))).containsKey("error_rate"),
        a.toString());
    awaitRunEnd(run, Duration.ofSeconds(60));
  }

  @Test
  void shouldRefuseInvalidDocumentsWithValidationErrors() throws Exception {
    List<JsonObject> unknownField =
        GraphQLWsNode.subscribe("subscription { metricsStream { nope } }", "{}", 0).lines(60);
    JsonObject error = unknownField.get(unknownField.size() - 1);
    assertTrue(error.containsKey("error"), unknownField.toString());
    String message = error.getJsonArray("error").getJsonObject(0).getString("message");
    assertTrue(message.contains("nope"), message);

    List<JsonObject> missingArg =
        GraphQLWsNode.subscribe("subscription { benchmarkProgress { event } }", "{}", 0).lines(60);
    assertTrue(
        missingArg
            .get(missingArg.size() - 1)
            .getJsonArray("error")
            .getJsonObject(0)
            .getString("message")
            .contains("id"),
        missingArg.toString());

    List<JsonObject> query = GraphQLWsNode.subscribe("query { liveTopics }", "{}", 0).lines(60);
    JsonValue q = query.get(query.size() - 1).get("error");
    assertTrue(q.toString().contains("Only subscriptions"), query.toString());
  }
}
