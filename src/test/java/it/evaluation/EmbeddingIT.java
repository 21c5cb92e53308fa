package it.evaluation;

import static it.support.Api.get;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-process sentence-embedding model loads and runs inside the real server (the WAR's class
 * loader, ONNX Runtime's and the tokenizer's native libraries, the managed executor).
 */
class EmbeddingIT {

  @BeforeAll
  static void awaitApplication() {
    // On a loaded machine the server can report started before the application has.
    Api.await(
        "the application to be ready",
        Duration.ofMinutes(3),
        () -> Api.get(Api.BASE + "/health/ready").status() == 200);
  }

  private static double dot(JsonArray a, JsonArray b) {
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      sum += a.getJsonNumber(i).doubleValue() * b.getJsonNumber(i).doubleValue();
    }
    return sum;
  }

  @Test
  void shouldEmbedWithTheInProcessModelByDefault() {
    Api.Res res =
        post(
            "/embeddings",
            "{\"texts\":[\"The capital of France is Paris.\",\"Paris is France's capital city.\","
                + "\"I had pasta with tomato sauce for dinner.\"]}");
    assertEquals(200, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("application/json"), res.contentType());
    JsonObject body = res.json();
    assertEquals("local:all-minilm-l6-v2-q", body.getString("model"));
    assertEquals(384, body.getInt("dimensions"));
    JsonArray vectors = body.getJsonArray("vectors");
    assertEquals(3, vectors.size());
    JsonArray reference = vectors.getJsonArray(0);
    assertEquals(384, reference.size());
    // Unit vectors: the dot product is the cosine similarity.
    assertEquals(1.0, dot(reference, reference), 1e-3);
    double paraphrase = dot(reference, vectors.getJsonArray(1));
    double unrelated = dot(reference, vectors.getJsonArray(2));
    assertTrue(paraphrase > 0.75 && unrelated < 0.3, paraphrase + " vs " + unrelated);

    JsonObject again =
        post(
                "/embeddings",
                "{\"provider\":\"local\",\"texts\":[\"The capital of France is Paris.\"]}")
            .json();
    assertEquals(
        reference.getJsonNumber(5).doubleValue(),
        again.getJsonArray("vectors").getJsonArray(0).getJsonNumber(5).doubleValue(),
        1e-6);
  }

  @Test
  void shouldRejectBadRequestsAsProblems() {
    for (String body :
        new String[] {
          "{\"texts\":[]}",
          "{\"texts\":[\"ok\",\"  \"]}",
          "{\"provider\":\"local:bge-small\",\"texts\":[\"x\"]}",
          "{\"provider\":\"no-such-provider\",\"texts\":[\"x\"]}"
        }) {
      Api.Res res = post("/embeddings", body);
      assertEquals(400, res.status(), body + " -> " + res);
      assertTrue(res.contentType().startsWith("application/problem+json"), res.toString());
    }
    assertTrue(
        post("/embeddings", "{\"provider\":\"local:bge-small\",\"texts\":[\"x\"]}")
            .json()
            .getString("detail")
            .contains("names no in-process model"));
  }

  @Test
  void shouldScoreSimilarityInPostEvaluateAgainstTheExpectedAnswerByDefault() {
    JsonObject e =
        post(
                "/evaluate",
                "{\"output\":\"Paris is the capital city of France.\","
                    + "\"expected\":\"The capital of France is Paris.\","
                    + "\"assertions\":[{\"type\":\"similar\"},"
                    + "{\"type\":\"not-similar\",\"value\":\"I had pasta for dinner.\"},"
                    + "{\"type\":\"similar\",\"threshold\":0.999,\"weight\":0}]}")
            .json();
    JsonArray results = e.getJsonArray("results");
    assertTrue(results.getJsonObject(0).getBoolean("pass"), e.toString());
    assertTrue(results.getJsonObject(1).getBoolean("pass"), e.toString());
    JsonObject strict = results.getJsonObject(2);
    assertFalse(strict.getBoolean("pass"), e.toString());
    assertTrue(
        strict.getString("reason").startsWith("Expected cosine similarity of at least"),
        strict.toString());
    // The weight-0 miss is reported but not counted.
    assertTrue(e.getBoolean("pass"), e.toString());
  }

  @Test
  void shouldScoreSimilarityInARunWithTheInProcessModel() {
    String cases =
        "{\"id\":\"fr\",\"vars\":{\"country\":\"France\"},"
            + "\"expected\":\"The capital of France is Paris.\"},"
            + "{\"id\":\"it\",\"vars\":{\"country\":\"Italy\"},"
            + "\"expected\":\"Rome is the capital of Italy.\"}";
    Api.Res dataset =
        post(
            "/datasets",
            "{\"name\":\""
                + Fixtures.unique("similar")
                + "\",\"promptTemplate\":\"What is the capital of {{country}}?\","
                + "\"assertions\":[{\"type\":\"similar\",\"threshold\":0.9},"
                + "{\"type\":\"not-similar\",\"value\":\"I cannot help with that.\"}],"
                + "\"testCases\":["
                + cases
                + "]}");
    assertEquals(201, dataset.status(), dataset.toString());
    // The simulator answers with each case's expected answer, so similar passes at 0.9.
    Api.Res created =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + dataset.json().getString("id")
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"oracle\","
                + "\"options\":{\"answer\":\"expected\",\"accuracy\":\"1.0\"}}]}");
    assertEquals(202, created.status(), created.toString());
    String runId = created.json().getString("id");
    JsonObject run = Api.awaitRunEnd(runId, Duration.ofMinutes(2));
    assertEquals("completed", run.getString("status"), run.toString());

    JsonArray items = get("/results?runId=" + runId + "&limit=10").json().getJsonArray("items");
    assertEquals(2, items.size());
    for (JsonValue v : items) {
      JsonObject r = v.asJsonObject();
      assertTrue(r.getBoolean("passed"), r.toString());
      JsonObject similar = r.getJsonArray("assertions").getJsonObject(0);
      assertEquals("similar", similar.getString("type"));
      assertTrue(similar.getJsonNumber("score").doubleValue() > 0.99, similar.toString());
    }
  }
}
