package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import it.support.Api;
import it.support.Fixtures;
import it.support.TestIdp;
import it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity end to end: the corporate IdP's tokens (RSA and EC keys from a loopback JWKS), the
 * server's own tokens (login, refresh, logout), API keys, the role permissions, and the token
 * attacks of issue 6, each refused with 401, problem+json and a WWW-Authenticate challenge.
 */
class SecurityIT {

  private static TestIdp idp;

  @BeforeAll
  static void idp() {
    idp = TestIdp.get();
  }

  private static Api.Res getAs(String token, String path) {
    return Api.as("Bearer " + token).get(path);
  }

  private static void assertUnauthorized(Api.Res res, boolean invalidToken) {
    assertEquals(401, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("application/problem+json"), res.toString());
    assertNotNull(res.wwwAuthenticate(), "WWW-Authenticate missing: " + res);
    assertTrue(res.wwwAuthenticate().startsWith("Bearer"), res.wwwAuthenticate());
    assertEquals(
        invalidToken, res.wwwAuthenticate().contains("invalid_token"), res.wwwAuthenticate());
    assertEquals(401, res.json().getInt("status"));
  }

  @Test
  void shouldRefuseRequestsWithoutCredentials() {
    assertUnauthorized(Api.ANONYMOUS.get("/benchmarks"), false);
    assertUnauthorized(Api.ANONYMOUS.post("/benchmarks", "{}"), false);
    assertUnauthorized(Api.ANONYMOUS.get("/auth/me"), false);
    assertUnauthorized(
        Api.ANONYMOUS.graphqlRaw("{ benchmarks { edges { cursor } } }", null), false);
    assertUnauthorized(Api.ANONYMOUS.get(Api.BASE + "/graphql/schema.graphql"), false);
    assertEquals(200, Api.ANONYMOUS.get(Api.BASE + "/health/live").status());
    assertEquals(200, Api.ANONYMOUS.get(Api.BASE + "/health/ready").status());
    assertUnauthorized(Api.as("Basic YWRtaW46YWRtaW4=").get("/benchmarks"), true);
    assertUnauthorized(Api.as("Bearer not-a-token").get("/benchmarks"), true);
  }

  @Test
  void shouldAcceptIdpTokensSignedWithRsaAndEcKeysAndMapGroupsToRoles() {
    // RS256, a user: may read and run, may not manage users.
    String user = idp.token("alice", TestIdp.USERS);
    assertEquals(200, getAs(user, "/benchmarks").status());
    JsonObject me = getAs(user, "/auth/me").json();
    assertEquals("alice", me.getString("name"));
    assertEquals("user", me.getString("role"));
    assertEquals("idp", me.getString("via"));
    assertEquals(403, getAs(user, "/users").status());
    assertEquals(403, getAs(user, "/servers").status());
    // ES256, an admin; upn wins over preferred_username.
    String admin =
        idp.es256(TestIdp.claims("bob", TestIdp.ADMINS).claim("upn", "bob@corp.example").build());
    assertEquals(200, getAs(admin, "/servers").status());
    assertEquals("bob@corp.example", getAs(admin, "/auth/me").json().getString("name"));
    // A viewer reads, never writes.
    String viewer = idp.token("carol", TestIdp.VIEWERS);
    assertEquals(200, getAs(viewer, "/datasets").status());
    Api.Res forbidden = Api.as("Bearer " + viewer).post("/datasets", "{}");
    assertEquals(403, forbidden.status(), forbidden.toString());
    assertTrue(forbidden.contentType().startsWith("application/problem+json"));
    // Groups that map to no role: authenticated, allowed nothing.
    String stranger = idp.token("dave", "some-other-group");
    assertEquals(403, getAs(stranger, "/benchmarks").status());
    // The principal falls back to sub.
    String subOnly =
        idp.rs256(
            TestIdp.claims("x", TestIdp.VIEWERS)
                .claim("preferred_username", null)
                .subject("s-1")
                .build());
    assertEquals("s-1", getAs(subOnly, "/auth/me").json().getString("name"));
  }

  @Test
  void shouldAcceptClockSkewUpToTheBound() {
    Instant now = Instant.now();
    String justExpired =
        idp.token("erin", TestIdp.USERS, c -> c.expirationTime(Date.from(now.minusSeconds(20))));
    assertEquals(200, getAs(justExpired, "/benchmarks").status());
  }

  private void attack(String what, String token) {
    Api.Res res = getAs(token, "/benchmarks");
    assertEquals(401, res.status(), what + ": " + res);
    assertUnauthorized(res, true);
  }

  private String edited(Consumer<JWTClaimsSet.Builder> edit) {
    return idp.token("mallory", TestIdp.ADMINS, edit);
  }

