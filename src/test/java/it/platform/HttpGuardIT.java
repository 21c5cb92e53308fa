package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Security headers, CORS (the test server allows https://app.example.test, see pom.xml) and request
 * body limits (ltb.http.max-body-bytes at its default of 10 MiB).
 */
class HttpGuardIT {

  private static final String ORIGIN = "https://app.example.test";
  private static final int MAX_BODY = 10 * 1024 * 1024;

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static boolean isProblem(HttpResponse<?> r) {
    return header(r, "Content-Type") != null
        && header(r, "Content-Type").startsWith("application/problem+json");
  }

  @Test
  void shouldSendSecurityHeadersOnApiResponses() {
    for (HttpResponse<String> r :
        new HttpResponse[] {
          Api.exchange(Api.request("/datasets?limit=1").GET()),
          Api.exchange(Api.request("/no-such-thing").GET()),
          Api.exchange(
              Api.request(Api.BASE + "/graphql")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")))
        }) {
      assertEquals("nosniff", header(r, "X-Content-Type-Options"), r.uri().toString());
      assertEquals("DENY", header(r, "X-Frame-Options"));
      assertTrue(header(r, "Content-Security-Policy").contains("frame-ancestors 'none'"));
      assertEquals("no-referrer", header(r, "Referrer-Policy"));
      assertEquals("no-store", header(r, "Cache-Control"), r.uri().toString());
      // Plain HTTP: no HSTS (browsers ignore it over HTTP anyway).
      assertEquals(null, header(r, "Strict-Transport-Security"));
    }
  }

  @Test
  void shouldAnswerCorsPreflightsForConfiguredOriginsOnly() {
    HttpResponse<String> ok =
        Api.exchange(
            Api.request("/benchmarks")
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertEquals(204, ok.statusCode(), ok.body());
    assertEquals(ORIGIN, header(ok, "Access-Control-Allow-Origin"));
    assertTrue(header(ok, "Access-Control-Allow-Methods").contains("POST"));
    assertTrue(header(ok, "Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
    assertEquals("600", header(ok, "Access-Control-Max-Age"));
    assertEquals(null, header(ok, "Access-Control-Allow-Credentials"));

    HttpResponse<String> otherOrigin =
        Api.exchange(
            Api.request("/benchmarks")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertEquals(403, otherOrigin.statusCode());
    assertTrue(isProblem(otherOrigin));
    assertEquals(null, header(otherOrigin, "Access-Control-Allow-Origin"));

    HttpResponse<String> badMethod =
        Api.exchange(
            Api.request("/benchmarks")
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "TRACE")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertEquals(403, badMethod.statusCode());

    HttpResponse<String> actual =
        Api.exchange(Api.request("/datasets?limit=1").header("Origin", ORIGIN).GET());
    assertEquals(200, actual.statusCode());
    assertEquals(ORIGIN, header(actual, "Access-Control-Allow-Origin"));
    assertTrue(header(actual, "Access-Control-Expose-Headers").contains("Retry-After"));
    assertTrue(actual.headers().allValues("Vary").toString().contains("Origin"));

    HttpResponse<String> foreign =
        Api.exchange(
            Api.request("/datasets?limit=1").header("Origin", "https://evil.example").GET());
    assertEquals(null, header(foreign, "Access-Control-Allow-Origin"));
  }

  @Test
  void shouldRefuseBodiesOverTheLimitWith413() {
    byte[] big = new byte[MAX_BODY + 1];
    Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    HttpResponse<String> declared =
        Api.exchange(
            Api.request("/datasets")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
    assertEquals(413, declared.statusCode(), declared.body());
    assertTrue(isProblem(declared));
    JsonObject p = (JsonObject) Api.parse(declared.body());
    assertEquals("https://llmtestbench.dev/problems/payload-too-large", p.getString("type"));

    // Without a Content-Length (chunked), counted while read.
    HttpResponse<String> chunked =
        Api.exchange(
            Api.request("/datasets")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    assertEquals(413, chunked.statusCode(), chunked.body());
    assertTrue(isProblem(chunked), chunked.body());

    // A body under the limit is still fine.
    assertEquals(201, Api.post("/datasets", smallDataset()).status());
  }

  @Test
  void shouldLetDatasetImportsUseTheirOwnLargerLimit() {
    // 110 cases of 99,000 characters: ~10.9 MB, over ltb.http.max-body-bytes, under the import's 50
    // MiB.
    StringBuilder jsonl = new StringBuilder();
    String prompt = "p".repeat(99_000);
    for (int i = 0; i < 110; i++) {
      jsonl.append("{\"prompt\":\"").append(i).append(prompt).append("\"}\n");
    }
    byte[] body = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    assertTrue(body.length > MAX_BODY);
    HttpResponse<String> r =
        Api.exchange(
            Api.request("/datasets/import?format=jsonl&name=" + Fixtures.unique("big-import"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertEquals(
        201, r.statusCode(), r.body().length() > 500 ? r.body().substring(0, 500) : r.body());
    String id = ((JsonObject) Api.parse(r.body())).getString("id");
    assertFalse(id.isEmpty());
    assertEquals(204, Api.delete("/datasets/" + id).status());
  }

  private static String smallDataset() {
    return "{\"name\":\"" + Fixtures.unique("small") + "\",\"testCases\":[{\"prompt\":\"hi\"}]}";
  }
}
