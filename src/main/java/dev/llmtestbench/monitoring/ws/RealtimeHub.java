package dev.llmtestbench.monitoring.ws;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.service.BenchmarkMetrics;
import dev.llmtestbench.platform.json.Json;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Delivers events to the subscribers (/ws connections, GraphQL subscriptions) whose subscriptions
 * match them. Publishers only enqueue: one dispatch thread serialises each event once and hands it
 * to every matching subscriber's own bounded queue, so neither a slow client nor the number of
 * clients slows the run that publishes. Also sends the /ws heartbeat (Ping, idle timeout) and the
 * {@code metrics.system} events.
 */
@ApplicationScoped
public class RealtimeHub {

  private static final Logger LOG = Logger.getLogger(RealtimeHub.class.getName());

  @Inject MetricRegistry registry;
  @Inject dev.llmtestbench.benchmark.service.RunAccess access;
  @Inject BenchmarkMetrics benchmarkMetrics;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "ltb.ws.ping-interval-ms", defaultValue = "30000")
  long pingIntervalMs;

  @Inject
  @ConfigProperty(name = "ltb.ws.idle-timeout-ms", defaultValue = "300000")
  long idleTimeoutMs;

  @Inject
  @ConfigProperty(name = "ltb.ws.max-queued-messages", defaultValue = "10000")
  int maxQueued;

  @Inject
  @ConfigProperty(name = "ltb.ws.system-metrics-interval-ms", defaultValue = "5000")
  long systemMetricsIntervalMs;

  @Inject
  @ConfigProperty(name = "ltb.ws.dispatch-queue", defaultValue = "100000")
  int dispatchQueue;

  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong hubDropped = new AtomicLong();
  private BlockingQueue<RealtimeEvent> pending;
  private Thread dispatcher;
  private volatile boolean running;
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> systemMetrics;

  @PostConstruct
  void start() {
    pending = new LinkedBlockingQueue<>(Math.max(1, dispatchQueue));
    running = true;
    dispatcher = new Thread(this::dispatchLoop, "ltb-realtime-dispatch");
    dispatcher.setDaemon(true);
    dispatcher.start();
    registry.gauge("ltb_ws_connections", connections, Set::size);
    registry.gauge("ltb_realtime_subscribers", subscribers, Set::size);
    registry.gauge("ltb_ws_messages_dropped_total", dropped, AtomicLong::get);
    registry.gauge("ltb_realtime_events_dropped_total", hubDropped, AtomicLong::get);
    try {
      if (pingIntervalMs > 0) {
        heartbeat =
            scheduler.scheduleAtFixedRate(
                this::heartbeat, pingIntervalMs, pingIntervalMs, TimeUnit.MILLISECONDS);
      }
      if (systemMetricsIntervalMs > 0) {
        systemMetrics =
            scheduler.scheduleAtFixedRate(
                this::systemMetrics,
                systemMetricsIntervalMs,
                systemMetricsIntervalMs,
                TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "No WebSocket heartbeat: " + e, e);
    }
  }

  @PreDestroy
  void stop() {
    running = false;
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (systemMetrics != null) {
      systemMetrics.cancel(false);
    }
    dispatcher.interrupt();
  }

  /** The outbound queue bound of a new connection: the client's wish, at most the server's. */
  int queueBound(Integer requested) {
    return requested == null || requested <= 0 ? maxQueued : Math.min(requested, maxQueued);
  }

  long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  Connection open(jakarta.websocket.Session session, int bound) {
    Connection c =
        new Connection(
            session,
            bound,
            dropped::addAndGet,
            dev.llmtestbench.platform.security.Visibility.of(session.getUserPrincipal()));
    connections.add(c);
    subscribers.add(c);
    return c;
  }

  void close(Connection c) {
    connections.remove(c);
    subscribers.remove(c);
  }

  public void add(Subscriber s) {
    subscribers.add(s);
  }

  public void remove(Subscriber s) {
    subscribers.remove(s);
  }

  public int connectionCount() {
    return connections.size();
  }

  /** Messages dropped for slow /ws clients since the server started. */
  public long droppedMessages() {
    return dropped.get();
  }

  void onEvent(@Observes RealtimeEvent event) {
    publishLocal(event);
  }

  /** Queues an event for this server's subscribers only (not relayed to other servers). */
  public void publishLocal(RealtimeEvent event) {
    if (subscribers.isEmpty()) {
      return;
    }
    if (!pending.offer(event)) {
      hubDropped.incrementAndGet();
    }
  }

  private void dispatchLoop() {
    while (running) {
      RealtimeEvent event;
      try {
        event = pending.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        dispatch(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not deliver a " + event.topic() + " event: " + e, e);
      }
    }
  }

  private void dispatch(RealtimeEvent event) {
    String text = null;
    for (Subscriber s : subscribers) {
      if (s.wants(event)
          && (event.sessionId() == null || access.canRead(s.visibility(), event.sessionId()))) {
        if (text == null) {
          text = Json.write(message(event));
        }
        s.deliver(event, text);
      }
    }
  }

  /** Pings every connection; closes those the client has not sent anything on for too long. */
  void heartbeat() {
    long now = System.nanoTime();
    long idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    for (Connection c : connections) {
      if (!c.session().isOpen()) {
        close(c);
      } else if (idleTimeoutMs > 0 && c.idleNanos(now) > idleNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Error");
        m.put("code", "idle_timeout");
        m.put(
            "message",
            "Nothing received for "
                + idleTimeoutMs
                + " ms; answer Ping with Pong to keep the connection open.");
        c.closeAfter(
            Json.write(m), new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "idle_timeout"));
        close(c);
      } else {
        c.send(PING);
      }
    }
  }

  static final String PING = "{\"type\":\"Ping\"}";

  void systemMetrics() {
    if (subscribers.isEmpty()) {
      return;
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    double cpu = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      cpu = os.getProcessCpuLoad();
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("event", "HealthUpdate");
    p.put("cpu_usage", cpu < 0 ? null : Math.round(cpu * 1000) / 10.0);
    p.put("memory_usage", memory.getHeapMemoryUsage().getUsed());
    p.put("active_tasks", benchmarkMetrics.activeBenchmarks());
    p.put("connections", connections.size());
    publishLocal(RealtimeEvent.of(RealtimeEvent.METRICS_SYSTEM, null, p));
  }

  static Map<String, Object> message(RealtimeEvent event) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "Event");
    m.put("topic", event.topic());
    m.put("payload", event.payload());
    m.put("timestamp", event.timestamp().toString());
    return m;
  }
}
