package dev.llmtestbench.monitoring.ws;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongConsumer;

/**
 * A WebSocket session's bounded outbound queue, drained by asynchronous sends one at a time, so
 * whoever queues a message never waits for the client. When the queue is full the oldest queued
 * message is dropped and counted; an optional notice tells the client how many it missed before the
 * next message it gets.
 */
public final class Outbox {

  /** The message telling the client it missed {@code missed} messages ({@code total} in all). */
  @FunctionalInterface
  public interface DropNotice {
    String text(long missed, long total);
  }

  private final Session session;
  private final int max;
  private final LongConsumer onDropped;
  private final DropNotice notice;
  private final Deque<String> queue = new ArrayDeque<>();
  private boolean sending;
  private boolean closeWhenDrained;
  private CloseReason closeReason;
  private long dropped;
  private long droppedUnreported;

  /**
   * @param onDropped told of every drop (for metrics)
   * @param notice the drop notice, or null to drop silently (the count stays available)
   */
  public Outbox(Session session, int max, LongConsumer onDropped, DropNotice notice) {
    this.session = session;
    this.max = Math.max(1, max);
    this.onDropped = onDropped;
    this.notice = notice;
  }

  public int max() {
    return max;
  }

  public Session session() {
    return session;
  }

  public synchronized long dropped() {
    return dropped;
  }

  /** Queues a message; never blocks. */
  public void send(String text) {
    boolean droppedOne = false;
    boolean start;
    synchronized (this) {
      if (!session.isOpen() || closeWhenDrained) {
        return;
      }
      if (queue.size() >= max) {
        queue.pollFirst();
        dropped++;
        droppedUnreported++;
        droppedOne = true;
      }
      queue.addLast(text);
      start = !sending;
      sending = true;
    }
    if (droppedOne) {
      onDropped.accept(1);
    }
    if (start) {
      drain();
    }
  }

  /** Sends what is queued and this last message, then closes the session with the reason. */
  public void closeAfter(String text, CloseReason reason) {
    boolean start;
    synchronized (this) {
      if (!session.isOpen() || closeWhenDrained) {
        return;
      }
      if (text != null) {
        queue.addLast(text);
      }
      closeWhenDrained = true;
      closeReason = reason;
      start = !sending;
      sending = true;
    }
    if (start) {
      drain();
    }
  }

  private void drain() {
    String next;
    CloseReason close = null;
    synchronized (this) {
      if (!session.isOpen()) {
        sending = false;
        queue.clear();
        return;
      }
      if (droppedUnreported > 0 && notice != null) {
        next = notice.text(droppedUnreported, dropped);
        droppedUnreported = 0;
      } else {
        next = queue.pollFirst();
      }
      if (next == null) {
        sending = false;
        if (!closeWhenDrained) {
          return;
        }
        close = closeReason;
      }
    }
    if (close != null) {
      try {
        session.close(close);
      } catch (IOException | RuntimeException e) {
        // already closing
      }
      return;
    }
    try {
      session.getAsyncRemote().sendText(next, result -> drain());
    } catch (RuntimeException e) {
      synchronized (this) {
        sending = false;
        queue.clear();
      }
    }
  }
}
