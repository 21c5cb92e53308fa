package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.AuditAccess;
import it.support.Fixtures;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit log: mutations over REST and GraphQL are recorded; GET /api/v1/audit filters them. */
class AuditIT {

  private static final String AGENT = "AuditIT/1.0";

  /** GET /api/v1/audit as an administrator; the query string is appended as is. */
  static HttpResponse<String> audit(String query) {
    return Api.exchange(
        AuditAccess.asAdmin(Api.request("/audit" + (query.isEmpty() ? "" : "?" + query)).GET()));
  }

  /** Waits until the (asynchronously written) audit log has entries for the query. */
  static JsonArray awaitEntries(String query, int atLeast) {
    JsonArray[] items = new JsonArray[1];
    Api.await(
        "audit entries for " + query,
        Duration.ofSeconds(20),
        () -> {
          HttpResponse<String> r = audit(query);
          assertEquals(200, r.statusCode(), r.body());
          items[0] = ((JsonObject) Api.parse(r.body())).getJsonArray("items");
          return items[0].size() >= atLeast;
        });
    return items[0];
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void shouldRefuseTheAuditLogToAnonymousCallers() {
    Api.Res r = Api.ANONYMOUS.get("/audit");
    assertEquals(AuditAccess.ANONYMOUS_STATUS, r.status(), r.toString());
  }

  @Test
  void shouldRecordRestMutationsWithWhoWhatWhereAndOutcomeButNoBody() {
    String name = Fixtures.unique("audited");
    HttpResponse<String> created =
        Api.exchange(
            Api.request("/datasets")
                .header("Content-Type", "application/json")
                .header("User-Agent", AGENT)
                // Not from a trusted proxy (none is configured): must not be believed.
                .header("X-Forwarded-For", "203.0.113.77")
                // Liberty's private header for the remote address, which a client must not set.
                .header("$WSRA", "203.0.113.78")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\""
                            + name
                            + "\",\"description\":\"secret-marker-in-body\","
                            + "\"testCases\":[{\"prompt\":\"hello\"}]}")));
    assertEquals(201, created.statusCode(), created.body());
    String id = ((JsonObject) Api.parse(created.body())).getString("id");

    JsonObject e = awaitEntries("resourceId=" + id, 1).getJsonObject(0);
    assertEquals("POST /datasets", e.getString("action"));
    assertEquals("datasets", e.getString("resourceType"));
    assertEquals(id, e.getString("resourceId"));
    assertEquals("success", e.getString("outcome"));
    assertEquals(201, e.getInt("status"));
    assertEquals(AGENT, e.getString("userAgent"));
    assertNotNull(e.getString("ip", null), e.toString());
    assertNotEquals("203.0.113.77", e.getString("ip"), "X-Forwarded-For from an untrusted peer");
    assertNotEquals("203.0.113.78", e.getString("ip"), "$WSRA from a client");
    assertNotNull(e.getString("time"));
    assertFalse(e.toString().contains("secret-marker-in-body"), e.toString());

    // A failed mutation is recorded with its status and problem type.
    String missing = UUID.randomUUID().toString();
    assertEquals(404, Api.delete("/datasets/" + missing).status());
    JsonObject f = awaitEntries("resourceId=" + missing, 1).getJsonObject(0);
    assertEquals("DELETE /datasets/{id}", f.getString("action"));
    assertEquals("failure", f.getString("outcome"));
    assertEquals(404, f.getInt("status"));
    assertEquals("not-found", f.getString("error"));

