package dev.llmtestbench.monitoring.ws;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.platform.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Delivers events to the WebSocket connections whose subscriptions match them. */
@ApplicationScoped
public class RealtimeHub {

  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

  void add(Connection c) {
    connections.add(c);
  }

  void remove(Connection c) {
    connections.remove(c);
  }

  public int connectionCount() {
    return connections.size();
  }

  void onEvent(@Observes RealtimeEvent event) {
    String text = null;
    for (Connection c : connections) {
      if (c.wants(event)) {
        if (text == null) {
          text = Json.write(message(event));
        }
        c.send(text);
      }
    }
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
