package it.dataset;

import static it.support.Api.get;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Imports a promptfoo config and a CSV over REST, runs them against the OpenAI-protocol stub, and
 * checks every case's verdict; runs recorded outputs of two models without calling anything.
 */
class ImportRunIT {

  private static final String PROMPTFOO =
      "description: Sums, promptfoo style\n"
          + "prompts:\n"
          + "  - \"What is {{ a }} + {{ b }}? End with '#### <number>'.\"\n"
          + "providers:\n"
          + "  - openai:chat:good\n"
          + "  - id: openai:bad\n"
          + "    label: the bad one\n"
          + "defaultTest:\n"
          + "  assert:\n"
          + "    - type: not-icontains\n"
          + "      value: sorry\n"
          + "    - type: regex\n"
          + "      value: '#### \\d+'\n"
          + "tests:\n"
          + "  - description: small\n"
          + "    vars: {a: 2, b: 3}\n"
          + "    assert:\n"
          + "      - type: contains\n"
          + "        value: '#### {{ a + b }}'\n"
          + "      - type: not-contains\n"
          + "        value: '#### 6'\n"
          + "  - description: large\n"
          + "    vars: {a: 10, b: 20}\n"
          + "    assert:\n"
          + "      - type: rouge-n\n"
          + "        value: Adding the numbers gives 30\n"
          + "        threshold: 0.5\n"
          + "        metric: wording\n";

  @Test
  void shouldRunAPromptfooConfigUnchangedAgainstItsProviders() throws Exception {
    try (OpenAiStub stub = new OpenAiStub(0)) {
      String provider = Fixtures.registerStub(stub, null);
      Api.Res imported =
          post(
              "/datasets/import?format=promptfoo&providerMap=openai%3D" + provider,
              "application/yaml",
              PROMPTFOO);
      assertEquals(201, imported.status(), imported.toString());
      JsonObject dataset = imported.json();
      assertEquals("Sums, promptfoo style", dataset.getString("name"));
      assertEquals(2, dataset.getInt("testCaseCount"));
      assertEquals(2, dataset.getJsonArray("targets").size());
      assertEquals(
          provider, dataset.getJsonArray("targets").getJsonObject(0).getString("provider"));

      // No targets: the run uses the config's providers.
      Api.Res created = post("/benchmarks", "{\"datasetId\":\"" + dataset.getString("id") + "\"}");
      assertEquals(202, created.status(), created.toString());
      JsonObject run = Api.awaitRunEnd(created.json().getString("id"), Duration.ofSeconds(60));
      assertEquals("completed", run.getString("status"), run.toString());

      Map<String, JsonObject> verdicts = results(run.getString("id"));
      assertEquals(4, verdicts.size(), verdicts.keySet().toString());
      assertTrue(verdicts.get("good/test-1").getBoolean("passed"), verdicts.toString());
      assertTrue(verdicts.get("good/test-2").getBoolean("passed"), verdicts.toString());
      assertFalse(verdicts.get("bad/test-1").getBoolean("passed"));
      assertFalse(verdicts.get("bad/test-2").getBoolean("passed"));
      // The bad model's "#### 6" trips the negated assertion; its wording misses the threshold.
      JsonObject bad1 = verdicts.get("bad/test-1");
      assertEquals(0.0, bad1.getJsonObject("scores").getJsonNumber("not-contains").doubleValue());
      assertEquals(1.0, bad1.getJsonObject("scores").getJsonNumber("regex").doubleValue());
      assertTrue(
          verdicts.get("bad/test-2").getJsonObject("scores").getJsonNumber("wording").doubleValue()
              < 0.5);
      assertTrue(
          verdicts.get("good/test-2").getJsonObject("scores").getJsonNumber("wording").doubleValue()
              >= 0.5);
      assertEquals(4, stub.requests().stream().filter(r -> r.body() != null).count());
    }
  }

  @Test
  void shouldRefuseUnsupportedPromptfooAssertionsAndStoreNothing() {
    String name = Fixtures.unique("refused");
    String config =
        PROMPTFOO
            + "  - vars: {a: 1, b: 1}\n"
            + "    assert:\n"
            + "      - type: javascript\n"
            + "        value: output.includes('2')\n";
    Api.Res refused =
        post("/datasets/import?format=promptfoo&name=" + name, "application/yaml", config);
    assertEquals(400, refused.status(), refused.toString());
    assertTrue(refused.contentType().startsWith("application/problem+json"));
    assertTrue(refused.json().getString("detail").contains("'javascript'"), refused.toString());
    assertTrue(refused.json().getString("detail").contains("skipUnsupported=true"));
    assertTrue(
        refused
            .json()
            .getJsonArray("violations")
            .getJsonObject(0)
            .getString("field")
            .contains("tests[2].assert[2]"),
        refused.toString());
    assertFalse(get("/datasets?limit=500").body().contains(name));

    Api.Res skipped =
        post(
            "/datasets/import?format=promptfoo&skipUnsupported=true&name=" + name,
            "application/yaml",
            config);
    assertEquals(201, skipped.status(), skipped.toString());
    assertTrue(
        skipped
            .json()
            .getJsonObject("metadata")
            .getJsonArray("importWarnings")
            .toString()
            .contains("javascript"));
  }

