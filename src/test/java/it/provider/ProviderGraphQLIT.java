package it.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The provider and providers GraphQL queries answer as the REST API does. */
class ProviderGraphQLIT {

  @Test
  void shouldQueryProvidersAsRestDoes() {
    JsonObject one =
        Api.graphql(
            "query P($n: String!) { provider(name: $n) { name kind simulated models"
                + " apiKeyConfigured } }",
            Json.createObjectBuilder().add("n", "simulator").build());
    JsonObject sim = one.getJsonObject("data").getJsonObject("provider");
    JsonObject rest = Api.get("/providers/simulator").json();
    assertEquals(rest.getString("name"), sim.getString("name"));
    assertEquals(rest.getString("kind"), sim.getString("kind"));
    assertTrue(sim.getBoolean("simulated"));
    assertEquals(rest.getJsonArray("models"), sim.getJsonArray("models"));

    JsonArray all =
        Api.graphql("{ providers { name } }", null).getJsonObject("data").getJsonArray("providers");
    assertEquals(Api.get("/providers").array().size(), all.size());

    JsonObject missing =
        Api.graphql(
            "query P($n: String!) { provider(name: $n) { name } }",
            Json.createObjectBuilder().add("n", "no-such-provider").build());
    assertFalse(missing.getJsonArray("errors").isEmpty());
    assertTrue(
        missing
            .getJsonArray("errors")
            .getJsonObject(0)
            .getString("message")
            .contains("does not exist"),
        missing.toString());
  }
}