    // Reads are not audited.
    assertEquals(200, Api.get("/datasets/" + id).status());
    assertEquals(1, awaitEntries("resourceId=" + id, 1).size());
  }

  @Test
  void shouldRecordGraphqlMutations() {
    String datasetId = Fixtures.sumDataset(1);
    JsonObject created =
        Api.graphql(
            "mutation($in: CreateBenchmarkInput!) { createBenchmark(input: $in) { id } }",
            Json.createObjectBuilder()
                .add(
                    "in",
                    Json.createObjectBuilder()
                        .add("datasetId", datasetId)
                        .add(
                            "targets",
                            Json.createArrayBuilder()
                                .add(
                                    Json.createObjectBuilder()
                                        .add("provider", "simulator")
                                        .add("model", "m"))))
                .build());
    String runId = created.getJsonObject("data").getJsonObject("createBenchmark").getString("id");
    JsonObject e = awaitEntries("resourceId=" + runId, 1).getJsonObject(0);
    assertEquals("mutation createBenchmark", e.getString("action"));
    assertEquals("benchmarks", e.getString("resourceType"));
    assertEquals("success", e.getString("outcome"));

    String missing = UUID.randomUUID().toString();
    JsonObject failed =
        Api.graphql("mutation { cancelBenchmark(id: \"" + missing + "\") { id } }", null);
    assertNotNull(failed.get("errors"), failed.toString());
    JsonObject f = awaitEntries("resourceId=" + missing, 1).getJsonObject(0);
    assertEquals("mutation cancelBenchmark", f.getString("action"));
    assertEquals("failure", f.getString("outcome"));
    Api.awaitRunEnd(runId, Duration.ofSeconds(60));
  }

  @Test
  void shouldFilterAndPageInAStableOrder() {
    Instant before = Instant.now().minusSeconds(1);
    String type = "datasets";
    for (int i = 0; i < 3; i++) {
      assertEquals(404, Api.delete("/datasets/" + UUID.randomUUID()).status());
    }
    String query =
        "action="
            + q("DELETE /datasets/{id}")
            + "&resourceType="
            + type
            + "&outcome=failure&since="
            + q(before.toString());
    awaitEntries(query, 3);

    Set<String> seen = new HashSet<>();
    String cursor = null;
    Instant last = Instant.MAX;
    int pages = 0;
    do {
      HttpResponse<String> r =
          audit(query + "&limit=2" + (cursor == null ? "" : "&cursor=" + q(cursor)));
      assertEquals(200, r.statusCode(), r.body());
      JsonObject page = (JsonObject) Api.parse(r.body());
      for (JsonObject e : page.getJsonArray("items").getValuesAs(JsonObject.class)) {
        assertTrue(seen.add(e.getString("id")), "no entry twice: " + e);
        assertEquals("failure", e.getString("outcome"));
        Instant t = Instant.parse(e.getString("time").replaceFirst("\\+00:00$", "Z"));
        assertFalse(t.isAfter(last), "newest first");
        assertFalse(t.isBefore(before), "since honoured");
        last = t;
      }
      cursor = page.getString("nextCursor", null);
      pages++;
    } while (cursor != null && pages < 20);
    assertTrue(seen.size() >= 3, seen.toString());
    assertTrue(pages >= 2, "limit=2 pages");

    // No entry matches an actor nobody is.
    assertEquals(0, awaitEntries("actor=nobody-" + UUID.randomUUID(), 0).size());
    // Until before since: nothing, and an empty window is a bad filter.
    assertEquals(0, awaitEntries(query + "&until=" + q(before.plusMillis(1).toString()), 0).size());
  }

  @Test
  void shouldAnswerBadFiltersWithProblemDetails() {
    HttpResponse<String> r = audit("outcome=maybe&since=yesterday");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    JsonObject p = (JsonObject) Api.parse(r.body());
    Set<String> fields = new HashSet<>();
    p.getJsonArray("violations").forEach(v -> fields.add(((JsonObject) v).getString("field")));
    assertEquals(Set.of("outcome", "since"), fields);

    HttpResponse<String> window = audit("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z");
    assertEquals(400, window.statusCode(), window.body());
    assertEquals(400, audit("cursor=not-a-cursor").statusCode());
    assertEquals(400, audit("limit=0").statusCode());
  }
}
