package dev.llmtestbench.monitoring.service;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.platform.json.Json;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Carries live events between the servers that share one database, so a WebSocket client on any
 * server sees every run's events whichever server ran the partition. Each server sends the events
 * it publishes with PostgreSQL NOTIFY on the channel {@value #CHANNEL} (from a background thread,
 * in batches of at most {@value #MAX_PAYLOAD} bytes) and LISTENs on it, firing the other servers'
 * events locally. On when {@code ltb.events.relay} is true (the dispatcher and executor roles set
 * it); a single server has nothing to relay.
 */
@ApplicationScoped
public class EventRelay {

  static final String CHANNEL = "ltb_events";

  /** PostgreSQL's limit is 8000 bytes per NOTIFY payload; keep a margin. */
  static final int MAX_PAYLOAD = 7900;

  private static final Logger LOG = Logger.getLogger(EventRelay.class.getName());

  @Inject
  @ConfigProperty(name = "ltb.events.relay", defaultValue = "false")
  boolean enabled;

  @Inject
  @ConfigProperty(name = "ltb.events.relay-queue", defaultValue = "10000")
  int queueSize;

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @Inject Event<RealtimeEvent> local;

  private final String origin = UUID.randomUUID().toString();
  private BlockingQueue<RealtimeEvent> outbox;
  private volatile boolean running;
  private final List<Thread> threads = new ArrayList<>();

  /** Called once at application start (by {@link EventRelayStartup}). */
  void start() {
    if (!enabled) {
      return;
    }
    outbox = new ArrayBlockingQueue<>(Math.max(1, queueSize));
    running = true;
    threads.add(daemon("ltb-event-relay-send", this::sendLoop));
    threads.add(daemon("ltb-event-relay-listen", this::listenLoop));
    LOG.info("Relaying live events to and from the other servers over PostgreSQL NOTIFY.");
  }

  public boolean enabled() {
    return running;
  }

  /** Queues an event this server published for the other servers; drops it if the queue is full. */
  public void forward(RealtimeEvent event) {
    if (running && !outbox.offer(event)) {
      LOG.fine("Event relay queue full; an event reaches this server's clients only.");
    }
  }

  @PreDestroy
  void stop() {
    running = false;
    threads.forEach(Thread::interrupt);
  }

  private Thread daemon(String name, Runnable loop) {
    Thread t = new Thread(loop, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void sendLoop() {
    List<RealtimeEvent> batch = new ArrayList<>();
    while (running) {
      try {
        RealtimeEvent first = outbox.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        outbox.drainTo(batch, 999);
        send(payloads(origin, batch));
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        LOG.log(Level.WARNING, "Could not relay " + batch.size() + " event(s): " + e, e);
        pause();
      } finally {
        batch.clear();
      }
    }
  }

  private void send(List<String> payloads) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
      for (String p : payloads) {
        ps.setString(1, p);
        ps.execute();
      }
    }
  }

  private void listenLoop() {
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(5000);
          if (notes == null) {
            // Also notices a broken connection (getNotifications reports it by throwing).
            continue;
          }
          for (PGNotification n : notes) {
            for (RealtimeEvent e : events(n.getParameter(), origin)) {
              local.fire(e);
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (running) {
          LOG.warning("Event relay lost its database connection (" + e + "); reconnecting.");
          pause();
        }
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * The events as NOTIFY payloads of at most {@link #MAX_PAYLOAD} UTF-8 bytes: JSON objects {@code
   * {"origin":…,"events":[…]}}. An event too large on its own (a long run summary) is sent without
   * its largest values, marked {@code "truncated": true}.
   */
  static List<String> payloads(String origin, List<RealtimeEvent> events) {
    List<String> out = new ArrayList<>();
    List<Map<String, Object>> current = new ArrayList<>();
    int size = 0;
    int overhead = envelope(origin, List.of()).length() + 2;
    for (RealtimeEvent e : events) {
      Map<String, Object> m = message(e);
      int len = bytes(Json.write(m));
      if (len + overhead > MAX_PAYLOAD) {
        m = truncated(e);
        len = bytes(Json.write(m));
      }
      if (!current.isEmpty() && size + len + 1 + overhead > MAX_PAYLOAD) {
        out.add(envelope(origin, current));
        current = new ArrayList<>();
        size = 0;
      }
      current.add(m);
      size += len + 1;
    }
    if (!current.isEmpty()) {
      out.add(envelope(origin, current));
    }
    return out;
  }

  /** The events of a payload from another server; none from {@code self}, none if unreadable. */
  @SuppressWarnings("unchecked")
  static List<RealtimeEvent> events(String payload, String self) {
    List<RealtimeEvent> out = new ArrayList<>();
    try {
      Map<String, Object> envelope = Json.read(payload, Map.class);
      if (self.equals(envelope.get("origin"))) {
        return out;
      }
      for (Object o : (List<Object>) envelope.get("events")) {
        Map<String, Object> m = (Map<String, Object>) o;
        Object session = m.get("sessionId");
        out.add(
            new RealtimeEvent(
                (String) m.get("topic"),
                session == null ? null : UUID.fromString((String) session),
                (Map<String, Object>) m.get("payload"),
                Instant.parse((String) m.get("timestamp"))));
      }
    } catch (RuntimeException e) {
      LOG.fine("Ignoring an unreadable relayed event: " + e);
    }
    return out;
  }

  private static Map<String, Object> message(RealtimeEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("topic", e.topic());
    m.put("sessionId", e.sessionId() == null ? null : e.sessionId().toString());
    m.put("payload", e.payload());
    m.put("timestamp", e.timestamp().toString());
    return m;
  }

  private static Map<String, Object> truncated(RealtimeEvent e) {
    Map<String, Object> payload = new LinkedHashMap<>();
    if (e.payload() != null) {
      e.payload()
          .forEach(
              (k, v) -> {
                if (v == null || v instanceof Number || v instanceof Boolean) {
                  payload.put(k, v);
                } else if (v instanceof String s && s.length() <= 200) {
                  payload.put(k, s);
                }
              });
    }
    payload.put("truncated", true);
    return message(new RealtimeEvent(e.topic(), e.sessionId(), payload, e.timestamp()));
  }

  private static String envelope(String origin, List<Map<String, Object>> events) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("origin", origin);
    m.put("events", events);
    return Json.write(m);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
