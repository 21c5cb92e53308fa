package dev.llmtestbench.provider.service;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A concurrency cut one server made on a 429, as the {@code provider.rate_limited} event carries it
 * to the other servers: the provider, the server, and the new limit as a fraction of that server's
 * share of the maximum.
 */
public record RelayedCut(String provider, String server, int limit, double fraction) {

  public static final String TOPIC = "provider.rate_limited";

  /** The event's payload: {@code provider, concurrency_limit, limit_fraction, server}. */
  public Map<String, Object> payload() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("provider", provider);
    p.put("concurrency_limit", limit);
    p.put("limit_fraction", fraction);
    p.put("server", server);
    return p;
  }

  /** The cut an event from another server than {@code self} carries, if it is one. */
  public static Optional<RelayedCut> from(RealtimeEvent event, String self) {
    if (!TOPIC.equals(event.topic()) || event.payload() == null) {
      return Optional.empty();
    }
    Map<String, Object> p = event.payload();
    if (!(p.get("provider") instanceof String provider)
        || !(p.get("server") instanceof String server)
        || server.equals(self)
        || !(p.get("limit_fraction") instanceof Number fraction)
        || !(p.get("concurrency_limit") instanceof Number limit)) {
      return Optional.empty();
    }
    return Optional.of(new RelayedCut(provider, server, limit.intValue(), fraction.doubleValue()));
  }
}