  @Test
  void shouldRunACsvWithPromptfooExpectedColumns() throws Exception {
    String csv =
        "a,b,__expected1,__expected2,__description\n"
            + "1,2,contains: #### 3,not-icontains: sorry,three\n"
            + "4,5,\"contains-any: #### 9, #### nine\",,nine\n"
            + "7,7,equals: 14,,never equal to the whole answer\n";
    try (OpenAiStub stub = new OpenAiStub(0)) {
      String provider = Fixtures.registerStub(stub, null);
      String template =
          URLEncoder.encode(
              "What is {{ a }} + {{ b }}? End with '#### <number>'.", StandardCharsets.UTF_8);
      Api.Res imported =
          post(
              "/datasets/import?name=" + Fixtures.unique("csv") + "&promptTemplate=" + template,
              "text/csv",
              csv);
      assertEquals(201, imported.status(), imported.toString());
      assertEquals(3, imported.json().getInt("testCaseCount"));
      Api.Res created =
          post(
              "/benchmarks",
              "{\"datasetId\":\""
                  + imported.json().getString("id")
                  + "\",\"targets\":[{\"provider\":\""
                  + provider
                  + "\",\"model\":\"good\"}]}");
      assertEquals(202, created.status(), created.toString());
      JsonObject run = Api.awaitRunEnd(created.json().getString("id"), Duration.ofSeconds(60));
      assertEquals("completed", run.getString("status"), run.toString());
      Map<String, JsonObject> verdicts = results(run.getString("id"));
      assertTrue(verdicts.get("good/case-0").getBoolean("passed"), verdicts.toString());
      assertTrue(verdicts.get("good/case-1").getBoolean("passed"), verdicts.toString());
      assertFalse(verdicts.get("good/case-2").getBoolean("passed"), verdicts.toString());
    }
  }

  @Test
  void shouldReportTheRowAndColumnOfABadCsvCell() {
    Api.Res refused =
        post(
            "/datasets/import?name=x&promptTemplate=%7B%7Bq%7D%7D",
            "text/csv", "q,__expected\nfine,contains: a\nbad,python: len(output) > 1\n");
    assertEquals(400, refused.status(), refused.toString());
    String field = refused.json().getJsonArray("violations").getJsonObject(0).getString("field");
    assertTrue(field.startsWith("row 2 (line 3), column '__expected'"), field);
  }

  @Test
  void shouldScoreRecordedOutputsOfTwoModelsWithoutCallingAnyProvider() throws Exception {
    String yaml =
        "promptTemplate: 'Capital of {{ country }}?'\n"
            + "cases:\n"
            + "  - id: fr\n"
            + "    vars: {country: France}\n"
            + "    assert: [{type: icontains, value: paris}]\n"
            + "    outputs:\n"
            + "      model-a: {output: 'Paris.', latencyMs: 120, promptTokens: 5,"
            + " completionTokens: 2, cost: 0.001}\n"
            + "      model-b: 'Lyon, I believe.'\n"
            + "  - id: de\n"
            + "    vars: {country: Germany}\n"
            + "    assert: [{type: icontains, value: berlin}]\n"
            + "    outputs:\n"
            + "      model-a: Berlin\n"
            + "      model-b: Berlin!\n"
            + "  - id: it\n"
            + "    vars: {country: Italy}\n"
            + "    output: Rome\n"
            + "    model: model-a\n";
    Api.Res imported =
        post(
            "/datasets/import?format=yaml&name=" + Fixtures.unique("recorded"),
            "application/yaml",
            yaml);
    assertEquals(201, imported.status(), imported.toString());
    JsonObject dataset = imported.json();
    assertEquals(2, dataset.getJsonArray("targets").size(), dataset.toString());
    assertEquals(
        "recorded", dataset.getJsonArray("targets").getJsonObject(0).getString("provider"));

    Api.Res created = post("/benchmarks", "{\"datasetId\":\"" + dataset.getString("id") + "\"}");
    assertEquals(202, created.status(), created.toString());
    JsonObject run = Api.awaitRunEnd(created.json().getString("id"), Duration.ofSeconds(60));
    assertEquals("completed", run.getString("status"), run.toString());

    Map<String, JsonObject> byModel = new HashMap<>();
    for (JsonValue t : run.getJsonObject("summary").getJsonArray("targets")) {
      byModel.put(t.asJsonObject().getString("model"), t.asJsonObject());
    }
    assertEquals("recorded", byModel.get("model-a").getString("provider"));
    assertEquals(1.0, byModel.get("model-a").getJsonNumber("passRate").doubleValue(), 1e-9);
    assertEquals(3, byModel.get("model-a").getInt("passed"));
    assertEquals(1, byModel.get("model-b").getInt("passed"));
    assertEquals(1, byModel.get("model-b").getInt("failed"));
    assertEquals(1, byModel.get("model-b").getInt("errors"));

    Map<String, JsonObject> verdicts = results(run.getString("id"));
    JsonObject fr = verdicts.get("model-a/fr");
    assertEquals("recorded", fr.getString("provider"));
    assertEquals("Paris.", fr.getString("response"));
    assertEquals(120.0, fr.getJsonNumber("latencyMs").doubleValue(), 1e-9);
    assertEquals(7, fr.getInt("totalTokens"));
    assertEquals(0.001, fr.getJsonNumber("cost").doubleValue(), 1e-12);
    assertEquals("Capital of France?", fr.getString("prompt"));
    JsonObject missing = verdicts.get("model-b/it");
    assertEquals("error", missing.getString("status"));
    assertTrue(
        missing.getString("error").contains("no recorded output for model 'model-b'"),
        missing.toString());
  }

  /** The run's results keyed by model/testId. */
  private static Map<String, JsonObject> results(String runId) {
    Api.Res page = get("/results?runId=" + runId + "&limit=100");
    assertEquals(200, page.status(), page.toString());
    Map<String, JsonObject> byKey = new HashMap<>();
    for (JsonValue v : page.json().getJsonArray("items")) {
      JsonObject r = v.asJsonObject();
      byKey.put(r.getString("model") + "/" + r.getString("testId"), r);
    }
    return byKey;
  }
}
