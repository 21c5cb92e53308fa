package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import it.support.RunResults;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * POST /results/export in every format, each parsed by a real parser: Commons CSV, a JSON parser,
 * the JDK's XML parser validating JUnit XML against its schema, and the HTML report as well-formed
 * XHTML. A run with two targets gives passes, failed assertions and failed calls.
 */
class ExportIT {

  static String runId;
  static Map<String, JsonObject> byId = new HashMap<>();

  @BeforeAll
  static void run() {
    String dataset = Fixtures.sumDataset(15);
    Api.Res created =
        Api.post(
            "/benchmarks",
            "{\"name\":\"export <&> \\\"run\\\"\",\"datasetId\":\""
                + dataset
                + "\",\"targets\":["
                + "{\"provider\":\"simulator\",\"model\":\"mixed\",\"options\":{\"answer\":\"expected\","
                + "\"accuracy\":\"0.5\",\"errorRate\":\"0.2\",\"seed\":\"7\"}},"
                + "{\"provider\":\"simulator\",\"model\":\"echo\"}],"
                + "\"repeats\":2,\"cache\":false}");
    assertEquals(202, created.status(), created.toString());
    runId = created.json().getString("id");
    JsonObject run = Api.awaitRunEnd(runId, Duration.ofMinutes(3));
    assertEquals("completed", run.getString("status"), run.toString());
    RunResults.idsByItemKey(runId); // pages through everything once
    String cursor = null;
    do {
      JsonObject page =
          Api.get(
                  "/results?runId="
                      + runId
                      + "&limit=1000"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      for (JsonValue v : page.getJsonArray("items")) {
        byId.put(v.asJsonObject().getString("id"), v.asJsonObject());
      }
      cursor = page.containsKey("nextCursor") ? page.getString("nextCursor") : null;
    } while (cursor != null);
    assertEquals(60, byId.size());
    Set<String> statuses = new HashSet<>();
    byId.values().forEach(r -> statuses.add(r.getString("status")));
    assertTrue(
        statuses.containsAll(List.of("success", "failure", "error")),
        "the run should give every outcome: " + statuses);
  }

  static Api.Res export(String format, String extra) {
    return Api.post(
        "/results/export",
        "{\"format\":\"" + format + "\",\"runId\":\"" + runId + "\"" + extra + "}");
  }

  @Test
  void csvHasOneRecordPerResultWithEveryField() throws Exception {
    Api.Res res = export("csv", "");
    assertEquals(200, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("text/csv"), res.contentType());
    try (CSVParser p =
        CSVParser.builder()
            .setReader(new StringReader(res.body()))
            .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())
            .get()) {
      List<CSVRecord> records = p.getRecords();
      assertEquals(byId.size(), records.size());
      assertTrue(p.getHeaderNames().containsAll(List.of("id", "status", "prompt", "response")));
      for (CSVRecord r : records) {
        JsonObject api = byId.get(r.get("id"));
        assertEquals(api.getString("status"), r.get("status"));
        assertEquals(api.getString("prompt"), r.get("prompt"));
        assertEquals(api.getString("model"), r.get("model"));
        assertEquals(runId, r.get("runId"));
        if (api.getString("status").equals("failure")) {
          assertFalse(r.get("failedAssertions").isBlank(), r.toString());
        }
      }
    }
  }

  @Test
  void jsonIsAnArrayOfTheResultsAsListed() {
    Api.Res res = export("json", "");
    assertEquals(200, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("application/json"), res.contentType());
    JsonArray all = Api.parse(res.body()).asJsonArray();
    assertEquals(byId.size(), all.size());
    for (JsonValue v : all) {
      JsonObject r = v.asJsonObject();
      assertEquals(byId.get(r.getString("id")), r);
    }
  }

