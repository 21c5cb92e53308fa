package dev.llmtestbench.monitoring.ws;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import jakarta.websocket.Session;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection: its subscriptions and a bounded outbound queue drained by asynchronous
 * sends, so publishing never waits for a slow client (the oldest queued messages are dropped).
 */
final class Connection {

  private final Session session;
  private final int maxQueued;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private volatile UUID sessionFilter;
  private final Deque<String> queue = new ArrayDeque<>();
  private boolean sending;
  private final AtomicLong dropped = new AtomicLong();

  Connection(Session session, int maxQueued) {
    this.session = session;
    this.maxQueued = maxQueued;
  }

  void subscribe(Set<String> patterns, UUID filter) {
    topics.addAll(patterns);
    if (filter != null) {
      sessionFilter = filter;
    }
  }

  void unsubscribe(Set<String> patterns) {
    topics.removeAll(patterns);
  }

  Set<String> topics() {
    return Set.copyOf(topics);
  }

  long dropped() {
    return dropped.get();
  }

  boolean wants(RealtimeEvent event) {
    UUID filter = sessionFilter;
    if (filter != null && event.sessionId() != null && !filter.equals(event.sessionId())) {
      return false;
    }
    for (String pattern : topics) {
      if (Topics.matches(pattern, event.topic())) {
        return true;
      }
    }
    return false;
  }

  void send(String text) {
    synchronized (queue) {
      if (!session.isOpen()) {
        return;
      }
      if (queue.size() >= maxQueued) {
        queue.pollFirst();
        dropped.incrementAndGet();
      }
      queue.addLast(text);
      if (sending) {
        return;
      }
      sending = true;
    }
    drain();
  }

  private void drain() {
    String next;
    synchronized (queue) {
      next = queue.pollFirst();
      if (next == null || !session.isOpen()) {
        sending = false;
        queue.clear();
        return;
      }
    }
    try {
      session.getAsyncRemote().sendText(next, result -> drain());
    } catch (RuntimeException e) {
      synchronized (queue) {
        sending = false;
        queue.clear();
      }
    }
  }
}
