package dev.llmtestbench.monitoring.ws;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.platform.security.Visibility;

/**
 * Something the {@link RealtimeHub} delivers events to: a /ws connection or a GraphQL subscription.
 * Both calls come from the hub's dispatch thread and must not block.
 */
public interface Subscriber {

  boolean wants(RealtimeEvent event);

  /**
   * What the subscriber's caller may see: the hub delivers an event of a run only when this allows
   * the run (docs/security.md, Ownership); events of no run (metrics, alerts) go to everyone.
   */
  Visibility visibility();

  /**
   * Queues the event for this subscriber. {@code wsText} is the event as a /ws {@code Event}
   * message, serialised once for all connections.
   */
  void deliver(RealtimeEvent event, String wsText);
}
