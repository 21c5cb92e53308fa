package it.evaluation;

import static it.support.Api.get;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scoring one response over REST, and CI gates on runs readable with one request. */
class EvaluationIT {

  @Test
  void shouldEvaluateOneResponseWithAnyAssertionTypes() {
    Api.Res res =
        post(
            "/evaluate",
            "{\"output\":\"The capital of France is Paris.\",\"expected\":\"Paris is the capital of"
                + " France.\",\"finishReason\":\"end_turn\",\"assertions\":[{\"type\":\"icontains\","
                + "\"value\":\"paris\"},{\"type\":\"rouge-1\",\"threshold\":0.8},{\"type\":"
                + "\"finish-reason\",\"value\":\"stop\"},{\"type\":\"not-is-refusal\"},{\"type\":"
                + "\"bleu\",\"weight\":0}]}");
    assertEquals(200, res.status(), res.toString());
    JsonObject e = res.json();
    assertTrue(e.getBoolean("pass"), e.toString());
    assertEquals(5, e.getJsonArray("results").size());
    assertEquals(1.0, e.getJsonNumber("score").doubleValue(), 1e-9);

    JsonObject failing =
        post(
                "/evaluate",
                "{\"output\":\"#### 17\",\"expected\":\"#### 18\",\"assertions\":[{\"type\":"
                    + "\"numeric-answer\"}]}")
            .json();
    assertFalse(failing.getBoolean("pass"));
    assertTrue(failing.getJsonArray("results").getJsonObject(0).getString("reason").contains("17"));
  }

  @Test
  void shouldRejectInvalidAssertionsAndMissingFields() {
    Api.Res bad =
        post(
            "/evaluate",
            "{\"output\":\"x\",\"assertions\":[{\"type\":\"regex\",\"value\":\"(\"}]}");
    assertEquals(400, bad.status());
    assertTrue(bad.json().getString("detail").contains("regular expression"), bad.toString());
    assertEquals(400, post("/evaluate", "{\"output\":\"x\",\"assertions\":[]}").status());
    assertEquals(400, post("/evaluate", "{\"assertions\":[{\"type\":\"equals\"}]}").status());
  }

  @Test
  void shouldGateARunAndSayWhyItFailed() {
    String datasetId = Fixtures.sumDataset(4);
    String gate =
        ",\"gate\":{\"minPassRate\":0.9,\"maxCost\":1.0,\"minMetrics\":{\"numeric-answer\":0.9}}";
    String oracle =
        post(
                "/benchmarks",
                "{\"datasetId\":\""
                    + datasetId
                    + "\",\"targets\":[{\"provider\":\"simulator\","
                    + "\"model\":\"oracle\",\"options\":{\"answer\":\"expected\"}}]"
                    + gate
                    + "}")
            .json()
            .getString("id");
    String echo =
        post(
                "/benchmarks",
                "{\"datasetId\":\""
                    + datasetId
                    + "\",\"targets\":[{\"provider\":\"simulator\","
                    + "\"model\":\"echo\"}]"
                    + gate
                    + "}")
            .json()
            .getString("id");
    JsonObject passed = Api.awaitRunEnd(oracle, Duration.ofSeconds(60));
    assertEquals("completed", passed.getString("status"));
    assertTrue(passed.getJsonObject("summary").getJsonObject("verdict").getBoolean("passed"));

    JsonObject failed = Api.awaitRunEnd(echo, Duration.ofSeconds(60));
    JsonObject verdict = failed.getJsonObject("summary").getJsonObject("verdict");
    assertFalse(verdict.getBoolean("passed"), failed.toString());
    assertTrue(
        verdict.getJsonArray("reasons").toString().contains("pass rate"), verdict.toString());
    assertTrue(verdict.getJsonArray("reasons").toString().contains("numeric-answer"));
    assertTrue(failed.getString("statusReason").startsWith("Gate failed"));

    Api.Res badGate =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"targets\":[{\"provider\":\"simulator\","
                + "\"model\":\"m\"}],\"gate\":{\"minPassRate\":1.5}}");
    assertEquals(400, badGate.status());
    assertTrue(badGate.body().contains("gate.minPassRate"), badGate.toString());
    assertEquals(200, get("/benchmarks/" + oracle).status());
  }
}
