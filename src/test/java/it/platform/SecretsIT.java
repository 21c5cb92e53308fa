package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.AuditAccess;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider's API key, sent once at registration, is used but never seen again: not in any
 * response (REST, problem details, results, exports), not in the audit log, not in the server's
 * logs, and not in the database in clear.
 */
class SecretsIT {

  private static OpenAiStub stub;

  @BeforeAll
  static void startStub() throws IOException {
    stub = new OpenAiStub(0);
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  @Test
  void shouldNeverShowAProviderKeyAgain() throws Exception {
    String key = "sk-guard-" + UUID.randomUUID() + "-secret";
    String name = Fixtures.unique("secretive");
    String registration =
        "{\"name\":\""
            + name
            + "\",\"adapter\":\"openai\",\"baseUrl\":\""
            + stub.baseUrl()
            + "\",\"apiKey\":\""
            + key
            + "\",\"models\":[\"good\",\"echo-key\"]}";
    Api.Res created = Api.post("/providers", registration);
    assertEquals(201, created.status(), created.toString());
    assertFalse(created.body().contains(key));

    // Refused or repeated registrations do not echo it either.
    Api.Res malformed =
        Api.post(
            "/providers",
            "{\"name\":\""
                + Fixtures.unique("bad")
                + "\",\"apiKey\":\""
                + key
                + "\",\"models\":5}");
    assertEquals(400, malformed.status(), malformed.toString());
    assertFalse(malformed.body().contains(key), malformed.body());
    Api.Res duplicate = Api.post("/providers", registration);
    assertFalse(duplicate.body().contains(key), duplicate.body());

    // A run whose provider quotes the key back in its error: the result shows it masked.
    String datasetId = Fixtures.sumDataset(2);
    String runId =
        Fixtures.startRun(name, "echo-key", datasetId, "\"timeoutMs\":5000").json().getString("id");
    Api.awaitRunEnd(runId, Duration.ofSeconds(60));
    assertTrue(
        stub.requests().stream().anyMatch(r -> ("Bearer " + key).equals(r.authorization())),
        "the key was used");
    Api.Res results = Api.get("/results?runId=" + runId);
    assertEquals(200, results.status());
    assertTrue(results.body().contains("Incorrect API key"), results.body());
    assertFalse(results.body().contains(key), results.body());

    for (String path :
        List.of(
            "/providers",
            "/providers/" + name,
            "/benchmarks/" + runId,
            "/results?runId=" + runId + "&limit=1000")) {
      Api.Res r = Api.get(path);
      assertEquals(200, r.status(), path);
      assertFalse(r.body().contains(key), path);
    }
    // Exports: whatever the format, never the key.
    for (String format : List.of("csv", "json", "jsonl", "junit", "html")) {
      HttpResponse<String> export =
          Api.exchange(
              Api.request("/results/export")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"format\":\"" + format + "\",\"runId\":\"" + runId + "\"}")));
      assertEquals(200, export.statusCode(), format + " export: " + export.body());
      assertFalse(export.body().contains(key), format + " export");
    }

    // The audit log has the registration, without the key.
    Api.await(
        "the registration in the audit log",
        Duration.ofSeconds(20),
        () -> {
          HttpResponse<String> a =
              Api.exchange(
                  AuditAccess.asAdmin(
                      Api.request("/audit?resourceType=providers&resourceId=" + name).GET()));
          assertFalse(a.body().contains(key), a.body());
          return a.statusCode() == 200
              && !((JsonObject) Api.parse(a.body())).getJsonArray("items").isEmpty();
        });

    // Not in clear in the database.
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + System.getProperty("it.db.port") + "/llmtestbench",
                "postgres",
                "embedded-dev-only");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM providers p WHERE p::text LIKE '%"
                    + key
                    + "%'"
                    + " UNION ALL SELECT count(*) FROM results r WHERE r::text LIKE '%"
                    + key
                    + "%'"
                    + " UNION ALL SELECT count(*) FROM audit_log a WHERE a::text LIKE '%"
                    + key
                    + "%'")) {
      while (rs.next()) {
        assertEquals(0, rs.getLong(1), "rows holding the key in clear");
      }
    }

    // Not in the server's logs (messages, trace, FFDC).
    Path logs = Path.of(System.getProperty("it.wlp.dir"), "usr", "servers", "itServer", "logs");
    Thread.sleep(1000);
    try (Stream<Path> files = Files.walk(logs)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(key), "the key is in " + f);
      }
    }
    assertEquals(204, Api.delete("/providers/" + name).status());
  }
}
