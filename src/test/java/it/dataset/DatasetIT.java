package it.dataset;

import static it.support.Api.delete;
import static it.support.Api.get;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Datasets: create inline, import JSONL, list, read cases, delete, and the bundled sample. */
class DatasetIT {

  @Test
  void shouldCreateReadAndDeleteDataset() {
    String name = Fixtures.unique("capitals");
    Api.Res created =
        post(
            "/datasets",
            "{\"name\":\""
                + name
                + "\",\"description\":\"Capitals\",\"tags\":[\"geo\"],"
                + "\"testCases\":[{\"id\":\"fr\",\"prompt\":\"Capital of {{country}}?\",\"vars\":{\"country\":\"France\"},"
                + "\"expected\":\"Paris\",\"assert\":[{\"type\":\"icontains\",\"value\":\"paris\"}],\"tags\":[\"eu\"],"
                + "\"metadata\":{\"source\":\"atlas\"}},"
                + "{\"prompt\":\"Capital of Japan?\",\"expected\":\"Tokyo\"}]}");
    assertEquals(201, created.status(), created.toString());
    JsonObject d = created.json();
    String id = d.getString("id");
    assertTrue(created.location().endsWith("/api/v1/datasets/" + id));
    assertEquals(2, d.getInt("testCaseCount"));

    assertEquals(name, get("/datasets/" + id).json().getString("name"));
    JsonObject cases = get("/datasets/" + id + "/test-cases?limit=1").json();
    JsonObject first = cases.getJsonArray("items").getJsonObject(0);
    assertEquals("fr", first.getString("testId"));
    assertEquals("France", first.getJsonObject("vars").getString("country"));
    assertEquals("icontains", first.getJsonArray("assert").getJsonObject(0).getString("type"));
    JsonObject second =
        get("/datasets/" + id + "/test-cases?limit=1&cursor=" + cases.getString("nextCursor"))
            .json();
    assertEquals("case-1", second.getJsonArray("items").getJsonObject(0).getString("testId"));
    assertTrue(!second.containsKey("nextCursor") || second.isNull("nextCursor"));

    boolean listed = false;
    for (JsonValue v : get("/datasets?limit=500").json().getJsonArray("items")) {
      listed |= v.asJsonObject().getString("id").equals(id);
    }
    assertTrue(listed);

    assertEquals(204, delete("/datasets/" + id).status());
    assertEquals(404, get("/datasets/" + id).status());
    assertEquals(404, delete("/datasets/" + id).status());
  }

  @Test
  void shouldImportJsonlWithExtraFieldsAsVariables() {
    String jsonl =
        "{\"question\": \"What is 2 + 3?\", \"answer\": \"2+3=5\\n#### 5\"}\n"
            + "\n"
            + "{\"question\": \"What is 10 + 5?\", \"answer\": \"#### 15\", \"tags\": [\"easy\"]}\n";
    Api.Res res =
        post(
            "/datasets/import?name="
                + Fixtures.unique("jsonl")
                + "&promptTemplate=Q:%20%7B%7Bquestion%7D%7D&expectedField=answer&assert=numeric-answer",
            "application/x-ndjson",
            jsonl);
    assertEquals(201, res.status(), res.toString());
    String id = res.json().getString("id");
    assertEquals(2, res.json().getInt("testCaseCount"));
    assertEquals(
        "numeric-answer", res.json().getJsonArray("assertions").getJsonObject(0).getString("type"));
    JsonObject c =
        get("/datasets/" + id + "/test-cases").json().getJsonArray("items").getJsonObject(1);
    assertEquals("What is 10 + 5?", c.getJsonObject("vars").getString("question"));
    assertEquals("#### 15", c.getString("expected"));

    Api.Res bad =
        post("/datasets/import?name=broken", "application/x-ndjson", "{\"question\": 1}\n{oops\n");
    assertEquals(400, bad.status(), bad.toString());
    assertTrue(bad.json().getString("detail").startsWith("Line 2"), bad.toString());
  }

  @Test
  void shouldShipGsm8kSampleThatScoresWithTheSimulatorOracle() {
    JsonObject sample = null;
    String cursor = null;
    do {
      JsonObject page =
          get("/datasets?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      for (JsonValue v : page.getJsonArray("items")) {
        if (v.asJsonObject().getString("name").equals("gsm8k-sample")) {
          sample = v.asJsonObject();
        }
      }
      cursor = page.getString("nextCursor", null);
    } while (cursor != null && sample == null);
    assertTrue(sample != null, "gsm8k-sample not loaded at first start");
    assertEquals(50, sample.getInt("testCaseCount"));

    Api.Res run =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + sample.getString("id")
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"oracle\",\"options\":{\"answer\":\"expected\"}},"
                + "{\"provider\":\"simulator\",\"model\":\"wrong\",\"options\":{\"answer\":\"fixed:#### -1\"}}]}");
    assertEquals(202, run.status(), run.toString());
    JsonObject done = Api.awaitRunEnd(run.json().getString("id"), Duration.ofSeconds(60));
    assertEquals("completed", done.getString("status"));
    for (JsonValue t : done.getJsonObject("summary").getJsonArray("targets")) {
      JsonObject s = t.asJsonObject();
      double expected = s.getString("model").equals("oracle") ? 1.0 : 0.0;
      assertEquals(expected, s.getJsonNumber("passRate").doubleValue(), s.toString());
    }
  }

  @Test
  void shouldRunEveryCaseOncePerRepeatAndTarget() {
    String datasetId = Fixtures.sumDataset(5);
    Api.Res run =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"repeats\":3,\"partitions\":4,\"concurrency\":2,\"targets\":["
                + "{\"provider\":\"simulator\",\"model\":\"a\"},{\"provider\":\"simulator\",\"model\":\"b\"}]}");
    String runId = run.json().getString("id");
    JsonObject done = Api.awaitRunEnd(runId, Duration.ofSeconds(60));
    assertEquals("completed", done.getString("status"));
    assertEquals(30, done.getInt("totalItems"));
    java.util.Set<Integer> keys = new java.util.HashSet<>();
    for (JsonValue v : get("/results?runId=" + runId + "&limit=100").json().getJsonArray("items")) {
      keys.add(v.asJsonObject().getInt("itemKey"));
    }
    assertEquals(30, keys.size());
    assertEquals(
        java.util.stream.IntStream.range(0, 30)
            .boxed()
            .collect(java.util.stream.Collectors.toSet()),
        keys);
  }
}
