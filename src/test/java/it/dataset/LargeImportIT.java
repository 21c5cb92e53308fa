package it.dataset;

import static it.support.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Enumeration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Imports of tens of thousands of cases generated as the request body is sent (nothing in the
 * repository, never all in the test's memory either): JSONL, CSV and Hugging Face JSON are stored
 * whole, in order; one bad record near the end answers a 400 naming it, and nothing of that dataset
 * is stored.
 */
class LargeImportIT {

  private static final int CASES = 50_000;
  private static final int BAD_CASES = 20_000;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void shouldImportFiftyThousandJsonlCasesInOrder() throws Exception {
    String name = Fixtures.unique("large-jsonl");
    Api.Res res =
        stream(
            "/datasets/import?format=jsonl&name="
                + name
                + "&promptTemplate="
                + URLEncoder.encode("What is {{ a }} + {{ a }}?", StandardCharsets.UTF_8)
                + "&expectedField=answer",
            "application/x-ndjson",
            CASES,
            i -> "{\"id\":\"c" + i + "\",\"a\":" + i + ",\"answer\":\"#### " + 2 * i + "\"}\n");
    assertEquals(201, res.status(), res.toString());
    JsonObject dataset = res.json();
    assertEquals(CASES, dataset.getInt("testCaseCount"));
    String id = dataset.getString("id");
    assertEquals(CASES, get("/datasets/" + id).json().getInt("testCaseCount"));
    for (int ordinal : new int[] {0, 1, 12_345, 33_333, CASES - 1}) {
      JsonObject c = caseAt(id, ordinal);
      assertEquals("c" + ordinal, c.getString("testId"), c.toString());
      assertEquals("#### " + 2 * ordinal, c.getString("expected"), c.toString());
      assertEquals(ordinal, c.getJsonObject("vars").getInt("a"), c.toString());
    }
    JsonObject last =
        get("/datasets/" + id + "/test-cases?limit=5&cursor=" + cursor(CASES - 3)).json();
    assertEquals(2, last.getJsonArray("items").size(), last.toString());
  }

  @Test
  void shouldImportFiftyThousandCsvRows() throws Exception {
    String name = Fixtures.unique("large-csv");
    Api.Res res =
        stream(
            "/datasets/import?format=csv&name=" + name + "&promptField=question",
            "text/csv",
            CASES,
            i ->
                (i == 0 ? "question,expected,__expected\n" : "")
                    + "\"Say \"\"hi\"\", row "
                    + i
                    + "\",hi "
                    + i
                    + ",contains: hi\n");
    assertEquals(201, res.status(), res.toString());
    String id = res.json().getString("id");
    assertEquals(CASES, res.json().getInt("testCaseCount"));
    JsonObject c = caseAt(id, 40_000);
    assertEquals("Say \"hi\", row 40000", c.getJsonObject("vars").getString("question"));
    assertEquals("hi 40000", c.getString("expected"));
    assertEquals("contains", c.getJsonArray("assert").getJsonObject(0).getString("type"));
  }

  @Test
  void shouldImportHuggingFaceRowsInTheDatasetsServerShape() throws Exception {
    String name = Fixtures.unique("large-hf");
    int rows = BAD_CASES;
    Api.Res res =
        stream(
            "/datasets/import?format=hf&name=" + name + "&promptField=question",
            "application/json",
            rows + 1,
            i ->
                i == 0
                    ? "{\"features\":[{\"name\":\"question\"}],\"rows\":[\n"
                    : "{\"row_idx\":"
                        + (i - 1)
                        + ",\"row\":{\"question\":\"q"
                        + (i - 1)
                        + "\",\"answer\":\"a"
                        + (i - 1)
                        + "\"}}"
                        + (i == rows ? "],\"num_rows_total\":" + rows + "}" : ",\n"));
    assertEquals(201, res.status(), res.toString());
    assertEquals(rows, res.json().getInt("testCaseCount"));
    JsonObject c = caseAt(res.json().getString("id"), rows - 1);
    assertEquals("row-" + (rows - 1), c.getString("testId"));
    assertEquals("a" + (rows - 1), c.getString("expected"));
  }

  @Test
  void shouldStoreNothingWhenARecordNearTheEndIsBad() throws Exception {
    String name = Fixtures.unique("large-bad");
    int bad = BAD_CASES - 10;
    Api.Res res =
        stream(
            "/datasets/import?format=jsonl&name="
                + name
                + "&promptTemplate="
                + URLEncoder.encode("Echo {{ word }}", StandardCharsets.UTF_8),
            "application/x-ndjson",
            BAD_CASES,
            i -> i == bad ? "{\"other\":1}\n" : "{\"word\":\"w" + i + "\"}\n");
    assertEquals(400, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("application/problem+json"), res.toString());
    JsonObject problem = res.json();
    assertEquals(
        "testCases[" + bad + "].vars",
        problem.getJsonArray("violations").getJsonObject(0).getString("field"),
        problem.toString());
    assertTrue(problem.getString("detail").contains("word"), problem.toString());
    assertNotStored(name);

    Api.Res csv =
        stream(
            "/datasets/import?format=csv&name=" + name + "&promptField=q",
            "text/csv",
            BAD_CASES,
            i -> (i == 0 ? "q,expected\n" : "") + (i == bad ? "x,y,z\n" : "q" + i + ",e\n"));
    assertEquals(400, csv.status(), csv.toString());
    assertTrue(
        csv.json().getString("detail").contains("row " + (bad + 1) + " (line " + (bad + 2) + ")"),
        csv.toString());
    assertNotStored(name);
  }

  /** Posts {@code count} lines made one at a time as the client sends them. */
  private static Api.Res stream(
      String path, String contentType, int count, IntFunction<String> line) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(Api.API + path))
            .header("Content-Type", contentType)
            .header("Authorization", Api.authorization())
            .timeout(Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> lines(count, line)))
            .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return new Api.Res(
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(""),
        r.body(),
        r.headers().firstValue("Location").orElse(null),
        r.headers().firstValue("WWW-Authenticate").orElse(null));
  }

  private static InputStream lines(int count, IntFunction<String> line) {
    return new SequenceInputStream(
        new Enumeration<InputStream>() {
          private int i;

          @Override
          public boolean hasMoreElements() {
            return i < count;
          }

          @Override
          public InputStream nextElement() {
            return new ByteArrayInputStream(line.apply(i++).getBytes(StandardCharsets.UTF_8));
          }
        });
  }

  private static JsonObject caseAt(String datasetId, int ordinal) {
    String path = "/datasets/" + datasetId + "/test-cases?limit=1";
    JsonObject page = get(ordinal == 0 ? path : path + "&cursor=" + cursor(ordinal - 1)).json();
    JsonObject c = page.getJsonArray("items").getJsonObject(0);
    assertEquals(ordinal, c.getInt("ordinal"), c.toString());
    return c;
  }

  /** The page cursor after the given ordinal, as the server makes them. */
  private static String cursor(int ordinal) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("s:" + ordinal).getBytes(StandardCharsets.UTF_8));
  }

  private static void assertNotStored(String name) {
    JsonObject page = get("/datasets?limit=500").json();
    for (JsonValue d : page.getJsonArray("items")) {
      assertTrue(!d.asJsonObject().getString("name").equals(name), "stored: " + d);
    }
  }
}
