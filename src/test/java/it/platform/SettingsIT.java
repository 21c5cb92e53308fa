package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.TestIdp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server-wide settings: GraphQL {@code settings}/{@code updateSettings} and /api/v1/settings store
 * validated defaults that new runs use, all or nothing, for administrators only, audited.
 */
class SettingsIT {

  private static final String FIELDS =
      "{ defaultConcurrency defaultTimeoutMs defaultPartitions stored updatedAt }";

  @AfterEach
  void resetAll() {
    Api.Res r =
        Api.ADMIN.method(
            "PUT",
            "/settings",
            "{\"reset\":[\"defaultConcurrency\",\"defaultTimeoutMs\",\"defaultPartitions\"]}");
    assertEquals(200, r.status(), r.toString());
  }

  @Test
  void storedDefaultsShouldApplyToNewRunsAndResetToTheConfig() {
    JsonObject before = data(Api.graphql("{ settings " + FIELDS + " }", null), "settings");
    assertEquals(0, before.getJsonArray("stored").size(), before.toString());

    JsonObject after =
        data(
            Api.graphql(
                "mutation($in: SettingsInput!) { updateSettings(input: $in) " + FIELDS + " }",
                Json.createObjectBuilder()
                    .add(
                        "in",
                        Json.createObjectBuilder()
                            .add("defaultConcurrency", 3)
                            .add("defaultPartitions", 1))
                    .build()),
            "updateSettings");
    assertEquals(3, after.getInt("defaultConcurrency"));
    assertEquals(1, after.getInt("defaultPartitions"));
    assertEquals(before.getInt("defaultTimeoutMs"), after.getInt("defaultTimeoutMs"));
    assertEquals("[\"defaultConcurrency\",\"defaultPartitions\"]", after.get("stored").toString());
    assertNotNull(after.getString("updatedAt"));

    JsonObject rest = Api.get("/settings").json();
    assertEquals(3, rest.getInt("defaultConcurrency"), rest.toString());

    Api.Res run =
        Api.post(
            "/benchmarks",
            "{\"datasetId\":\""
                + Fixtures.sumDataset(1)
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"m\"}]}");
    assertEquals(202, run.status(), run.toString());
    assertEquals(3, run.json().getInt("concurrency"), run.toString());
    assertEquals(1, run.json().getInt("partitions"), run.toString());
    Api.awaitRunEnd(run.json().getString("id"), Duration.ofSeconds(60));

    Api.Res reset = Api.ADMIN.method("PUT", "/settings", "{\"reset\":[\"defaultConcurrency\"]}");
    assertEquals(200, reset.status(), reset.toString());
    assertEquals(before.getInt("defaultConcurrency"), reset.json().getInt("defaultConcurrency"));
    assertEquals("[\"defaultPartitions\"]", reset.json().get("stored").toString());
  }

  @Test
  void anInvalidValueShouldStoreNothingAndNameWhatToFix() {
    JsonObject before = data(Api.graphql("{ settings " + FIELDS + " }", null), "settings");
    JsonObject answer =
        Api.graphql(
            "mutation { updateSettings(input: {defaultConcurrency: 5, defaultTimeoutMs: 0,"
                + " reset: [\"colour\"]}) { defaultConcurrency } }",
            null);
    String errors = String.valueOf(answer.get("errors"));
    assertTrue(errors.contains("defaultTimeoutMs must be between 1 and 600000"), errors);
    assertTrue(errors.contains("unknown setting 'colour'"), errors);
    assertEquals(before, data(Api.graphql("{ settings " + FIELDS + " }", null), "settings"));

    Api.Res rest = Api.ADMIN.method("PUT", "/settings", "{\"defaultPartitions\":100000}");
    assertEquals(400, rest.status(), rest.toString());
    assertTrue(rest.body().contains("defaultPartitions"), rest.toString());
    assertEquals(
        before.getInt("defaultPartitions"),
        Api.get("/settings").json().getInt("defaultPartitions"));

    JsonObject audited =
        AuditIT.awaitEntries("action=mutation%20updateSettings&outcome=failure", 1)
            .getJsonObject(0);
    assertEquals("failure", audited.getString("outcome"));
  }

  @Test
  void aUserShouldNotReadOrChangeTheSettings() {
    Api.Client user = Api.as("Bearer " + TestIdp.get().token("settings-user", TestIdp.USERS));
    Api.Res q = user.graphqlRaw("{ settings { defaultConcurrency } }", null);
    assertTrue(q.body().contains("ADMIN_ACCESS"), q.toString());
    Api.Res m =
        user.graphqlRaw(
            "mutation { updateSettings(input: {defaultConcurrency: 2}) { stored } }", null);
    assertTrue(m.body().contains("ADMIN_ACCESS"), m.toString());
    assertEquals(403, user.get("/settings").status());
    assertEquals(403, user.method("PUT", "/settings", "{\"defaultConcurrency\":2}").status());
    assertEquals(0, Api.get("/settings").json().getJsonArray("stored").size());
  }

  private static JsonObject data(JsonObject answer, String field) {
    assertTrue(answer.get("errors") == null, answer.toString());
    return answer.getJsonObject("data").getJsonObject(field);
  }
}
