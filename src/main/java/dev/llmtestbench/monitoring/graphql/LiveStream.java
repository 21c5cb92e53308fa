package dev.llmtestbench.monitoring.graphql;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.ws.RealtimeHub;
import dev.llmtestbench.monitoring.ws.Subscriber;
import dev.llmtestbench.monitoring.ws.Topics;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.security.Visibility;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

/**
 * The events of one GraphQL subscription: a hub {@link Subscriber} for the root field's topics (and
 * run), and the reactive-streams publisher graphql-java maps onto the selected fields. Events
 * beyond the subscriber's demand are dropped and counted (graphql-java requests as its subscriber
 * does; the endpoint requests everything and bounds its own send queue).
 */
final class LiveStream implements Publisher<Map<String, Object>>, Subscriber {

  static final List<String> ROOT_FIELDS =
      List.of("benchmarkProgress", "metricsStream", "alertsStream");

  private final RealtimeHub hub;
  private final LongConsumer onDropped;
  private volatile String field;
  private volatile String topics;
  private volatile UUID run;
  private final AtomicLong demand = new AtomicLong();
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile org.reactivestreams.Subscriber<? super Map<String, Object>> downstream;

  private final Visibility visibility;

  LiveStream(RealtimeHub hub, LongConsumer onDropped, Visibility visibility) {
    this.visibility = visibility;
    this.hub = hub;
    this.onDropped = onDropped;
  }

  /** Called by the root field's data fetcher: which events this subscription follows. */
  void start(String field, Map<String, Object> args) {
    this.field = field;
    Object id = "benchmarkProgress".equals(field) ? args.get("id") : args.get("benchmarkId");
    if (id != null) {
      try {
        run = UUID.fromString(id.toString());
      } catch (IllegalArgumentException e) {
        throw new graphql.GraphqlErrorException.Builder()
            .message("'" + id + "' is not a benchmark id (UUID).")
            .build();
      }
    }
    topics =
        switch (field) {
          case "benchmarkProgress" -> "benchmark.*,test.completed";
          case "metricsStream" -> "metrics.*";
          default -> "alerts.*";
        };
  }

  @Override
  public void subscribe(org.reactivestreams.Subscriber<? super Map<String, Object>> s) {
    downstream = s;
    s.onSubscribe(
        new Subscription() {
          @Override
          public void request(long n) {
            if (n > 0) {
              demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
          }

          @Override
          public void cancel() {
            stop();
          }
        });
    hub.add(this);
  }

  void stop() {
    done.set(true);
    hub.remove(this);
  }

  @Override
  public Visibility visibility() {
    return visibility;
  }

  @Override
  public boolean wants(RealtimeEvent event) {
    if (done.get() || topics == null) {
      return false;
    }
    boolean topic = false;
    for (String p : topics.split(",")) {
      topic |= Topics.matches(p, event.topic());
    }
    if (!topic) {
      return false;
    }
    UUID r = run;
    return r == null || r.equals(event.sessionId());
  }

  @Override
  public void deliver(RealtimeEvent event, String wsText) {
    var s = downstream;
    if (s == null || done.get()) {
      return;
    }
    if (demand.get() <= 0) {
      onDropped.accept(1);
      return;
    }
    demand.decrementAndGet();
    s.onNext(source(event));
    if ("benchmarkProgress".equals(field)
        && RealtimeEvent.BENCHMARK_COMPLETED.equals(event.topic())) {
      stop();
      s.onComplete();
    }
  }

  /** The event as the GraphQL types' fields: camelCase keys, the run as benchmarkId. */
  static Map<String, Object> source(RealtimeEvent event) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : event.payload().entrySet()) {
      String key =
          switch (e.getKey()) {
            case "session_id" -> "benchmarkId";
            case "total_tests" -> "total";
            default -> camel(e.getKey());
          };
      Object value = e.getValue();
      if ("details".equals(key) && value != null) {
        value = Json.write(value);
      }
      m.put(key, value);
    }
    if ("HealthUpdate".equals(m.get("event"))) {
      m.put("metricName", "system");
    }
    m.put("timestamp", event.timestamp().toString());
    return m;
  }

  static String camel(String snake) {
    StringBuilder b = new StringBuilder(snake.length());
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : Character.toLowerCase(c));
        up = false;
      }
    }
    return b.toString();
  }
}
