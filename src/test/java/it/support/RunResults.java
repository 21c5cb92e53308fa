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

/** Starting a run and reading its results as the REST API lists them, page by page. */
public final class RunResults {

  private RunResults() {}

  /**
   * Starts a run of one target of the stub provider over two partitions without the response cache;
   * returns its id.
   */
  public static String start(String provider, String datasetId, String model, int concurrency) {
    Api.Res created =
        Api.post(
            "/benchmarks",
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
                .add("partitions", 2)
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
        ids.computeIfAbsent(r.asJsonObject().getInt("itemKey"), k -> new ArrayList<>())
            .add(r.asJsonObject().getString("id"));
      }
      cursor = page.get("nextCursor") instanceof JsonString s ? s.getString() : null;
    } while (cursor != null);
    return ids;
  }
}
