package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /results: cursor paging in a stable order, every filter (run, provider, model, status, date
 * range, tags, minimum score overall and per metric), full-text search over prompts and responses,
 * and a 400 naming the parameter for each bad filter. A run of six capitals on two models: {@code
 * oracle} answers right, {@code echo} repeats the prompt.
 */
class ResultQueryIT {

  static String runId;
  static String word = "zqx" + (100000 + new java.util.Random().nextInt(900000));
  static List<JsonObject> all;

  @BeforeAll
  static void run() {
    String[][] cases = {
      {"fr", "France", "Paris", "europe"},
      {"de", "Germany", "Berlin", "europe"},
      {"it", "Italy", "Rome", "europe"},
      {"jp", "Japan", "Tokyo", "asia"},
      {"kr", "Korea", "Seoul", "asia"},
      {"ca", "Canada", "Ottawa", "america"}
    };
    StringBuilder tcs = new StringBuilder();
    for (String[] c : cases) {
      tcs.append(tcs.isEmpty() ? "" : ",")
          .append("{\"id\":\"" + c[0] + "\",\"vars\":{\"country\":\"" + c[1] + "\"},")
          .append("\"expected\":\"" + c[2] + (c[0].equals("jp") ? " " + word : "") + "\",")
          .append("\"tags\":[\"" + c[3] + "\",\"capitals\"]}");
    }
    Api.Res ds =
        Api.post(
            "/datasets",
            "{\"name\":\"capitals-"
                + word
                + "\",\"promptTemplate\":\"What is the capital city of {{country}}?\","
                + "\"assertions\":[{\"type\":\"equals\"},{\"type\":\"icontains\",\"value\":\"a\","
                + "\"metric\":\"has-a\"}],\"testCases\":["
                + tcs
                + "]}");
    assertEquals(201, ds.status(), ds.toString());
    Api.Res created =
        Api.post(
            "/benchmarks",
            "{\"datasetId\":\""
                + ds.json().getString("id")
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"oracle\","
                + "\"options\":{\"answer\":\"expected\"}},{\"provider\":\"simulator\",\"model\":\"echo\"}],"
                + "\"cache\":false}");
    assertEquals(202, created.status(), created.toString());
    runId = created.json().getString("id");
    assertEquals("completed", Api.awaitRunEnd(runId, Duration.ofMinutes(2)).getString("status"));
    all = items("");
    assertEquals(12, all.size());
  }

