package it.provider;

import static it.support.Api.get;
import static it.support.Api.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import it.support.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a run records of its provider calls, end to end: retries of transient failures (with
 * events), time to first token of streamed answers, cache hits on a re-run, and cost.
 */
class ProviderPipelineIT {

  static OpenAiStub stub;

  @BeforeAll
  static void startStub() throws Exception {
    stub = new OpenAiStub(0);
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  private static String run(String datasetId, String provider, String model, String extra) {
    Api.Res res =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"targets\":[{\"provider\":\""
                + provider
                + "\",\"model\":\""
                + model
                + "\"}]"
                + extra
                + "}");
    assertEquals(202, res.status(), res.toString());
    String id = res.json().getString("id");
    JsonObject done = Api.awaitRunEnd(id, Duration.ofSeconds(90));
    assertEquals("completed", done.getString("status"), done.toString());
    return id;
  }

  /** The sum of a Prometheus metric's series whose labels contain {@code label}. */
  private static double metric(String prefix, String label) {
    double sum = 0;
    for (String line : get(Api.BASE + "/metrics").body().split("\n")) {
      if (line.startsWith(prefix) && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static List<JsonObject> results(String runId) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonValue v : get("/results?runId=" + runId + "&limit=100").json().getJsonArray("items")) {
      out.add(v.asJsonObject());
    }
    return out;
  }

  @Test
  void shouldRetryTransientFailuresRecordAttemptsAndAnnounceThem() {
    String provider = Fixtures.registerStub(stub, null);
    String datasetId = Fixtures.sumDataset(3);
    try (WsClient ws = WsClient.connect()) {
      ws.send("{\"type\":\"Subscribe\",\"topics\":[\"provider.*\"]}");
      assertEquals("Ack", ws.next(Duration.ofSeconds(10)).getString("type"));
      String runId = run(datasetId, provider, "flaky", "");
      for (JsonObject r : results(runId)) {
        assertEquals("success", r.getString("status"), r.toString());
        assertEquals(2, r.getInt("attempts"), "one 503, then the answer");
      }
      JsonObject summary = get("/benchmarks/" + runId).json().getJsonObject("summary");
      assertEquals(3, summary.getJsonObject("overall").getInt("retries"));
      Api.await(
          "provider.retry events",
          Duration.ofSeconds(10),
          () ->
              ws.received().stream()
                      .filter(m -> "provider.retry".equals(m.getString("topic", "")))
                      .filter(
                          m -> provider.equals(m.getJsonObject("payload").getString("provider")))
                      .count()
                  == 3);
    }
  }

  @Test
  void shouldCountRateLimitedAttemptsOnTheResult() {
    String provider = Fixtures.registerStub(stub, null);
    String runId = run(Fixtures.sumDataset(2), provider, "throttled", ",\"cache\":false");
    for (JsonObject r : results(runId)) {
      assertEquals("success", r.getString("status"), r.toString());
      assertEquals(2, r.getInt("attempts"));
      assertEquals(1, r.getInt("rateLimited"), "the 429 is counted on the result");
    }
    assertTrue(get(Api.BASE + "/metrics").body().contains("llm_provider_rate_limited_total{"));
  }

  @Test
  void shouldMeasureTimeToFirstTokenOfStreamedAnswers() {
    String provider = Fixtures.registerStub(stub, null);
    String runId = run(Fixtures.sumDataset(2), provider, "good", ",\"stream\":true");
    for (JsonObject r : results(runId)) {
      assertTrue(r.getBoolean("passed"), r.toString());
      double ttft = r.getJsonNumber("timeToFirstTokenMs").doubleValue();
      double latency = r.getJsonNumber("latencyMs").doubleValue();
      assertTrue(latency >= OpenAiStub.STREAM_PAUSE_MS, "latency covers the whole stream");
      assertTrue(ttft < latency - OpenAiStub.STREAM_PAUSE_MS / 2.0, ttft + " vs " + latency);
      assertEquals(false, r.getBoolean("tokensEstimated"), "usage came with the stream");
    }
    assertNotNull(
        get("/benchmarks/" + runId)
            .json()
            .getJsonObject("summary")
            .getJsonObject("overall")
            .get("timeToFirstTokenP50Ms"));
  }

  @Test
  void shouldAnswerARepeatedRunFromTheCacheUnlessTheRunOptsOut() {
    String provider = Fixtures.registerStub(stub, null);
    String datasetId = Fixtures.sumDataset(3);
    run(datasetId, provider, "good", "");
    long calls = stub.requests().size();
    double tests = metric("llm_test_total{", "status=\"success\"");
    double requests = metric("llm_provider_requests_total{", "provider=\"" + provider + "\"");

    String second = run(datasetId, provider, "good", "");
    assertEquals(calls, stub.requests().size(), "the second run made no call");
    assertEquals(tests + 3, metric("llm_test_total{", "status=\"success\""), "tests count");
    assertEquals(
        requests,
        metric("llm_provider_requests_total{", "provider=\"" + provider + "\""),
        "cache hits are not provider requests");
    for (JsonObject r : results(second)) {
      assertTrue(r.getJsonObject("cacheStats").getBoolean("providerCacheHit"), r.toString());
      assertTrue(r.getBoolean("passed"));
    }
    JsonObject overall =
        get("/benchmarks/" + second).json().getJsonObject("summary").getJsonObject("overall");
    assertEquals(3, overall.getInt("cacheHits"));
    assertTrue(
        !overall.containsKey("latencyP50Ms") || overall.isNull("latencyP50Ms"),
        "cache hits are not provider latency: " + overall);

    run(datasetId, provider, "good", ",\"cache\":false");
    assertEquals(calls + 3, stub.requests().size(), "opting out calls the provider again");
  }

  @Test
  void shouldServeEveryCaseOfAManyPageRunFromTheCache() {
    // Windows of 3 calls read pages of 3 items ahead while earlier pages' items still wait to
    // start: every one of them must find its cache entry, not only those of the latest page.
    String provider = Fixtures.registerStub(stub, null);
    String datasetId = Fixtures.sumDataset(120);
    run(datasetId, provider, "good", ",\"concurrency\":3,\"partitions\":2");
    long calls = stub.requests().size();
    String second = run(datasetId, provider, "good", ",\"concurrency\":3,\"partitions\":2");
    assertEquals(calls, stub.requests().size(), "the second run made no call");
    JsonObject overall =
        get("/benchmarks/" + second).json().getJsonObject("summary").getJsonObject("overall");
    assertEquals(120, overall.getInt("cacheHits"), overall.toString());
  }

  @Test
  void shouldPriceCallsFromThePricingTable() {
    String provider = Fixtures.registerStub(stub, null);
    String runId = run(Fixtures.sumDataset(2), provider, "gpt-6.1-terra", ",\"cache\":false");
    double total = 0;
    for (JsonObject r : results(runId)) {
      // gpt-6.1-terra: 1.00 USD per 1M input tokens, 5.00 per 1M output tokens (pricing 2026-11).
      double expected =
          (r.getInt("promptTokens") * 1.00 + r.getInt("completionTokens") * 5.00) / 1_000_000;
      assertEquals(expected, r.getJsonNumber("cost").doubleValue(), 1e-12, r.toString());
      assertEquals("2026-11", r.getJsonObject("costDetails").getString("pricingVersion"));
      total += expected;
    }
    JsonObject overall =
        get("/benchmarks/" + runId).json().getJsonObject("summary").getJsonObject("overall");
    assertEquals(total, overall.getJsonNumber("totalCost").doubleValue(), 1e-12);
    assertTrue(get(Api.BASE + "/metrics").body().contains("llm_provider_cost_total{"));
  }

  @Test
  void shouldSendToolsAndResponseFormatAndRecordToolCalls() {
    String provider = Fixtures.registerStub(stub, null);
    int before = stub.requests().size();
    String runId =
        run(
            Fixtures.sumDataset(1),
            provider,
            "tooly",
            ",\"cache\":false,\"responseFormat\":{\"type\":\"json_object\"},\"tools\":[{\"name\":"
                + "\"add\",\"description\":\"Adds two numbers\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}}}}]");
    JsonObject sent = stub.requests().get(before).body();
    assertEquals("json_object", sent.getJsonObject("response_format").getString("type"));
    assertEquals(
        "add",
        sent.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"));
    JsonObject r = results(runId).get(0);
    JsonObject call = r.getJsonArray("toolCalls").getJsonObject(0);
    assertEquals("add", call.getString("name"));
    assertEquals("{\"a\":1,\"b\":2}", call.getString("arguments"));
    assertEquals("tool_calls", r.getString("finishReason"));

    Api.Res bad =
        post(
            "/benchmarks",
            "{\"datasetId\":\""
                + Fixtures.sumDataset(1)
                + "\",\"targets\":[{\"provider\":\""
                + provider
                + "\",\"model\":\"tooly\"}],\"responseFormat\":{\"type\":\"xml\"},\"topLogprobs\":99}");
    assertEquals(400, bad.status(), bad.toString());
    assertTrue(bad.body().contains("responseFormat.type") && bad.body().contains("topLogprobs"));
  }
}