  @Test
  void shouldRefuseTokenAttacks() throws Exception {
    JWTClaimsSet admin = TestIdp.claims("mallory", TestIdp.ADMINS).build();
    // alg: none
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String payload = b64(admin.toString());
    attack("alg none", header + "." + payload + ".");
    attack("alg none, no dot", header + "." + payload);
    // A key the IdP never published, with the IdP's key id.
    RSAKey other = new RSAKeyGenerator(2048).keyID("it-rsa").keyUse(KeyUse.SIGNATURE).generate();
    attack("wrong key", TestIdp.sign(new RSASSASigner(other), JWSAlgorithm.RS256, "it-rsa", admin));
    attack(
        "unknown key id", TestIdp.sign(new RSASSASigner(other), JWSAlgorithm.RS256, "nope", admin));
    Instant now = Instant.now();
    attack("expired", edited(c -> c.expirationTime(Date.from(now.minusSeconds(600)))));
    attack(
        "not yet valid",
        edited(
            c ->
                c.notBeforeTime(Date.from(now.plusSeconds(600)))
                    .expirationTime(Date.from(now.plusSeconds(1200)))));
    attack("no expiry", edited(c -> c.expirationTime(null)));
    attack("wrong issuer", edited(c -> c.issuer("https://evil.example/realms/ltb")));
    attack("server issuer signed by the IdP", edited(c -> c.issuer("llm-test-bench")));
    attack("wrong audience", edited(c -> c.audience("another-app")));
    attack("no audience", edited(c -> c.audience((String) null)));
    // HS256 keyed with the RSA public key (the algorithm-confusion attack), in DER and PEM forms.
    byte[] der = idp.rsa.toRSAPublicKey().getEncoded();
    attack(
        "HS256 with the public key",
        TestIdp.sign(new MACSigner(der), JWSAlgorithm.HS256, "it-rsa", admin));
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END PUBLIC KEY-----\n";
    attack(
        "HS256 with the PEM public key",
        TestIdp.sign(
            new MACSigner(pem.getBytes(StandardCharsets.UTF_8)),
            JWSAlgorithm.HS256,
            "it-rsa",
            admin));
    // A viewer's valid token whose payload is changed to the admins group.
    String viewer = idp.token("mallory", TestIdp.VIEWERS);
    String[] parts = viewer.split("\\.");
    String tampered =
        new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
            .replace(TestIdp.VIEWERS, TestIdp.ADMINS);
    attack("tampered payload", parts[0] + "." + b64(tampered) + "." + parts[2]);
    assertEquals(200, getAs(viewer, "/benchmarks").status(), "the untampered token is valid");
  }

  private static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Test
  void shouldLogInRefreshAndLogOut() {
    JsonObject tokens = login(Api.ADMIN_USER, Api.ADMIN_PASSWORD);
    String access = tokens.getString("accessToken");
    String refresh = tokens.getString("refreshToken");
    assertEquals("Bearer", tokens.getString("tokenType"));
    assertTrue(tokens.getInt("expiresIn") > 0);
    assertEquals("admin", getAs(access, "/auth/me").json().getString("role"));
    // Refresh rotates: the old refresh token is then refused.
    JsonObject refreshed = Api.ANONYMOUS.post("/auth/refresh", refreshBody(refresh)).json();
    assertEquals(401, Api.ANONYMOUS.post("/auth/refresh", refreshBody(refresh)).status());
    String access2 = refreshed.getString("accessToken");
    assertEquals(200, getAs(access2, "/benchmarks").status());
    // Logout revokes the access token and the refresh token.
    assertEquals(
        204,
        Api.as("Bearer " + access2)
            .post("/auth/logout", refreshBody(refreshed.getString("refreshToken")))
            .status());
    assertUnauthorized(getAs(access2, "/benchmarks"), true);
    assertEquals(
        401,
        Api.ANONYMOUS
            .post("/auth/refresh", refreshBody(refreshed.getString("refreshToken")))
            .status());
    // The first access token is still valid: logout revokes only the presented one.
    assertEquals(200, getAs(access, "/benchmarks").status());
    // Wrong password and unknown user answer the same.
    Api.Res wrong = Api.ANONYMOUS.post("/auth/login", loginBody(Api.ADMIN_USER, "wrong-password"));
    Api.Res unknown =
        Api.ANONYMOUS.post("/auth/login", loginBody("nobody-" + Fixtures.unique("u"), "x"));
    assertEquals(401, wrong.status());
    assertEquals(401, unknown.status());
    assertEquals(wrong.json().getString("detail"), unknown.json().getString("detail"));
    // The server's public keys are published.
    JsonObject jwks = Api.ANONYMOUS.get("/auth/jwks").json();
    assertFalse(jwks.getJsonArray("keys").isEmpty());
    assertFalse(jwks.getJsonArray("keys").getJsonObject(0).containsKey("d"), "private key leaked");
  }

