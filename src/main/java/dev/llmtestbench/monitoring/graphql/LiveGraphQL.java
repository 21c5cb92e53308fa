package dev.llmtestbench.monitoring.graphql;

import dev.llmtestbench.monitoring.ws.RealtimeHub;
import graphql.GraphQL;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** What the {@code /graphql/ws} endpoint shares: the subscription schema, the hub, settings. */
@ApplicationScoped
public class LiveGraphQL {

  @Inject RealtimeHub hub;
  @Inject MetricRegistry registry;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "ltb.graphql.ws.init-timeout-ms", defaultValue = "10000")
  long initTimeoutMs;

  @Inject
  @ConfigProperty(name = "ltb.ws.max-queued-messages", defaultValue = "10000")
  int maxQueued;

  private GraphQL graphql;
  private final AtomicLong dropped = new AtomicLong();

  @PostConstruct
  void init() {
    graphql = LiveSchema.build();
    registry.gauge("ltb_graphql_ws_messages_dropped_total", dropped, AtomicLong::get);
  }

  GraphQL graphql() {
    return graphql;
  }

  RealtimeHub hub() {
    return hub;
  }

  ManagedScheduledExecutorService scheduler() {
    return scheduler;
  }

  long initTimeoutMs() {
    return initTimeoutMs;
  }

  int maxQueued() {
    return maxQueued;
  }

  void dropped(long n) {
    dropped.addAndGet(n);
  }
}
