package it.benchmark;

import static it.support.Api.awaitRunEnd;
import static it.support.Api.graphql;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Summaries with intervals, per-metric figures and repeat consistency, and POST /api/v1/compare:
 * the model matrix of a run and a candidate run against a baseline, both ways, on runs against a
 * local OpenAI-protocol server and the seeded simulator.
 */
class CompareIT {

  static OpenAiStub stub;
  static String provider;

  @BeforeAll
  static void startStub() throws Exception {
    stub = new OpenAiStub(4000);
    provider = Fixtures.registerStub(stub, null);
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  private static String target(String provider, String model, String options) {
    return "{\"provider\":\""
        + provider
        + "\",\"model\":\""
        + model
        + "\""
        + (options == null ? "" : ",\"options\":" + options)
        + "}";
  }

  private static String run(String datasetId, int repeats, String... targets) {
    Api.Res created =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"cache\":false,\"repeats\":"
                + repeats
                + ",\"targets\":["
                + String.join(",", targets)
                + "]}");
    assertEquals(202, created.status(), created.toString());
    return created.json().getString("id");
  }

  private static JsonObject completed(String runId) {
    JsonObject run = awaitRunEnd(runId, Duration.ofSeconds(90));
    assertEquals("completed", run.getString("status"), run.toString());
    return run;
  }

  private static JsonObject compare(String body, int status) {
    Api.Res res = post("/compare", body);
    assertEquals(status, res.status(), res.toString());
    if (status >= 400) {
      assertTrue(res.contentType().startsWith("application/problem+json"), res.toString());
    }
    return res.json();
  }

  private static String runs(String baseline, String candidate, String extra) {
    return "{\"baseline\":{\"runId\":\""
        + baseline
        + "\"},\"candidate\":{\"runId\":\""
        + candidate
        + "\"}"
        + extra
        + "}";
  }

  /** Exact two-sided McNemar p-value when one side has all r discordant pairs: 2 / 2^r. */
  private static double exactMcNemar(int r) {
    return Math.min(1, 2 * Math.pow(0.5, r));
  }

