package it.benchmark;

import static it.support.Api.get;
import static it.support.Api.graphql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budget caps: a run over its token or duration budget stops with status failed and a reason,
 * keeping its finished results and a summary of them; a bad budget is a 400.
 */
class BudgetIT {

  private static final int CASES = 200;

  static OpenAiStub stub;

  @BeforeAll
  static void startStub() throws Exception {
    stub = new OpenAiStub(300);
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  private static String run(String provider, String datasetId, String budget) {
    Api.Res created =
        Fixtures.startRun(provider, "slow", datasetId, "\"concurrency\":2,\"budget\":" + budget);
    assertEquals(202, created.status(), created.toString());
    return created.json().getString("id");
  }

  private static JsonObject ended(String runId) {
    Api.await(
        "the run to stop",
        Duration.ofSeconds(60),
        () ->
            !Set.of("pending", "running")
                .contains(get("/benchmarks/" + runId).json().getString("status")));
    // Let the job finish the chunks it had started and store the final summary.
    Api.await(
        "the stopped run's summary to match its results",
        Duration.ofSeconds(30),
        () -> {
          JsonObject r = get("/benchmarks/" + runId).json();
          return !r.isNull("summary")
              && r.getJsonObject("summary").getJsonObject("overall").getInt("results")
                  == results(runId);
        });
    return get("/benchmarks/" + runId).json();
  }

  @Test
  void shouldStopARunOverItsTokenBudgetAndKeepItsResults() {
    String provider = Fixtures.registerStub(stub, null);
    String runId = run(provider, Fixtures.sumDataset(CASES), "{\"maxTokens\":100}");
    JsonObject run = ended(runId);
    assertEquals("failed", run.getString("status"), run.toString());
    assertTrue(
        run.getString("statusReason").startsWith("budget exceeded: tokens "),
        run.getString("statusReason"));
    int kept = results(runId);
    assertTrue(kept > 0 && kept < CASES, "kept " + kept);
    assertEquals(kept, run.getInt("completedItems"));
  }

  @Test
  void shouldStopARunOverItsDurationBudget() {
    String provider = Fixtures.registerStub(stub, null);
    // 200 cases, 2 at a time, 300 ms each: 30 s of work against a 2 s budget.
    String runId = run(provider, Fixtures.sumDataset(CASES), "{\"maxDurationSeconds\":2}");
    JsonObject run = ended(runId);
    assertEquals("failed", run.getString("status"), run.toString());
    assertTrue(
        run.getString("statusReason").startsWith("budget exceeded: duration "),
        run.getString("statusReason"));
    assertTrue(results(runId) < CASES);
  }

  @Test
  void shouldRejectABadBudgetOverRestAndTakeOneOverGraphql() {
    String provider = Fixtures.registerStub(stub, null);
    String datasetId = Fixtures.sumDataset(2);
    Api.Res bad =
        Fixtures.startRun(
            provider, "good", datasetId, "\"budget\":{\"maxCost\":0,\"maxTokens\":-5}");
    assertEquals(400, bad.status(), bad.toString());
    assertTrue(bad.contentType().startsWith("application/problem+json"), bad.toString());
    Set<String> fields =
        bad.json().getJsonArray("violations").stream()
            .map(v -> ((JsonObject) v).getString("field"))
            .collect(Collectors.toSet());
    assertEquals(Set.of("budget.maxCost", "budget.maxTokens"), fields);

    JsonObject created =
        graphql(
            "mutation($in: CreateBenchmarkInput!) { createBenchmark(input: $in) { id status } }",
            Json.createObjectBuilder()
                .add(
                    "in",
                    Json.createObjectBuilder()
                        .add("datasetId", datasetId)
                        .add(
                            "targets",
                            Json.createArrayBuilder()
                                .add(
                                    Json.createObjectBuilder()
                                        .add("provider", provider)
                                        .add("model", "good")))
                        .add("budget", Json.createObjectBuilder().add("maxDurationSeconds", 600)))
                .build());
    JsonObject b = created.getJsonObject("data").getJsonObject("createBenchmark");
    assertNotNull(b, created.toString());
    String runId = b.getString("id");
    JsonObject done = Api.awaitRunEnd(runId, Duration.ofSeconds(60));
    assertEquals("completed", done.getString("status"), done.toString());
    assertTrue(
        done.get("statusReason") == null
            || done.isNull("statusReason")
            || !(done.get("statusReason") instanceof JsonString s
                && s.getString().startsWith("budget")));
  }

  private static int results(String runId) {
    return get("/results?runId=" + runId + "&limit=500").json().getJsonArray("items").size();
  }
}