  /** Every result of the run matching the extra parameters, page by page with the given limit. */
  static List<JsonObject> items(String params, int limit) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      Api.Res res =
          Api.get(
              "/results?runId="
                  + runId
                  + params
                  + "&limit="
                  + limit
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, res.status(), res.toString());
      JsonObject page = res.json();
      assertTrue(page.getJsonArray("items").size() <= limit);
      page.getJsonArray("items").forEach(v -> out.add(v.asJsonObject()));
      cursor = page.containsKey("nextCursor") ? page.getString("nextCursor") : null;
    } while (cursor != null);
    return out;
  }

  static List<JsonObject> items(String params) {
    return items(params, 1000);
  }

  static Set<String> keys(List<JsonObject> results) {
    Set<String> out = new HashSet<>();
    results.forEach(r -> out.add(r.getString("model") + "/" + r.getString("testId")));
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void pagesWalkEveryResultOnceInTheSameOrder() {
    List<JsonObject> byTwo = items("", 2);
    assertEquals(
        all.stream().map(r -> r.getString("id")).toList(),
        byTwo.stream().map(r -> r.getString("id")).toList());
    List<JsonObject> byFive = items("", 5);
    assertEquals(byTwo, byFive);
  }

  @Test
  void filtersByTargetStatusAndTags() {
    assertEquals(6, items("&model=oracle").size());
    assertEquals(12, items("&provider=simulator").size());
    assertEquals(0, items("&provider=nobody").size());
    // success: every assertion passed (has-a fails on Berlin, Rome, Tokyo, Seoul)
    assertEquals(Set.of("oracle/fr", "oracle/ca"), keys(items("&status=success")));
    assertEquals(10, items("&passed=false").size());
    assertEquals(10, items("&status=failure").size());
    assertEquals(Set.of("oracle/jp", "oracle/kr", "echo/jp", "echo/kr"), keys(items("&tag=asia")));
    assertEquals(4, items("&tag=asia&tag=capitals").size());
    assertEquals(0, items("&tag=asia&tag=europe").size());
  }

  @Test
  void filtersByDateRange() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String created = all.get(0).getString("createdAt");
    assertEquals(12, items("&from=" + today.minusDays(1)).size());
    assertEquals(0, items("&from=" + today.plusDays(1)).size());
    assertEquals(0, items("&to=" + today.minusDays(1)).size());
    assertEquals(
        12, items("&from=" + enc("2020-01-01T00:00:00Z") + "&to=" + today.plusDays(1)).size());
    List<JsonObject> after = items("&from=" + enc(created));
    assertFalse(after.isEmpty());
    assertTrue(after.size() <= 12);
  }

  @Test
  void filtersByMinimumScores() {
    // oracle: equals 1; has-a 1 only for Paris and Ottawa. echo: equals 0, has-a 1 (the prompt)
    assertEquals(
        Set.of("oracle/fr", "oracle/it", "oracle/jp", "oracle/kr", "oracle/ca", "oracle/de"),
        keys(items("&minScore=equals:1")));
    assertEquals(
        Set.of("oracle/fr", "oracle/ca"), keys(items("&minScore=equals:1&minScore=has-a:1")));
    assertEquals(8, items("&minScore=has-a:1").size());
    for (JsonObject r : items("&minScore=0.75")) {
      assertTrue(r.getJsonNumber("score").doubleValue() >= 0.75, r.toString());
    }
    assertEquals(0, items("&minScore=no-such-metric:0").size());
  }

  @Test
  void searchesPromptsAndResponses() {
    // only in the oracle's answer for Japan
    assertEquals(Set.of("oracle/jp"), keys(items("&q=" + word)));
    // in both models' prompts (English stemming: "capitals" finds "capital")
    assertEquals(Set.of("oracle/jp", "echo/jp"), keys(items("&q=Japan")));
    assertEquals(12, items("&q=" + enc("capitals city")).size());
    assertEquals(10, items("&q=" + enc("capital -japan")).size());
    assertEquals(
        Set.of("oracle/fr", "echo/fr", "oracle/de", "echo/de"),
        keys(items("&q=" + enc("france or germany"))));
    assertEquals(2, items("&q=" + enc("\"capital city of Italy\"")).size());
    assertEquals(Set.of("echo/jp"), keys(items("&q=Japan&model=echo")));
  }

  @Test
  void exportTakesTheSameFilters() {
    JsonArray exported =
        Api.parse(
                Api.post(
                        "/results/export",
                        "{\"format\":\"json\",\"runId\":\""
                            + runId
                            + "\",\"tags\":[\"europe\"],\"minScore\":[\"equals:1\"],\"q\":\"capital\"}")
                    .body())
            .asJsonArray();
    Set<String> ids = new HashSet<>();
    exported.forEach(v -> ids.add(v.asJsonObject().getString("id")));
    Set<String> listed = new HashSet<>();
    items("&tag=europe&minScore=equals:1&q=capital").forEach(r -> listed.add(r.getString("id")));
    assertEquals(3, ids.size());
    assertEquals(listed, ids);
  }

  @Test
  void badFiltersAreProblemsNamingTheParameter() {
    badParameter("&from=yesterday", "from");
    badParameter("&to=2026-13-40", "to");
    badParameter("&from=2026-11-02&to=2026-11-01", "to");
    badParameter("&minScore=high", "minScore");
    badParameter("&minScore=" + enc(":0.5"), "minScore");
    badParameter("&tag=", "tag");
    badParameter("&status=done", "status");
    badParameter("&q=" + "x".repeat(501), "q");
    Api.Res res = Api.get("/results?runId=not-a-uuid");
    assertEquals(400, res.status());
    assertEquals(
        "runId", res.json().getJsonArray("violations").getJsonObject(0).getString("field"));
    Api.Res export =
        Api.post(
            "/results/export", "{\"format\":\"csv\",\"runId\":\"" + runId + "\",\"to\":\"x\"}");
    assertEquals(400, export.status());
    assertEquals(
        "to", export.json().getJsonArray("violations").getJsonObject(0).getString("field"));
  }

  static void badParameter(String params, String name) {
    Api.Res res = Api.get("/results?runId=" + runId + params);
    assertEquals(400, res.status(), params + " -> " + res);
    assertTrue(res.contentType().startsWith("application/problem+json"), res.contentType());
    JsonArray violations = res.json().getJsonArray("violations");
    assertEquals(name, violations.getJsonObject(0).getString("field"), res.body());
    assertTrue(res.json().getString("detail").contains(name), res.body());
  }
}
