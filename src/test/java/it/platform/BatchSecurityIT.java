package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import it.support.Api;
import it.support.Fixtures;
import it.support.TestIdp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liberty's batch REST API (/ibm/api/batch, served by Liberty outside the application) accepts the
 * corporate IdP's bearer tokens with the roles their groups map to (server.xml: the mpJwt confined
 * to the batch paths, authorization-roles com.ibm.ws.batch; docs/security.md): anonymous 401, a
 * viewer reads but cannot stop or restart (403), an admin reads a run's job instance, partitions
 * and logs. The server's own access tokens (local accounts) get the batch role of their role
 * (admin: batchAdmin; user, viewer: batchMonitor), verified with the server's keys only. The
 * Liberty administrator's basic authentication keeps working next to them.
 */
class BatchSecurityIT {

  static final String BATCH = Api.HTTPS_BASE + "/ibm/api/batch";
  static TestIdp idp;
  static Api.Client idpAdmin;
  static Api.Client idpViewer;
  static long executionId;

  @BeforeAll
  static void aCompletedRun() {
    idp = TestIdp.get();
    idpAdmin = Api.as("Bearer " + idp.token(Fixtures.unique("batch-admin"), TestIdp.ADMINS));
    idpViewer = Api.as("Bearer " + idp.token(Fixtures.unique("batch-viewer"), TestIdp.VIEWERS));
    JsonObject run = Fixtures.completedSimulatorRun(Api.ADMIN, Fixtures.sumDataset(3), 2);
    executionId = run.getJsonNumber("jobExecutionId").longValue();
  }

  @Test
  void anonymousAndUnknownTokensShouldGet401() {
    Api.Res anonymous = Api.ANONYMOUS.get(BATCH + "/jobinstances");
    assertEquals(401, anonymous.status(), anonymous.toString());

    String foreign =
        idp.token(Fixtures.unique("x"), TestIdp.ADMINS, c -> c.issuer("https://evil.example"));
    Api.Res wrongIssuer = Api.as("Bearer " + foreign).get(BATCH + "/jobinstances");
    assertEquals(401, wrongIssuer.status(), wrongIssuer.toString());

    Api.Res garbage = Api.as("Bearer not-a-token").get(BATCH + "/jobinstances");
    assertEquals(401, garbage.status(), garbage.toString());
  }

  @Test
  void aTokenWithoutABatchGroupShouldBeForbidden() {
    Api.Client stranger =
        Api.as("Bearer " + idp.token(Fixtures.unique("stranger"), "some-other-group"));
    Api.Res res = stranger.get(BATCH + "/jobinstances");
    // Liberty's batch REST API answers 401 (not 403) to an authenticated caller without a batch
    // role.
    assertEquals(401, res.status(), res.toString());
    assertTrue(res.body().contains("is not authorized"), res.toString());
  }

  @Test
  void aViewerShouldReadJobInstancesButNotStopOrRestartThem() {
    Api.Res list = idpViewer.get(BATCH + "/jobinstances?jobName=benchmark-run");
    assertEquals(200, list.status(), list.toString());
    assertFalse(list.array().isEmpty(), list.toString());

    JsonObject instance = jobInstanceOf(idpAdmin);
    long instanceId = instance.getJsonNumber("instanceId").longValue();
    // Liberty's batch REST API refuses an operation the caller's batch role does not allow with
    // 401 and CWWKY0302W "... is not authorized to perform batch operations ..." (not 403).
    Api.Res stop =
        idpViewer.method("PUT", BATCH + "/jobinstances/" + instanceId + "?action=stop", null);
    assertEquals(401, stop.status(), stop.toString());
    assertTrue(stop.body().contains("CWWKY0302W"), stop.toString());
    Api.Res restart =
        idpViewer.method("PUT", BATCH + "/jobinstances/" + instanceId + "?action=restart", "{}");
    assertEquals(401, restart.status(), restart.toString());
    assertTrue(restart.body().contains("CWWKY0302W"), restart.toString());
    Api.Res purge = idpViewer.delete(BATCH + "/jobinstances/" + instanceId);
    assertEquals(401, purge.status(), purge.toString());
    // Nothing changed: the instance is still there, in the same state.
    assertEquals(
        instance.getString("instanceState"), jobInstanceOf(idpViewer).getString("instanceState"));
  }

  @Test
  void anAdminTokenShouldReadARunsJobInstancePartitionsAndLogs() {
    JsonObject instance = jobInstanceOf(idpAdmin);
    assertEquals("benchmark-run", instance.getString("jobName"), instance.toString());

    Api.Res steps =
        idpAdmin.get(BATCH + "/jobexecutions/" + executionId + "/stepexecutions/execute");
    assertEquals(200, steps.status(), steps.toString());
    JsonObject step = steps.array().getJsonObject(0);
    assertEquals("COMPLETED", step.getString("batchStatus"), step.toString());
    assertEquals(
        2, step.getJsonArray("partitions").size(), "one entry per partition of the run: " + step);

    Api.Res logs = idpAdmin.get(BATCH + "/jobexecutions/" + executionId + "/joblogs?type=text");
    assertEquals(200, logs.status(), logs.toString());
    // Authorized (the job log's text may be empty: the job writes little to its job log).
    assertTrue(logs.contentType().startsWith("text/plain"), logs.toString());
  }

