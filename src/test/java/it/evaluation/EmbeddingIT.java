package it.evaluation;

import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
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
}
