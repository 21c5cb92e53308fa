package it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;

/** Starting a run and reading its results as the REST API lists them, page by page. */
public final class RunResults {

  private RunResults() {}

  /**
   * Starts a run of one target of the stub provider over two partitions without the response cache;
   * returns its id.
   */
  public static String start(String provider, String datasetId, String model, int concurrency) {
    return start(Api.API, provider, datasetId, model, concurrency, 2);
  }

  /**
   * Starts such a run on the server whose API is at {@code api} (e.g. another server's {@code
   * http://localhost:port/api/v1}) over {@code partitions} partitions; returns its id.
   */
  public static String start(
      String api,
      String provider,
      String datasetId,
      String model,
      int concurrency,
      int partitions) {
    Api.Res created =
        Api.post(
            api + "/benchmarks",
            Json.createObjectBuilder()
                .add("datasetId", datasetId)
                .add(
                    "targets",
                    Json.createArrayBuilder()
                        .add(
                            Json.createObjectBuilder()
                                .add("provider", provider)
                                .add("model", model)))
                .add("concurrency", concurrency)
                .add("partitions", partitions)
                .add("cache", false)
                .build()
                .toString());
    if (created.status() != 202) {
      throw new AssertionError("Run not started: " + created);
    }
    return created.json().getString("id");
  }

  /** How many results the run has per item key: exactly one each when nothing was duplicated. */
  public static Map<Integer, Integer> countsByItemKey(String runId) {
    Map<Integer, Integer> counts = new TreeMap<>();
    idsByItemKey(runId).forEach((key, ids) -> counts.put(key, ids.size()));
    return counts;
  }

  /** The ids of the run's results per item key. */
  public static Map<Integer, List<String>> idsByItemKey(String runId) {
    Map<Integer, List<String>> ids = new TreeMap<>();
    for (JsonObject r : all(runId)) {
      ids.computeIfAbsent(r.getInt("itemKey"), k -> new ArrayList<>()).add(r.getString("id"));
    }
    return ids;
  }

  /** How many of the run's results each server executed, by server name (after the last '/'). */
  public static Map<String, Integer> countsByServerName(String runId) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonObject r : all(runId)) {
      String server = r.getString("serverId");
      counts.merge(server.substring(server.lastIndexOf('/') + 1), 1, Integer::sum);
    }
    return counts;
  }

  /** Every result of the run, as GET /results lists them, page by page. */
  public static List<JsonObject> all(String runId) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    do {
      Api.Res res =
          Api.get(
              "/results?runId="
                  + runId
                  + "&limit=500"
                  + (cursor == null
                      ? ""
                      : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      if (res.status() != 200) {
        throw new AssertionError("Results not listed: " + res);
      }
      JsonObject page = res.json();
      for (JsonValue r : page.getJsonArray("items")) {
        all.add(r.asJsonObject());
      }
      cursor = page.get("nextCursor") instanceof JsonString s ? s.getString() : null;
    } while (cursor != null);
    return all;
  }

  /** Every figure of the summary that does not depend on timing. */
  private static final String[] TOTALS = {
    "results",
    "passed",
    "failed",
    "errors",
    "passRate",
    "meanScore",
    "promptTokens",
    "completionTokens",
    "totalTokens",
    "totalCost",
    "retries",
    "cacheHits",
    "passRateLower",
    "passRateUpper",
    "meanScoreLower",
    "meanScoreUpper",
    "cases"
  };

  /** The summaries agree in every figure that does not depend on timing. */
  public static void assertSameTotals(JsonObject expected, JsonObject actual) {
    Assertions.assertEquals(expected.get("total"), actual.get("total"));
    Assertions.assertEquals(expected.get("completed"), actual.get("completed"));
    JsonObject et = expected.getJsonArray("targets").getJsonObject(0);
    JsonObject at = actual.getJsonArray("targets").getJsonObject(0);
    for (String key : TOTALS) {
      Assertions.assertEquals(
          expected.getJsonObject("overall").get(key),
          actual.getJsonObject("overall").get(key),
          "overall " + key);
      Assertions.assertEquals(et.get(key), at.get(key), "target " + key);
    }
  }
}