  @Test
  void shouldManageUsersAndApiKeys() {
    String name = Fixtures.unique("user");
    Api.Res created =
        Api.post(
            "/users",
            Json.createObjectBuilder()
                .add("username", name)
                .add("password", "a-long-password-1")
                .add("role", "user")
                .build()
                .toString());
    assertEquals(201, created.status(), created.toString());
    assertEquals(
        409,
        Api.post("/users", "{\"username\":\"" + name + "\",\"password\":\"a-long-password-1\"}")
            .status());
    assertEquals(
        400,
        Api.post("/users", "{\"username\":\"x" + name + "\",\"password\":\"short\"}").status());
    String userToken = login(name, "a-long-password-1").getString("accessToken");
    Api.Client user = Api.as("Bearer " + userToken);
    assertEquals(403, user.get("/users").status());
    assertEquals(200, user.get("/benchmarks").status());
    // A key may not be wider than its owner.
    assertEquals(403, user.post("/auth/apikey", "{\"name\":\"k\",\"role\":\"admin\"}").status());
    // A viewer key of a user: reads, never writes; shown once with the ltb_ prefix.
    Api.Res keyRes = user.post("/auth/apikey", "{\"name\":\"ci\",\"role\":\"viewer\"}");
    assertEquals(201, keyRes.status(), keyRes.toString());
    String key = keyRes.json().getString("key");
    assertTrue(key.startsWith("ltb_"), key);
    String keyId = keyRes.json().getString("id");
    for (Api.Client k : List.of(Api.as("Bearer " + key), Api.withHeader("X-API-Key", key))) {
      assertEquals(200, k.get("/benchmarks").status());
      assertEquals(403, k.post("/datasets", "{}").status());
      assertEquals("viewer", k.get("/auth/me").json().getString("role"));
    }
    JsonObject listed = user.get("/auth/apikey").array().getJsonObject(0);
    assertFalse(listed.containsKey("key") && !listed.isNull("key"), "the key is shown once only");
    // A user's role change narrows the key too... and a demoted owner's admin key is no wider.
    String userId = created.json().getString("id");
    assertEquals(
        200, Api.ADMIN.method("PATCH", "/users/" + userId, "{\"role\":\"viewer\"}").status());
    // Revocation.
    assertEquals(204, user.delete("/auth/apikey/" + keyId).status());
    assertUnauthorized(Api.as("Bearer " + key).get("/benchmarks"), true);
    assertUnauthorized(Api.withHeader("X-API-Key", key).get("/benchmarks"), true);
    assertUnauthorized(Api.as("Bearer ltb_made-up").get("/benchmarks"), true);
    // A deactivated account cannot log in.
    assertEquals(200, Api.ADMIN.method("PATCH", "/users/" + userId, "{\"active\":false}").status());
    assertEquals(
        401, Api.ANONYMOUS.post("/auth/login", loginBody(name, "a-long-password-1")).status());
  }

  @Test
  void shouldGuardWebSocketHandshakes() {
    assertThrows(RuntimeException.class, () -> WsClient.connect(Api.BASE, null).close());
    assertThrows(RuntimeException.class, () -> WsClient.connect(Api.BASE, "Bearer forged").close());
    // Authenticated but without ViewResults (no mapped group): refused too.
    assertThrows(
        RuntimeException.class,
        () -> WsClient.connect(Api.BASE, "Bearer " + idp.token("s", "unmapped-group")).close());
    try (WsClient ws =
        WsClient.connect(Api.BASE, "?access_token=" + idp.token("q", TestIdp.VIEWERS), null)) {
      ws.send("{\"type\":\"Ping\"}");
      assertNotNull(ws.next(java.time.Duration.ofSeconds(10)));
    }
    try (WsClient ws = WsClient.connect(Api.BASE, "Bearer " + idp.token("v", TestIdp.VIEWERS))) {
      ws.send("{\"type\":\"Ping\"}");
      assertNotNull(ws.next(java.time.Duration.ofSeconds(10)));
    }
  }

  private static JsonObject login(String user, String password) {
    Api.Res res = Api.ANONYMOUS.post("/auth/login", loginBody(user, password));
    assertEquals(200, res.status(), res.toString());
    return res.json();
  }

  private static String loginBody(String user, String password) {
    return Json.createObjectBuilder()
        .add("username", user)
        .add("password", password)
        .build()
        .toString();
  }

  private static String refreshBody(String refresh) {
    return Json.createObjectBuilder().add("refreshToken", refresh).build().toString();
  }
}
