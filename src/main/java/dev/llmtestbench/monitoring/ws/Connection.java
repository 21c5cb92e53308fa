package dev.llmtestbench.monitoring.ws;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.security.Visibility;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * One /ws client: its subscriptions and a bounded outbound queue drained by asynchronous sends, so
 * delivering never waits for a slow client ({@link Outbox}). When the queue is full the oldest
 * queued message is dropped and counted; the client is told how many it missed (an {@code
 * events_dropped} Error) before the next message it gets.
 */
final class Connection implements Subscriber {

  /** The runs a topic pattern is subscribed for; {@code runs} is empty when it is for all runs. */
  record Filter(Set<UUID> runs) {
    boolean all() {
      return runs.isEmpty();
    }
  }

  private final Outbox outbox;
  private volatile Map<String, Filter> subscriptions = Map.of();
  private volatile long lastReceivedNanos = System.nanoTime();

  private final Visibility visibility;

  Connection(Session session, int maxQueued, LongConsumer onDropped, Visibility visibility) {
    this.visibility = visibility;
    this.outbox = new Outbox(session, maxQueued, onDropped, Connection::droppedNotice);
  }

  Session session() {
    return outbox.session();
  }

  int maxQueued() {
    return outbox.max();
  }

  /** Subscribes to the patterns, for one run or (run null) for all runs. */
  synchronized void subscribe(Set<String> patterns, UUID run) {
    Map<String, Filter> next = new LinkedHashMap<>(subscriptions);
    for (String p : patterns) {
      Filter current = next.get(p);
      if (run == null) {
        next.put(p, new Filter(Set.of()));
      } else if (current == null || !current.all()) {
        Set<UUID> runs = new LinkedHashSet<>(current == null ? Set.of() : current.runs());
        runs.add(run);
        next.put(p, new Filter(Collections.unmodifiableSet(runs)));
      }
    }
    subscriptions = Collections.unmodifiableMap(next);
  }

  /** Unsubscribes the patterns entirely, or (run given) only for that run. */
  synchronized void unsubscribe(Set<String> patterns, UUID run) {
    Map<String, Filter> next = new LinkedHashMap<>(subscriptions);
    for (String p : patterns) {
      Filter current = next.get(p);
      if (current == null) {
        continue;
      }
      if (run == null) {
        next.remove(p);
      } else if (!current.all()) {
        Set<UUID> runs = new LinkedHashSet<>(current.runs());
        runs.remove(run);
        if (runs.isEmpty()) {
          next.remove(p);
        } else {
          next.put(p, new Filter(Collections.unmodifiableSet(runs)));
        }
      }
    }
    subscriptions = Collections.unmodifiableMap(next);
  }

  Map<String, Filter> subscriptions() {
    return subscriptions;
  }

  /** The subscriptions as the Ack shows them: topic and the run ids (null for all runs). */
  List<Map<String, Object>> describe() {
    return subscriptions.entrySet().stream()
        .map(
            e -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("topic", e.getKey());
              m.put(
                  "session_ids",
                  e.getValue().all()
                      ? null
                      : e.getValue().runs().stream().map(UUID::toString).toList());
              return m;
            })
        .toList();
  }

  long dropped() {
    return outbox.dropped();
  }

  void received() {
    lastReceivedNanos = System.nanoTime();
  }

  long idleNanos(long now) {
    return now - lastReceivedNanos;
  }

  @Override
  public boolean wants(RealtimeEvent event) {
    UUID run = event.sessionId();
    for (Map.Entry<String, Filter> e : subscriptions.entrySet()) {
      if (Topics.matches(e.getKey(), event.topic())) {
        Filter f = e.getValue();
        if (run == null || f.all() || f.runs().contains(run)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public Visibility visibility() {
    return visibility;
  }

  @Override
  public void deliver(RealtimeEvent event, String wsText) {
    outbox.send(wsText);
  }

  /** Queues a message; never blocks. */
  void send(String text) {
    outbox.send(text);
  }

  /** Sends what is queued and this message, then closes the connection with the reason. */
  void closeAfter(String text, CloseReason reason) {
    outbox.closeAfter(text, reason);
  }

  static String droppedNotice(long missed, long total) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "Error");
    m.put("code", "events_dropped");
    m.put(
        "message",
        missed
            + " message(s) were dropped because this connection read too slowly; "
            + total
            + " in all.");
    m.put("dropped", missed);
    m.put("dropped_total", total);
    return Json.write(m);
  }
}
