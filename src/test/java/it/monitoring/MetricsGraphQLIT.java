package it.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The GraphQL metrics query answers the application's metrics, filtered by labels. */
class MetricsGraphQLIT {

  private static final String QUERY =
      "query($l:[LabelInput]){metrics(labels:$l){name type labels{name value} value count sum}}";

  @Test
  void shouldAnswerOnlyTheMetricsCarryingEveryGivenLabel() throws Exception {
    String provider;
    try (OpenAiStub stub = new OpenAiStub(0)) {
      provider = Fixtures.registerStub(stub, null);
      String runId =
          Fixtures.startRun(provider, "good", Fixtures.sumDataset(2), "").json().getString("id");
      Api.awaitRunEnd(runId, Duration.ofSeconds(60));
    }
    JsonArray mine = metrics(Json.createArrayBuilder().add(label("provider", provider)).build());
    assertFalse(mine.isEmpty(), "no metric of provider " + provider);
    for (JsonValue v : mine) {
      JsonObject m = v.asJsonObject();
      assertTrue(
          m.getJsonArray("labels").stream()
              .map(JsonValue::asJsonObject)
              .anyMatch(
                  l ->
                      l.getString("name").equals("provider")
                          && l.getString("value").equals(provider)),
          m.toString());
    }
    JsonObject requests =
        mine.stream()
            .map(JsonValue::asJsonObject)
            .filter(m -> m.getString("name").equals("llm_provider_requests"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no llm_provider_requests in " + mine));
    assertEquals("counter", requests.getString("type"));
    assertEquals(2.0, requests.getJsonNumber("value").doubleValue(), requests.toString());

    JsonObject latency =
        metrics(
                Json.createArrayBuilder()
                    .add(label("provider", provider))
                    .add(label("model", "good"))
                    .build())
            .stream()
            .map(JsonValue::asJsonObject)
            .filter(m -> m.getString("type").equals("timer"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no timer for " + provider + "/good"));
    assertEquals(2, latency.getJsonNumber("count").longValue(), latency.toString());

    assertTrue(
        metrics(Json.createArrayBuilder().add(label("provider", "no-such-provider")).build())
            .isEmpty());
    assertTrue(metrics(null).size() > mine.size());
  }

  private static JsonObject label(String name, String value) {
    return Json.createObjectBuilder().add("name", name).add("value", value).build();
  }

  private static JsonArray metrics(JsonArray labels) {
    var vars = Json.createObjectBuilder();
    if (labels == null) {
      vars.addNull("l");
    } else {
      vars.add("l", labels);
    }
    JsonObject res = Api.graphql(QUERY, vars.build());
    assertFalse(res.containsKey("errors"), res.toString());
    return res.getJsonObject("data").getJsonArray("metrics");
  }
}
