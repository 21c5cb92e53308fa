package it.platform;

import static it.support.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health, metrics and the API description, as operators and integrators use them. */
class OperationsIT {

  @Test
  void shouldReportLiveAndReadyWithDatabaseAndJobRepository() {
    assertEquals(200, get(Api.BASE + "/health/live").status());
    Api.Res ready = get(Api.BASE + "/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    JsonObject check = ready.json().getJsonArray("checks").getJsonObject(0);
    assertEquals("UP", check.getString("status"));
    assertEquals("up", check.getJsonObject("data").getString("jobRepository"));
  }

  @Test
  void shouldExportSeedMetricsAfterARun() {
    String datasetId = Fixtures.sumDataset(2);
    String runId =
        Api.post(
                "/benchmarks",
                "{\"datasetId\":\""
                    + datasetId
                    + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"metrics-probe\"}]}")
            .json()
            .getString("id");
    Api.awaitRunEnd(runId, Duration.ofSeconds(60));
    // A route Liberty serves outside the application, so that its request timer exists too.
    assertEquals(200, get(Api.BASE + "/health/ready").status());
    String metrics = get(Api.BASE + "/metrics").body();
    for (String name :
        new String[] {
          "llm_benchmark_total",
          "llm_test_total{",
          "llm_provider_requests_total{",
          "llm_provider_latency_seconds_bucket{",
          "llm_provider_tokens_total{",
          "llm_active_benchmarks"
        }) {
      assertTrue(metrics.contains(name), name + " missing from /metrics");
    }
    assertTrue(metrics.contains("model=\"metrics-probe\""));
    // Quantiles only for the two latency timers (mp.metrics.distribution.percentiles, server.xml);
    // Liberty's request timer has histogram buckets instead, its per-method timer neither.
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("llm_provider_latency_seconds{")
                        && l.contains("quantile=\"0.99\"")),
        "provider latency quantiles missing");
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("http_server_request_duration_seconds_bucket{")
                        && l.contains("/api/v1/benchmarks")),
        "HTTP request duration buckets missing");
    assertTrue(
        metrics
            .lines()
            .noneMatch(
                l ->
                    (l.startsWith("REST_request_seconds{")
                            || l.startsWith("http_server_request_duration_seconds{"))
                        && l.contains("quantile=")),
        "quantiles of Liberty's request timers should be off (server.xml variables)");
  }

  @Test
  void shouldPublishOpenApiAndGraphqlSchema() {
    Api.Res openapi = get(Api.BASE + "/openapi?format=JSON");
    assertEquals(200, openapi.status());
    JsonObject paths = openapi.json().getJsonObject("paths");
    for (String p :
        new String[] {
          "/api/v1/benchmarks",
          "/api/v1/benchmarks/{id}",
          "/api/v1/benchmarks/{id}/cancel",
          "/api/v1/results",
          "/api/v1/results/{id}",
          "/api/v1/datasets",
          "/api/v1/providers"
        }) {
      assertTrue(paths.containsKey(p), p + " missing from OpenAPI");
    }
    Api.Res schema = get(Api.BASE + "/graphql/schema.graphql");
    assertEquals(200, schema.status());
    assertTrue(schema.body().contains("createBenchmark"));
    assertTrue(schema.body().contains("cancelBenchmark"));
  }
}
