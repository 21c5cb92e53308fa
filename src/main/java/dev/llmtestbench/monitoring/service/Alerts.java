package dev.llmtestbench.monitoring.service;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The seeds' alerts, published on {@code alerts.*}: a run that failed ({@code
 * alerts.benchmark_failed}, critical), a run whose share of failed calls passed {@code
 * ltb.alerts.error-rate} ({@code alerts.error_rate}, warning, once per run), and a provider whose
 * circuit opened ({@code alerts.circuit_open}, warning).
 */
@ApplicationScoped
public class Alerts {

  @Inject EventBus bus;
  @Inject MetricRegistry registry;

  @Inject
  @ConfigProperty(name = "ltb.alerts.error-rate", defaultValue = "0.5")
  double errorRate;

  @Inject
  @ConfigProperty(name = "ltb.alerts.error-rate-min-results", defaultValue = "10")
  int errorRateMinResults;

  public double errorRateThreshold() {
    return errorRate;
  }

  public int errorRateMinResults() {
    return errorRateMinResults;
  }

  public void raise(
      String topic, String severity, UUID run, String message, Map<String, Object> details) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("event", "Alert");
    p.put("alert", topic.substring(topic.indexOf('.') + 1));
    p.put("severity", severity);
    p.put("message", message);
    p.put("session_id", run == null ? null : run.toString());
    p.put("details", details);
    registry.counter("llm_alerts", new Tag("alert", topic), new Tag("severity", severity)).inc();
    bus.publish(RealtimeEvent.of(topic, run, p));
  }
}
