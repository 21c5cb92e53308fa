package dev.llmtestbench.monitoring.service;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Publishes events to this server's observers (the WebSocket hub, metrics) as CDI events,
 * synchronously and in the caller's order, and through the {@link EventRelay} to the other servers
 * sharing the database when there are several.
 */
@ApplicationScoped
public class EventBus {

  @Inject Event<RealtimeEvent> events;
  @Inject EventRelay relay;

  public void publish(RealtimeEvent event) {
    events.fire(event);
    relay.forward(event);
  }

  public void publishAll(List<RealtimeEvent> batch) {
    for (RealtimeEvent e : batch) {
      publish(e);
    }
  }
}
