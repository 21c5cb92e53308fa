package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.TestIdp;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * API keys of identities of the corporate IdP (no users row; docs/security.md "API keys"): created,
 * listed and revoked with the IdP token, the key's role the IdP role or narrower, and a key acts as
 * the same identity (owner key idp:<name>), so it sees and changes the runs of that identity and no
 * one else's.
 */
class IdpApiKeyIT {

  private static String idpUser(String prefix) {
    return Fixtures.unique(prefix);
  }

  private static String run(Api.Client as, String dataset) {
    return Fixtures.completedSimulatorRun(as, dataset, 1).getString("id");
  }

  @Test
  void anIdpUserShouldCreateListUseAndRevokeItsOwnKeys() {
    TestIdp idp = TestIdp.get();
    String name = idpUser("carl");
    Api.Client carl = Api.as("Bearer " + idp.token(name, TestIdp.USERS));

    // Not wider than the IdP role; the IdP role by default.
    assertEquals(403, carl.post("/auth/apikey", "{\"name\":\"k\",\"role\":\"admin\"}").status());
    Api.Res created = carl.post("/auth/apikey", "{\"name\":\"ci\"}");
    assertEquals(201, created.status(), created.toString());
    assertEquals("user", created.json().getString("role"));
    String key = created.json().getString("key");
    assertTrue(key.startsWith("ltb_"), key);
    String keyId = created.json().getString("id");

    // The key is that identity: same name, groups and owner key, via api-key.
    Api.Client byKey = Api.as("Bearer " + key);
    JsonObject me = byKey.get("/auth/me").json();
    assertEquals(name, me.getString("name"));
    assertEquals("user", me.getString("role"));
    assertEquals("api-key", me.getString("via"));
    assertTrue(!me.containsKey("userId") || me.isNull("userId"), me.toString());
    assertEquals(1, me.getJsonArray("groups").size(), me.toString());
    assertEquals(TestIdp.USERS, me.getJsonArray("groups").getString(0));
    // A key makes no keys.
    assertEquals(403, byKey.post("/auth/apikey", "{\"name\":\"again\"}").status());

    // Listed for the identity, by its token and by its key; never the secret again.
    for (Api.Client as : List.of(carl, byKey)) {
      Api.Res listed = as.get("/auth/apikey");
      assertEquals(200, listed.status(), listed.toString());
      assertEquals(1, listed.array().size(), listed.toString());
      JsonObject k = listed.array().getJsonObject(0);
      assertEquals(keyId, k.getString("id"));
      assertTrue(!k.containsKey("key") || k.isNull("key"), "shown once only: " + k);
    }

    // Runs: one made with the token and one with the key are both the identity's.
    String dataset = Fixtures.sumDataset(2);
    String byToken = run(carl, dataset);
    String byTheKey = run(byKey, dataset);
    assertEquals(200, byKey.get("/benchmarks/" + byToken).status());
    assertEquals(200, carl.get("/benchmarks/" + byTheKey).status());

    // Another IdP user neither sees nor revokes the key, nor sees the runs.
    Api.Client dora = Api.as("Bearer " + idp.token(idpUser("dora"), TestIdp.USERS));
    assertEquals(0, dora.get("/auth/apikey").array().size());
    assertEquals(404, dora.delete("/auth/apikey/" + keyId).status());
    assertEquals(404, dora.get("/benchmarks/" + byTheKey).status());

    // Revoked by its owner: refused at once.
    assertEquals(204, carl.delete("/auth/apikey/" + keyId).status());
    assertEquals(401, byKey.get("/benchmarks").status());
    assertTrue(
        !carl.get("/auth/apikey").array().getJsonObject(0).isNull("revokedAt"),
        "listed as revoked");
  }

  @Test
  void aNarrowerKeyShouldActWithItsOwnRoleAndAnAdminShouldRevokeIt() {
    TestIdp idp = TestIdp.get();
    Api.Client erin = Api.as("Bearer " + idp.token(idpUser("erin"), TestIdp.USERS));
    Api.Res created = erin.post("/auth/apikey", "{\"name\":\"read-only\",\"role\":\"viewer\"}");
    assertEquals(201, created.status(), created.toString());
    Api.Client key = Api.withHeader("X-API-Key", created.json().getString("key"));
    assertEquals("viewer", key.get("/auth/me").json().getString("role"));
    assertEquals(200, key.get("/benchmarks").status());
    assertEquals(403, key.post("/datasets", "{}").status());

    // A viewer of the IdP gets viewer keys only; an identity without a mapped group gets none.
    Api.Client viewer = Api.as("Bearer " + idp.token(idpUser("fay"), TestIdp.VIEWERS));
    assertEquals(403, viewer.post("/auth/apikey", "{\"role\":\"user\"}").status());
    assertEquals(201, viewer.post("/auth/apikey", "{}").status());
    Api.Client stranger = Api.as("Bearer " + idp.token(idpUser("gus"), "some-other-group"));
    assertEquals(403, stranger.post("/auth/apikey", "{}").status());

    // An admin (ManageUsers) revokes any key, an IdP identity's included.
    assertEquals(204, Api.delete("/auth/apikey/" + created.json().getString("id")).status());
    assertEquals(401, key.get("/benchmarks").status());
  }
}