  @Test
  void theLibertyAdministratorsBasicAuthenticationShouldStillWork() {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (Api.ADMIN_USER + ":" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    Api.Res res = Api.as("Basic " + basic).get(BATCH + "/jobexecutions/" + executionId);
    assertEquals(200, res.status(), res.toString());
    assertEquals(executionId, res.json().getJsonNumber("executionId").longValue());
  }

  @Test
  void theServersOwnAdminTokenShouldHoldBatchAdmin() {
    // Api.ADMIN carries the bootstrap admin's token from POST /api/v1/auth/login.
    JsonObject instance = jobInstanceOf(Api.ADMIN);
    assertEquals("benchmark-run", instance.getString("jobName"), instance.toString());
    Api.Res steps =
        Api.ADMIN.get(BATCH + "/jobexecutions/" + executionId + "/stepexecutions/execute");
    assertEquals(200, steps.status(), steps.toString());
    Api.Res logs = Api.ADMIN.get(BATCH + "/jobexecutions/" + executionId + "/joblogs?type=text");
    assertEquals(200, logs.status(), logs.toString());
  }

  @Test
  void theServersUserAndViewerTokensShouldReadButNotStopRestartOrPurge() {
    for (String role : new String[] {"user", "viewer"}) {
      String name = Fixtures.unique("batch-local-" + role);
      Api.Res created =
          Api.post(
              "/users",
              Json.createObjectBuilder()
                  .add("username", name)
                  .add("password", "batch-local-pass")
                  .add("role", role)
                  .build()
                  .toString());
      assertEquals(201, created.status(), created.toString());
      Api.Client local = Api.as("Bearer " + Api.login(name, "batch-local-pass"));

      Api.Res list = local.get(BATCH + "/jobinstances?jobName=benchmark-run");
      assertEquals(200, list.status(), role + ": " + list);
      assertFalse(list.array().isEmpty(), list.toString());
      long instanceId = jobInstanceOf(local).getJsonNumber("instanceId").longValue();

      Api.Res stop =
          local.method("PUT", BATCH + "/jobinstances/" + instanceId + "?action=stop", null);
      assertEquals(401, stop.status(), role + ": " + stop);
      assertTrue(stop.body().contains("CWWKY0302W"), stop.toString());
      Api.Res restart =
          local.method("PUT", BATCH + "/jobinstances/" + instanceId + "?action=restart", "{}");
      assertEquals(401, restart.status(), role + ": " + restart);
      Api.Res purge = local.delete(BATCH + "/jobinstances/" + instanceId);
      assertEquals(401, purge.status(), role + ": " + purge);
    }
  }

  /**
   * Neither issuer's keys vouch for the other's tokens: the IdP's key signing the server's issuer
   * and role claims is refused, whether the token is dressed as a server token (header
   * {"typ":"ltb+jwt"...}, routed to the server's keys) or not (routed to the IdP configuration,
   * which expects the IdP's issuer); an IdP token dressed as a server token is refused too.
   */
  @Test
  void aTokenSignedWithTheOtherIssuersKeyShouldGet401() {
    String dressed = "{\"typ\":\"ltb+jwt\",\"alg\":\"RS256\",\"kid\":\"it-rsa\"}";
    JWTClaimsSet serverClaims =
        TestIdp.claims(Fixtures.unique("forger"), null)
            .issuer(System.getProperty("it.server.issuer", "llm-test-bench"))
            .audience(System.getProperty("it.server.audience", "llm-test-bench"))
            .claim("upn", "forger")
            .claim("groups", List.of("admin"))
            .build();
    for (String forged :
        new String[] {
          idp.rs256WithHeader(dressed, serverClaims),
          idp.rs256(serverClaims),
          idp.rs256WithHeader(dressed, TestIdp.claims("forger", TestIdp.ADMINS).build())
        }) {
      Api.Res res = Api.as("Bearer " + forged).get(BATCH + "/jobinstances");
      assertEquals(401, res.status(), res.toString());
      assertFalse(res.body().contains("\"instanceId\""), res.toString());
    }
  }

  private static JsonObject jobInstanceOf(Api.Client as) {
    Api.Res res = as.get(BATCH + "/jobexecutions/" + executionId + "/jobinstance");
    assertEquals(200, res.status(), res.toString());
    assertTrue(res.json().get("instanceId").getValueType() == JsonValue.ValueType.NUMBER);
    return res.json();
  }
}
