package it.benchmark;

import static it.support.Api.awaitRunEnd;
import static it.support.Api.get;
import static it.support.Api.graphql;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A benchmark end to end against a local server speaking the OpenAI protocol: dataset, run, live
 * WebSocket events in order, and the same results over REST and GraphQL.
 */
class BenchmarkFlowIT {

  static OpenAiStub stub;

  @BeforeAll
  static void startStub() throws Exception {
    stub = new OpenAiStub(1500);
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  @Test
  void shouldRunBenchmarkAndStreamProgressInOrder() {
    String provider = Fixtures.registerStub(stub, "LTB_IT_STUB_API_KEY");
    int cases = 6;
    String datasetId = Fixtures.sumDataset(cases);

    try (WsClient ws = WsClient.connect()) {
      ws.send(
          "{\"type\":\"Subscribe\",\"topics\":[\"benchmark.*\",\"test.completed\"],\"message_id\":\"sub-1\"}");
      JsonObject ack = ws.next(Duration.ofSeconds(10));
      assertEquals("Ack", ack.getString("type"));
      assertEquals("sub-1", ack.getString("message_id"));

      Api.Res created =
          post(
              "/benchmarks",
              "{\"name\":\"flow\",\"datasetId\":\""
                  + datasetId
                  + "\",\"targets\":[{\"provider\":\""
                  + provider
                  + "\",\"model\":\"good\"},{\"provider\":\""
                  + provider
                  + "\",\"model\":\"bad\"}],\"concurrency\":4,\"partitions\":2,"
                  + "\"systemPrompt\":\"You are a careful calculator.\",\"temperature\":0}");
      assertEquals(202, created.status(), created.toString());
      String runId = created.json().getString("id");
      assertTrue(created.location().endsWith("/api/v1/benchmarks/" + runId));

      JsonObject run = awaitRunEnd(runId, Duration.ofSeconds(60));
      assertEquals("completed", run.getString("status"), run.toString());
      assertEquals(2 * cases, run.getInt("totalItems"));
      assertEquals(2 * cases, run.getInt("completedItems"));

      JsonObject summary = run.getJsonObject("summary");
      Map<String, JsonObject> byModel = new HashMap<>();
      for (JsonValue t : summary.getJsonArray("targets")) {
        byModel.put(t.asJsonObject().getString("model"), t.asJsonObject());
      }
      assertEquals(1.0, byModel.get("good").getJsonNumber("passRate").doubleValue());
      assertEquals(0.0, byModel.get("bad").getJsonNumber("passRate").doubleValue());
      assertEquals(cases, byModel.get("good").getInt("results"));
      assertTrue(byModel.get("good").getJsonNumber("latencyP95Ms").doubleValue() > 0);
      assertTrue(byModel.get("good").getJsonNumber("totalTokens").longValue() > 0);
      assertEquals(0.5, summary.getJsonObject("overall").getJsonNumber("passRate").doubleValue());
      // Wilson 95% intervals: 6/6 passes gives [0.6097, 1], 0/6 gives [0, 0.3903].
      assertEquals(0.6097, byModel.get("good").getJsonNumber("passRateLower").doubleValue(), 1e-4);
      assertEquals(1.0, byModel.get("good").getJsonNumber("passRateUpper").doubleValue(), 1e-12);
      assertEquals(0.3903, byModel.get("bad").getJsonNumber("passRateUpper").doubleValue(), 1e-4);
      assertEquals(0.0, byModel.get("good").getJsonNumber("meanScoreStdErr").doubleValue(), 1e-12);

      // Events for this run: started first, progress never going back, completion last.
      List<JsonObject> events = new ArrayList<>();
      Api.await(
          "benchmark.completed event",
          Duration.ofSeconds(10),
          () -> {
            events.clear();
            for (JsonObject m : ws.received()) {
              if ("Event".equals(m.getString("type"))
                  && runId.equals(m.getJsonObject("payload").getString("session_id", null))) {
                events.add(m);
              }
            }
            return !events.isEmpty()
                && events.get(events.size() - 1).getString("topic").equals("benchmark.completed");
          });
      assertEquals("benchmark.started", events.get(0).getString("topic"));
      assertEquals(2 * cases, events.get(0).getJsonObject("payload").getInt("total_tests"));
      int lastCompleted = -1;
      int tests = 0;
      for (JsonObject e : events.subList(1, events.size() - 1)) {
        assertNotNull(e.getString("timestamp"));
        switch (e.getString("topic")) {
          case "benchmark.progress" -> {
            int completed = e.getJsonObject("payload").getInt("completed");
            assertTrue(completed >= lastCompleted, "progress went back: " + events);
            lastCompleted = completed;
          }
          case "test.completed" -> tests++;
          default -> throw new AssertionError("unexpected event " + e);
        }
      }
      assertEquals(2 * cases, lastCompleted);
      assertEquals(2 * cases, tests);
      JsonObject done = events.get(events.size() - 1).getJsonObject("payload");
      assertEquals("completed", done.getString("status"));

      // The provider saw the real wire format, with the key from apiKeyEnv.
      OpenAiStub.Request first = stub.requests().get(0);
      assertEquals("/v1/chat/completions", first.path());
      assertEquals("Bearer it-stub-key", first.authorization());
      JsonArray messages = first.body().getJsonArray("messages");
      assertEquals("system", messages.getJsonObject(0).getString("role"));
      assertEquals("user", messages.getJsonObject(1).getString("role"));
      assertTrue(
          messages.getJsonObject(1).getString("content").matches("What is \\d+ \\+ \\d+\\? .*"));

      assertSameResultsOverRestAndGraphql(runId, 2 * cases);
    }
  }

  private static void assertSameResultsOverRestAndGraphql(String runId, int expected) {
    // REST, two pages to exercise the cursor.
    Map<String, JsonObject> rest = new HashMap<>();
    String cursor = null;
    int pages = 0;
    do {
      Api.Res page =
          get("/results?runId=" + runId + "&limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, page.status(), page.toString());
      for (JsonValue v : page.json().getJsonArray("items")) {
        rest.put(v.asJsonObject().getString("id"), v.asJsonObject());
      }
      cursor = page.json().getString("nextCursor", null);
      pages++;
    } while (cursor != null);
    assertEquals(2, pages);
    assertEquals(expected, rest.size());

    JsonObject gql =
        graphql(
            "query($f: ResultFilter) { results(filter: $f, first: 100) { count edges { cursor"
                + " node { id status passed score provider model promptTokens latencyMs } } } }",
            Json.createObjectBuilder()
                .add("f", Json.createObjectBuilder().add("runId", runId))
                .build());
    assertTrue(!gql.containsKey("errors"), gql.toString());
    JsonObject conn = gql.getJsonObject("data").getJsonObject("results");
    assertEquals(expected, conn.getInt("count"));
    for (JsonValue e : conn.getJsonArray("edges")) {
      assertTrue(!e.asJsonObject().isNull("cursor"), "every edge carries its cursor");
      JsonObject node = e.asJsonObject().getJsonObject("node");
      JsonObject r = rest.get(node.getString("id"));
      assertNotNull(r, "GraphQL result missing over REST: " + node);
      assertEquals(r.getString("status"), node.getString("status"));
      assertEquals(r.getBoolean("passed"), node.getBoolean("passed"));
      assertEquals(r.getString("model"), node.getString("model"));
      assertEquals(r.getInt("promptTokens"), node.getInt("promptTokens"));
      assertEquals(
          r.getJsonNumber("latencyMs").doubleValue(),
          node.getJsonNumber("latencyMs").doubleValue(),
          1e-9);
      assertEquals("good".equals(r.getString("model")), r.getBoolean("passed"));
    }

    JsonObject one = get("/results/" + rest.keySet().iterator().next()).json();
    assertTrue(one.getString("response").contains("####"));
    assertEquals("stop", one.getString("finishReason"));
    assertTrue(one.getString("modelVersion").endsWith("-2026-01-01"));
  }

  @Test
  void shouldCancelSlowRunAndKeepFinishedResults() {
    String provider = Fixtures.registerStub(stub, null);
    String datasetId = Fixtures.sumDataset(200);
    JsonObject created =
        post(
                "/benchmarks",
                "{\"datasetId\":\""
                    + datasetId
                    + "\",\"targets\":[{\"provider\":\""
                    + provider
                    + "\",\"model\":\"slow\"}],\"concurrency\":2,\"partitions\":1}")
            .json();
    String runId = created.getString("id");
    Api.await(
        "some results of the slow run",
        Duration.ofSeconds(30),
        () -> get("/benchmarks/" + runId).json().getInt("completedItems") >= 2);

    JsonObject graphqlCancel =
        graphql(
            "mutation($id: ID!) { cancelBenchmark(id: $id) { id status } }",
            Json.createObjectBuilder().add("id", runId).build());
    assertEquals(
        "cancelled",
        graphqlCancel.getJsonObject("data").getJsonObject("cancelBenchmark").getString("status"),
        graphqlCancel.toString());

    // Settled: the job stops, nothing more is written, finished results stay.
    Api.await(
        "the cancelled run to settle",
        Duration.ofSeconds(15),
        () -> {
          int a =
              get("/results?runId=" + runId + "&limit=1000").json().getJsonArray("items").size();
          sleep(2000);
          int b =
              get("/results?runId=" + runId + "&limit=1000").json().getJsonArray("items").size();
          return a == b;
        });
    JsonObject run = get("/benchmarks/" + runId).json();
    assertEquals("cancelled", run.getString("status"));
    int kept = get("/results?runId=" + runId + "&limit=1000").json().getJsonArray("items").size();
    assertTrue(kept >= 2 && kept < 200, "kept " + kept + " results");
    assertEquals(kept, run.getInt("completedItems"));

    // Cancelling again is harmless; REST agrees.
    Api.Res again = post("/benchmarks/" + runId + "/cancel", "");
    assertEquals(200, again.status(), again.toString());
    assertEquals("cancelled", again.json().getString("status"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
