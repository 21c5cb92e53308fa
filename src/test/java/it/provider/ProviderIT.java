package it.provider;

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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Provider management over REST: stored keys, live model listing, health probes, capabilities. */
class ProviderIT {

  static OpenAiStub stub;

  @BeforeAll
  static void startStub() throws Exception {
    stub = new OpenAiStub(0);
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  @Test
  void shouldStoreAnApiKeyEncryptedUseItAndNeverShowIt() {
    String name = Fixtures.unique("keyed");
    Api.Res created =
        post(
            "/providers",
            "{\"name\":\""
                + name
                + "\",\"adapter\":\"openai\",\"baseUrl\":\""
                + stub.baseUrl()
                + "\",\"apiKey\":\"sk-it-123-secret\",\"models\":[\"good\"]}");
    assertEquals(201, created.status(), created.toString());
    assertFalse(created.body().contains("sk-it-123-secret"));
    assertTrue(created.json().getBoolean("apiKeyConfigured"));
    assertFalse(get("/providers").body().contains("sk-it-123-secret"));

    String datasetId = Fixtures.sumDataset(1);
    String runId =
        post(
                "/benchmarks",
                "{\"datasetId\":\""
                    + datasetId
                    + "\",\"targets\":[{\"provider\":\""
                    + name
                    + "\",\"model\":\"good\"}]}")
            .json()
            .getString("id");
    assertEquals("completed", Api.awaitRunEnd(runId, Duration.ofSeconds(60)).getString("status"));
    assertTrue(
        stub.requests().stream().anyMatch(r -> "Bearer sk-it-123-secret".equals(r.authorization())),
        "the stored key was sent");
    assertEquals(204, Api.delete("/providers/" + name).status());
  }

  @Test
  void shouldListTheProvidersLiveModelsAndProbeItsHealth() {
    String name = Fixtures.registerStub(stub, null);
    List<String> ids =
        get("/providers/" + name + "/models").array().stream()
            .map(v -> v.asJsonObject().getString("id"))
            .toList();
    assertEquals(List.of("good", "bad", "slow", "broken"), ids);

    JsonObject health = post("/providers/" + name + "/health", "").json();
    assertEquals("up", health.getString("status"), health.toString());
    assertTrue(health.getJsonNumber("latencyMs").doubleValue() > 0);
  }

  @Test
  void shouldReportAnUnreachableProviderDownWithTheReason() {
    String name = Fixtures.unique("gone");
    post(
        "/providers",
        "{\"name\":\"" + name + "\",\"adapter\":\"openai\",\"baseUrl\":\"http://127.0.0.1:9/v1\"}");
    JsonObject health = post("/providers/" + name + "/health", "").json();
    assertEquals("down", health.getString("status"), health.toString());
    assertFalse(health.getString("message").isBlank());
    Api.Res models = get("/providers/" + name + "/models");
    assertEquals(502, models.status(), models.toString());
    assertTrue(models.contentType().startsWith("application/problem+json"));
  }

  @Test
  void shouldFindProvidersByCapability() {
    String name = Fixtures.registerStub(stub, null);
    boolean found = false;
    for (JsonValue v : get("/providers?capability=streaming&capability=function_calling").array()) {
      found |= v.asJsonObject().getString("name").equals(name);
      assertTrue(v.asJsonObject().getJsonArray("capabilities").toString().contains("streaming"));
    }
    assertTrue(found, "an OpenAI-compatible provider streams and calls functions");
    assertEquals(400, get("/providers?capability=telepathy").status());
  }
}