  @Test
  void jsonLinesHasOneObjectPerLine() {
    Api.Res res = export("jsonl", "");
    assertEquals(200, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("application/x-ndjson"), res.contentType());
    String[] lines = res.body().split("\n");
    assertEquals(byId.size(), lines.length);
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      JsonObject r = Json.createReader(new StringReader(line)).readObject();
      ids.add(r.getString("id"));
    }
    assertEquals(byId.keySet(), ids);
  }

  @Test
  void junitValidatesAndHasASuitePerTargetAndACasePerResult() throws Exception {
    Api.Res res = export("junit", "");
    assertEquals(200, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("application/xml"), res.contentType());
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(new StreamSource(getClass().getResource("/it/junit-report.xsd").toString()))
        .newValidator()
        .validate(new StreamSource(new StringReader(res.body())));
    Document doc = parse(res.body(), false);
    NodeList suites = doc.getElementsByTagName("testsuite");
    assertEquals(2, suites.getLength());
    int cases = 0;
    for (int i = 0; i < suites.getLength(); i++) {
      Element suite = (Element) suites.item(i);
      String model = suite.getAttribute("package").replace("simulator.", "");
      long failures = count("failure", model);
      long errors = count("error", model) + count("timeout", model);
      NodeList tcs = suite.getElementsByTagName("testcase");
      assertEquals(30, tcs.getLength());
      assertEquals("30", suite.getAttribute("tests"));
      assertEquals(Long.toString(failures), suite.getAttribute("failures"));
      assertEquals(Long.toString(errors), suite.getAttribute("errors"));
      assertEquals(failures, suite.getElementsByTagName("failure").getLength());
      assertEquals(errors, suite.getElementsByTagName("error").getLength());
      assertTrue(
          suite.getAttribute("name").contains("export <&> \"run\""), suite.getAttribute("name"));
      cases += tcs.getLength();
      for (int j = 0; j < tcs.getLength(); j++) {
        Element tc = (Element) tcs.item(j);
        NodeList failure = tc.getElementsByTagName("failure");
        if (failure.getLength() == 1) {
          String message = ((Element) failure.item(0)).getAttribute("message");
          assertTrue(
              message.contains("numeric-answer") || message.contains("assertions failed"), message);
        }
      }
    }
    assertEquals(byId.size(), cases);
    assertEquals(Integer.toString(byId.size()), doc.getDocumentElement().getAttribute("tests"));
  }

  private static long count(String status, String model) {
    return byId.values().stream()
        .filter(r -> r.getString("model").equals(model) && r.getString("status").equals(status))
        .count();
  }

  @Test
  void htmlIsAWellFormedSelfContainedReport() throws Exception {
    Api.Res res = export("html", "");
    assertEquals(200, res.status(), res.toString());
    assertTrue(res.contentType().startsWith("text/html"), res.contentType());
    assertTrue(res.body().startsWith("<!DOCTYPE html>"), res.body().substring(0, 40));
    Document doc = parse(res.body(), true);
    assertEquals("html", doc.getDocumentElement().getLocalName());
    // a summary row per target, a header and a row per result in each target's table
    NodeList tables = doc.getElementsByTagNameNS("*", "table");
    assertEquals(3, tables.getLength());
    int rows = 0;
    for (int i = 1; i < tables.getLength(); i++) {
      rows += ((Element) tables.item(i)).getElementsByTagNameNS("*", "tr").getLength() - 1;
    }
    assertEquals(byId.size(), rows);
    assertEquals(0, doc.getElementsByTagNameNS("*", "script").getLength());
    assertEquals(0, doc.getElementsByTagNameNS("*", "link").getLength());
    assertEquals(0, doc.getElementsByTagNameNS("*", "img").getLength());
    assertFalse(res.body().contains("http://") && res.body().matches("(?s).*(src|href)=.*"));
  }

  @Test
  void filtersSelectAsTheResultListDoes() {
    long failures = byId.values().stream().filter(r -> !r.getBoolean("passed")).count();
    JsonArray failed = Api.parse(export("json", ",\"passed\":false").body()).asJsonArray();
    assertEquals(failures, failed.size());
    JsonArray echo =
        Api.parse(export("json", ",\"model\":\"echo\",\"status\":\"failure\"").body())
            .asJsonArray();
    assertEquals(count("failure", "echo"), echo.size());
  }

  @Test
  void badRequestsAreProblems() {
    Api.Res noFormat = Api.post("/results/export", "{\"runId\":\"" + runId + "\"}");
    assertEquals(400, noFormat.status(), noFormat.toString());
    assertTrue(noFormat.body().contains("format"), noFormat.body());
    Api.Res badFormat = export("pdf", "");
    assertEquals(400, badFormat.status());
    assertTrue(badFormat.contentType().startsWith("application/problem+json"));
    assertTrue(badFormat.body().contains("csv, json, jsonl, junit, html"), badFormat.body());
    assertEquals(
        404,
        Api.post(
                "/results/export",
                "{\"format\":\"csv\",\"runId\":\"00000000-0000-0000-0000-000000000000\"}")
            .status());
    assertEquals(400, Api.post("/results/export", "{\"format\":\"csv\",\"runId\":\"x\"}").status());
    assertEquals(400, export("csv", ",\"status\":\"done\"").status());
  }

  @Test
  void providerSecretsNeverAppear() throws Exception {
    String secret = "sk-export-" + java.util.UUID.randomUUID();
    try (OpenAiStub stub = new OpenAiStub(0)) {
      String name = Fixtures.unique("secret");
      Api.Res reg =
          Api.post(
              "/providers",
              "{\"name\":\""
                  + name
                  + "\",\"adapter\":\"openai\",\"baseUrl\":\""
                  + stub.baseUrl()
                  + "\",\"apiKey\":\""
                  + secret
                  + "\",\"models\":[\"good\",\"broken\"]}");
      assertEquals(201, reg.status(), reg.toString());
      String dataset = Fixtures.sumDataset(3);
      Api.Res run =
          Api.post(
              "/benchmarks",
              "{\"datasetId\":\""
                  + dataset
                  + "\",\"targets\":[{\"provider\":\""
                  + name
                  + "\",\"model\":\"good\"},{\"provider\":\""
                  + name
                  + "\",\"model\":\"broken\"}],\"cache\":false}");
      assertEquals(202, run.status(), run.toString());
      String id = run.json().getString("id");
      Api.awaitRunEnd(id, Duration.ofMinutes(2));
      assertTrue(stub.requests().stream().anyMatch(r -> r.authorization().contains(secret)));
      for (String format : List.of("csv", "json", "jsonl", "junit", "html")) {
        Api.Res res =
            Api.post("/results/export", "{\"format\":\"" + format + "\",\"runId\":\"" + id + "\"}");
        assertEquals(200, res.status(), res.toString());
        assertTrue(res.body().contains("good"), format);
        assertFalse(res.body().contains(secret), format + " export contains the provider's key");
      }
    }
  }

  private static Document parse(String xml, boolean namespaces) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(namespaces);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }
}
