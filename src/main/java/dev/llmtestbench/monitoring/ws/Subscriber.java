package dev.llmtestbench.monitoring.ws;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;

/**
 * Something the {@link RealtimeHub} delivers events to: a /ws connection or a GraphQL subscription.
 * Both calls come from the hub's dispatch thread and must not block.
 */
public interface Subscriber {

  boolean wants(RealtimeEvent event);

  /**
   * Queues the event for this subscriber. {@code wsText} is the event as a /ws {@code Event}
   * message, serialised once for all connections.
   */
  void deliver(RealtimeEvent event, String wsText);
}