  @Test
  void shouldCompareACandidateRunWithABaselineBothWays() {
    int cases = 12;
    String dataset = Fixtures.sumDataset(cases);
    String good = run(dataset, 1, target(provider, "good", null));
    String sim =
        run(
            dataset,
            1,
            target(
                "simulator",
                "sim-1",
                "{\"answer\":\"expected\",\"accuracy\":\"0.3\",\"seed\":\"11\"}"));
    completed(good);
    JsonObject simRun = completed(sim);

    // The summary: p99, standard errors, bootstrap interval, per-metric figures and the method.
    JsonObject summary = simRun.getJsonObject("summary");
    JsonObject t = summary.getJsonArray("targets").getJsonObject(0);
    int failures = cases - t.getInt("passed");
    assertTrue(
        t.getJsonNumber("latencyP99Ms").doubleValue()
            >= t.getJsonNumber("latencyP95Ms").doubleValue());
    assertEquals(cases, t.getInt("cases"));
    double mean = t.getJsonNumber("meanScore").doubleValue();
    assertTrue(t.getJsonNumber("meanScoreLower").doubleValue() <= mean);
    assertTrue(mean <= t.getJsonNumber("meanScoreUpper").doubleValue());
    assertTrue(t.containsKey("passRateStdErr"));
    JsonObject metric = t.getJsonArray("metrics").getJsonObject(0);
    assertEquals("numeric-answer", metric.getString("metric"));
    assertEquals(cases, metric.getInt("results"));
    assertEquals(t.getInt("passed"), metric.getInt("passed"));
    assertEquals(2000, summary.getJsonObject("method").getInt("bootstrapResamples"));
    assertFalse(t.containsKey("consistency"), "one repeat: no consistency");
    // The seeded simulator at accuracy 0.3 fails some cases (fixed by the seed).
    assertTrue(failures > 0 && failures < cases, "failures: " + failures);

    // The candidate (simulator) against the baseline (always right): every failure is a regression.
    JsonObject worse = compare(runs(good, sim, ",\"cases\":\"regressions\""), 200);
    assertEquals("runs", worse.getString("mode"));
    assertEquals(cases, worse.getInt("pairs"));
    JsonObject passRate = worse.getJsonObject("passRate");
    assertEquals(failures, passRate.getInt("regressions"));
    assertEquals(0, passRate.getInt("improvements"));
    assertEquals(exactMcNemar(failures), passRate.getJsonNumber("pValue").doubleValue(), 1e-12);
    assertEquals("mcnemar-exact", passRate.getString("test"));
    assertEquals(
        exactMcNemar(failures) < 0.05 ? "regressed" : "no-significant-change",
        worse.getString("verdict"));
    assertTrue(passRate.getJsonNumber("delta").doubleValue() < 0);
    JsonArray regressions = worse.getJsonArray("cases");
    assertEquals(failures, regressions.size());
    for (JsonValue v : regressions) {
      JsonObject c = v.asJsonObject();
      assertEquals("regression", c.getString("change"));
      assertTrue(c.getJsonObject("baseline").getBoolean("passed"));
      assertFalse(c.getJsonObject("candidate").getBoolean("passed"));
      assertEquals(
          c.getString("expected").replace("#### ", ""),
          c.getJsonObject("baseline").getString("output").replaceAll("(?s).*#### ", ""));
    }
    JsonObject numeric = worse.getJsonArray("metrics").getJsonObject(0);
    assertEquals("numeric-answer", numeric.getString("metric"));
    assertTrue(numeric.getJsonNumber("delta").doubleValue() < 0);
    assertTrue(numeric.containsKey("pValueHolm"));
    assertEquals("mcnemar-exact", passRate.getString("test"));

    // The other way round: the same p-value, improvements instead of regressions.
    JsonObject better = compare(runs(sim, good, ",\"alpha\":0.1"), 200);
    JsonObject back = better.getJsonObject("passRate");
    assertEquals(0, back.getInt("regressions"));
    assertEquals(failures, back.getInt("improvements"));
    assertEquals(
        passRate.getJsonNumber("pValue").doubleValue(), back.getJsonNumber("pValue").doubleValue());
    assertEquals(
        exactMcNemar(failures) < 0.1 ? "improved" : "no-significant-change",
        better.getString("verdict"));
    assertEquals(0.9, better.getJsonNumber("confidence").doubleValue(), 1e-12);
    assertTrue(better.getJsonObject("score").getJsonNumber("delta").doubleValue() > 0);
    // Default filter "changed": exactly the cases whose outcome changed.
    assertEquals(failures, better.getJsonArray("cases").size());

    // Every pair, three at a time, through the cursor.
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page =
          compare(
              runs(
                  good,
                  sim,
                  ",\"cases\":\"all\",\"limit\":3"
                      + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"")),
              200);
      for (JsonValue v : page.getJsonArray("cases")) {
        assertTrue(seen.add(v.asJsonObject().getString("testId")), "no pair twice");
      }
      cursor = page.containsKey("nextCursor") ? page.getString("nextCursor") : null;
      pages++;
    } while (cursor != null);
    assertEquals(cases, seen.size());
    assertEquals(4, pages);

    // Runs of different datasets cannot be compared.
    String other = run(Fixtures.sumDataset(2), 1, target(provider, "good", null));
    completed(other);
    JsonObject problem = compare(runs(good, other, ""), 409);
    assertEquals("Runs on different datasets", problem.getString("title"));
  }

  @Test
  void shouldShowModelsSideBySide() {
    String dataset = Fixtures.sumDataset(6);
    String runId = run(dataset, 1, target(provider, "good", null), target(provider, "bad", null));
    completed(runId);
    JsonObject m = compare("{\"runId\":\"" + runId + "\",\"limit\":4,\"excerptChars\":10}", 200);
    assertEquals("models", m.getString("mode"));
    JsonArray targets = m.getJsonArray("targets");
    assertEquals("good", targets.getJsonObject(0).getString("model"));
    assertEquals(
        1.0,
        targets.getJsonObject(0).getJsonObject("totals").getJsonNumber("passRate").doubleValue());
    assertEquals(
        0.0,
        targets.getJsonObject(1).getJsonObject("totals").getJsonNumber("passRate").doubleValue());
    JsonArray rows = m.getJsonArray("rows");
    assertEquals(4, rows.size());
    JsonObject first = rows.getJsonObject(0);
    assertEquals("sum-1", first.getString("testId"));
    assertFalse(first.getBoolean("agree"));
    assertTrue(first.getJsonArray("cells").getJsonObject(0).getBoolean("passed"));
    assertFalse(first.getJsonArray("cells").getJsonObject(1).getBoolean("passed"));
    assertTrue(first.getJsonArray("cells").getJsonObject(0).getString("output").length() <= 10);
    assertNotNull(m.getString("nextCursor"));
    JsonObject rest =
        compare(
            "{\"runId\":\""
                + runId
                + "\",\"limit\":4,\"cursor\":\""
                + m.getString("nextCursor")
                + "\"}",
            200);
    assertEquals(2, rest.getJsonArray("rows").size());
    assertEquals("sum-5", rest.getJsonArray("rows").getJsonObject(0).getString("testId"));
    assertFalse(rest.containsKey("nextCursor") && !rest.isNull("nextCursor"));
    // Every row disagrees (good passes, bad fails), so the filter keeps them all.
    assertEquals(
        6,
        compare("{\"runId\":\"" + runId + "\",\"cases\":\"disagreements\"}", 200)
            .getJsonArray("rows")
            .size());

    // Two models of one run compared pairwise: name the targets.
    JsonObject pairwise =
        compare(
            "{\"baseline\":{\"runId\":\""
                + runId
                + "\",\"model\":\"good\"},\"candidate\":{\"runId\":\""
                + runId
                + "\",\"model\":\"bad\"}}",
            200);
    assertEquals(6, pairwise.getJsonObject("passRate").getInt("regressions"));
    assertEquals(
        exactMcNemar(6),
        pairwise.getJsonObject("passRate").getJsonNumber("pValue").doubleValue(),
        1e-12);
    assertEquals("regressed", pairwise.getString("verdict"));

    // Without a target name the run's two targets are ambiguous.
    JsonObject ambiguous = compare(runs(runId, runId, ""), 400);
    assertTrue(ambiguous.getString("detail").contains("several targets"), ambiguous.toString());
    JsonObject unknownTarget =
        compare(
            "{\"baseline\":{\"runId\":\""
                + runId
                + "\",\"model\":\"nope\"},\"candidate\":{\"runId\":\""
                + runId
                + "\",\"model\":\"bad\"}}",
            400);
    assertEquals(
        "baseline.model",
        unknownTarget.getJsonArray("violations").getJsonObject(0).getString("field"));
  }

  @Test
  void shouldScoreTheConsistencyOfRepeats() {
    // Sums 3, 6, 9, 12, 15, 18: the wavering model gets even sums right every time and odd sums
    // right on one of two calls.
    String dataset = Fixtures.sumDataset(6);
    String runId = run(dataset, 2, target(provider, "wavering", null));
    JsonObject run = completed(runId);
    JsonObject t = run.getJsonObject("summary").getJsonArray("targets").getJsonObject(0);
    assertEquals(9, t.getInt("passed"));
    assertEquals(6, t.getInt("cases"));
    JsonObject c = t.getJsonObject("consistency");
    assertEquals(6, c.getInt("cases"));
    assertEquals(2, c.getInt("k"));
    assertEquals(0.5, c.getJsonNumber("consistentShare").doubleValue(), 1e-12);
    assertEquals(0.5, c.getJsonNumber("pairwiseAgreement").doubleValue(), 1e-12);
    assertEquals(1.0, c.getJsonNumber("passAtK").doubleValue(), 1e-12);
    assertEquals(0.5, c.getJsonNumber("passAllK").doubleValue(), 1e-12);
    // Scores 1 and 0 on the odd sums: sd sqrt(0.5) on half the cases.
    assertEquals(Math.sqrt(0.5) / 2, c.getJsonNumber("meanScoreStdDev").doubleValue(), 1e-12);

    JsonObject gql =
        graphql(
            "query($id: ID!) { benchmark(id: $id) { summary { bootstrapSeed confidence targets {"
                + " latencyP99Ms cases consistency { consistentShare passAtK k } metrics { metric"
                + " mean passRate stdErr meanLower meanUpper } } } } }",
            Json.createObjectBuilder().add("id", runId).build());
    assertFalse(gql.containsKey("errors"), gql.toString());
    JsonObject s = gql.getJsonObject("data").getJsonObject("benchmark").getJsonObject("summary");
    assertEquals(42, s.getInt("bootstrapSeed"));
    JsonObject gt = s.getJsonArray("targets").getJsonObject(0);
    assertEquals(
        0.5, gt.getJsonObject("consistency").getJsonNumber("consistentShare").doubleValue(), 1e-12);
    JsonObject gm = gt.getJsonArray("metrics").getJsonObject(0);
    assertEquals("numeric-answer", gm.getString("metric"));
    assertEquals(0.75, gm.getJsonNumber("passRate").doubleValue(), 1e-12);
  }

  @Test
  void shouldExplainBadComparisonRequests() {
    String dataset = Fixtures.sumDataset(2);
    String slow = run(dataset, 1, target(provider, "slow", null));
    JsonObject running = compare(runs(slow, slow, ""), 409);
    assertEquals("Run not completed", running.getString("title"));
    assertTrue(running.getString("detail").contains(slow));
    post("/benchmarks/" + slow + "/cancel", "{}");

    JsonObject unknown = compare(runs("00000000-0000-0000-0000-000000000000", slow, ""), 404);
    assertEquals(
        "baseline.runId", unknown.getJsonArray("violations").getJsonObject(0).getString("field"));
    compare("{}", 400);
    compare("{\"runId\":\"" + slow + "\",\"baseline\":{\"runId\":\"" + slow + "\"}}", 400);
    compare("{\"runId\":\"not-a-uuid\"}", 400);
    JsonObject cases = compare("{\"runId\":\"" + slow + "\",\"cases\":\"sideways\"}", 400);
    assertTrue(cases.getString("detail").contains("disagreements"), cases.toString());
    compare(runs(slow, slow, ",\"alpha\":1.5"), 400);
    compare("{\"runId\":\"" + slow + "\",\"cursor\":\"bogus\"}", 400);
  }
}
