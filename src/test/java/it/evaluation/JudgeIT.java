package it.evaluation;

import static it.support.Api.get;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLM-as-judge end to end: a run graded by llm-rubric with the loopback OpenAI stub as judge, judge
 * usage stored apart from the tested model's, the evaluation cache on a second run, and POST
 * /api/v1/evaluate with a judge.
 */
class JudgeIT {

  static OpenAiStub stub;
  static String provider;

  @BeforeAll
  static void start() throws Exception {
    stub = new OpenAiStub(0);
    provider = Fixtures.registerStub(stub, null);
  }

  @AfterAll
  static void stop() {
    stub.close();
  }

  private static String rubricRun(String datasetId, String model, String judge) {
    Api.Res res =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"targets\":[{\"provider\":\""
                + provider
                + "\",\"model\":\""
                + model
                + "\"}],\"assertions\":[{\"type\":\"llm-rubric\",\"value\":\"The final answer is"
                + " {{sum}}\",\"provider\":\""
                + judge
                + "\"}]}");
    assertEquals(202, res.status(), res.toString());
    String id = res.json().getString("id");
    JsonObject done = Api.awaitRunEnd(id, Duration.ofSeconds(90));
    assertEquals("completed", done.getString("status"), done.toString());
    return id;
  }

  private static String judgedDataset() {
    StringBuilder cases = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      cases
          .append(i == 1 ? "" : ",")
          .append("{\"id\":\"sum-")
          .append(i)
          .append("\",\"vars\":{\"a\":")
          .append(i)
          .append(",\"b\":")
          .append(i * 2)
          .append(",\"sum\":")
          .append(i * 3)
          .append("}}");
    }
    Api.Res res =
        post(
            "/datasets",
            "{\"name\":\""
                + Fixtures.unique("judged")
                + "\",\"promptTemplate\":\"What is {{a}} + {{b}}?\",\"testCases\":["
                + cases
                + "]}");
    assertEquals(201, res.status(), res.toString());
    return res.json().getString("id");
  }

  private static Map<String, JsonObject> results(String runId) {
    Map<String, JsonObject> out = new HashMap<>();
    for (JsonValue v : get("/results?runId=" + runId + "&limit=100").json().getJsonArray("items")) {
      out.put(v.asJsonObject().getString("testId"), v.asJsonObject());
    }
    return out;
  }

  @Test
  void shouldGradeARunWithAJudgeAccountItApartAndCacheVerdicts() {
    String datasetId = judgedDataset();
    int before = stub.requests().size();
    String good = rubricRun(datasetId, "good", provider + ":judge");
    Map<String, JsonObject> goodResults = results(good);
    assertEquals(3, goodResults.size());
    for (JsonObject r : goodResults.values()) {
      assertTrue(r.getBoolean("passed"), r.toString());
      JsonObject verdict = r.getJsonArray("assertions").getJsonObject(0);
      assertEquals("llm-rubric", verdict.getString("type"));
      assertTrue(verdict.getString("reason").contains("the output ends with ####"), r.toString());
      assertTrue(verdict.getString("reason").contains("llm-rubric@1"), r.toString());
      JsonObject grading = r.getJsonObject("grading");
      assertEquals(1, grading.getInt("calls"), r.toString());
      assertTrue(grading.getInt("totalTokens") > 0, r.toString());
      assertEquals(1, grading.getInt("cacheMisses"));
      // The tested model's tokens stay its own: the judge's much longer prompt is not in them.
      assertTrue(r.getInt("promptTokens") < grading.getInt("promptTokens"), r.toString());
    }
    long judgeRequests =
        stub.requests().stream()
            .skip(before)
            .filter(q -> q.body().getString("model").equals("judge"))
            .count();
    assertEquals(3, judgeRequests);
    // The summary sums grading apart from the tested model's own tokens.
    JsonObject overall =
        get("/benchmarks/" + good).json().getJsonObject("summary").getJsonObject("overall");
    assertEquals(3, overall.getInt("gradingCalls"), overall.toString());
    int judgeTokens = 0;
    for (JsonObject r : goodResults.values()) {
      judgeTokens += r.getJsonObject("grading").getInt("totalTokens");
    }
    assertEquals(judgeTokens, overall.getInt("gradingTokens"), overall.toString());
    assertTrue(overall.getInt("totalTokens") < judgeTokens, overall.toString());
    JsonObject judgeRequest =
        stub.requests().stream()
            .filter(q -> q.body().getString("model").equals("judge"))
            .findFirst()
            .orElseThrow()
            .body();
    assertEquals("json_schema", judgeRequest.getJsonObject("response_format").getString("type"));

    Map<String, JsonObject> bad = results(rubricRun(datasetId, "bad", provider + ":judge"));
    for (JsonObject r : bad.values()) {
      assertFalse(r.getBoolean("passed"), r.toString());
      assertTrue(
          r.getJsonArray("assertions")
              .getJsonObject(0)
              .getString("reason")
              .contains("the final answer is wrong"));
    }

    // The same outputs graded again: every verdict comes from the evaluation cache.
    int judgeCallsBefore = countJudgeCalls();
    Map<String, JsonObject> again = results(rubricRun(datasetId, "good", provider + ":judge"));
    assertEquals(judgeCallsBefore, countJudgeCalls(), "no judge call on the second run");
    for (JsonObject r : again.values()) {
      assertTrue(r.getBoolean("passed"));
      JsonObject grading = r.getJsonObject("grading");
      assertEquals(1, grading.getInt("cacheHits"), r.toString());
      assertEquals(0, grading.getInt("calls"));
      assertTrue(
          r.getJsonArray("assertions")
              .getJsonObject(0)
              .getString("reason")
              .endsWith("[evaluation cache]"));
    }
    JsonObject stats = get("/evaluation/cache").json();
    assertTrue(stats.getInt("hits") >= 3, stats.toString());
    assertTrue(stats.getInt("entries") >= 6, stats.toString());
    assertTrue(stats.getJsonNumber("hitRate").doubleValue() > 0, stats.toString());
    assertTrue(
        get(Api.BASE + "/metrics").body().contains("llm_evaluation_cache_hits_total"),
        "cache hits are exported");
  }

  private static int countJudgeCalls() {
    return (int)
        stub.requests().stream()
            .filter(q -> q.body().getString("model").startsWith("judge"))
            .count();
  }

  @Test
  void shouldEvaluateWithAJudgeRetryingMalformedAnswers() {
    Api.Res res =
        post(
            "/evaluate",
            "{\"output\":\"So the answer is\\n#### 12\",\"vars\":{\"n\":12},\"assertions\":["
                + "{\"type\":\"llm-rubric\",\"value\":\"The final answer is {{n}}\",\"provider\":\""
                + provider
                + ":judge-flaky\",\"options\":{\"retries\":1}},"
                + "{\"type\":\"not-llm-rubric\",\"value\":\"The final answer is 13\",\"provider\":\""
                + provider
                + ":judge\"}]}");
    assertEquals(200, res.status(), res.toString());
    JsonObject e = res.json();
    assertTrue(e.getBoolean("pass"), e.toString());
    JsonObject grading = e.getJsonObject("grading");
    // judge-flaky answered prose first, then valid JSON: two calls; the negated one: one more.
    assertEquals(3, grading.getInt("calls"), e.toString());
    assertNotNull(grading.get("totalTokens"));
  }

  @Test
  void shouldRejectUnknownJudgesAtEvaluateAndRunCreation() {
    Api.Res evaluate =
        post(
            "/evaluate",
            "{\"output\":\"x\",\"assertions\":[{\"type\":\"llm-rubric\",\"value\":\"is x\","
                + "\"provider\":\"no-such-judge\"}]}");
    assertEquals(400, evaluate.status(), evaluate.toString());
    assertTrue(evaluate.contentType().startsWith("application/problem+json"));
    assertTrue(evaluate.json().getString("detail").contains("no-such-judge"), evaluate.toString());

    Api.Res run =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + Fixtures.sumDataset(1)
                + "\",\"targets\":[{\"provider\":\""
                + provider
                + "\",\"model\":\"good\"}],\"assertions\":[{\"type\":\"factuality\","
                + "\"provider\":\"no-such-judge:gpt\"}]}");
    assertEquals(400, run.status(), run.toString());
    assertTrue(run.json().getString("detail").contains("no-such-judge"), run.toString());
  }

  @Test
  void shouldListVersionedJudgePrompts() {
    JsonObject judges = get("/evaluation/judges").json();
    boolean rubric = false;
    for (JsonValue v : judges.getJsonArray("prompts")) {
      JsonObject p = v.asJsonObject();
      assertFalse(p.getString("version").isBlank());
      assertTrue(p.getString("schema").startsWith("{"), p.toString());
      rubric |= p.getString("id").equals("llm-rubric");
    }
    assertTrue(rubric, judges.toString());
  }
}
