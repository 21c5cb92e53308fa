package dev.llmtestbench.monitoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.provider.service.RelayedCut;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventRelayTest {

  private static RealtimeEvent event(UUID run, int i) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("event", "TestCompleted");
    p.put("session_id", run.toString());
    p.put("item_key", i);
    p.put("passed", i % 2 == 0);
    p.put("test_id", "case-" + i + "-" + "x".repeat(100));
    return RealtimeEvent.of(RealtimeEvent.TEST_COMPLETED, run, p);
  }

  @Test
  void shouldSplitIntoNotifyPayloadsAndReadThemBackInOrder() {
    UUID run = UUID.randomUUID();
    List<RealtimeEvent> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sent.add(event(run, i));
    }
    List<String> payloads = EventRelay.payloads("server-a", sent);
    assertTrue(payloads.size() > 1, "300 events do not fit one NOTIFY");
    List<RealtimeEvent> received = new ArrayList<>();
    for (String p : payloads) {
      assertTrue(p.getBytes(StandardCharsets.UTF_8).length <= EventRelay.MAX_PAYLOAD, p);
      received.addAll(EventRelay.events(p, "server-b"));
    }
    assertEquals(sent.size(), received.size());
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(sent.get(i).topic(), received.get(i).topic());
      assertEquals(run, received.get(i).sessionId());
      assertEquals(sent.get(i).timestamp(), received.get(i).timestamp());
      assertEquals(i, ((Number) received.get(i).payload().get("item_key")).intValue());
      assertEquals(i % 2 == 0, received.get(i).payload().get("passed"));
    }
  }

  @Test
  void shouldIgnoreItsOwnEventsAndUnreadablePayloads() {
    String p = EventRelay.payloads("me", List.of(event(UUID.randomUUID(), 1))).get(0);
    assertEquals(0, EventRelay.events(p, "me").size());
    assertEquals(1, EventRelay.events(p, "other").size());
    assertEquals(0, EventRelay.events("not json", "other").size());
  }

  @Test
  void shouldTruncateAnEventTooLargeForOneNotify() {
    UUID run = UUID.randomUUID();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("session_id", run.toString());
    p.put("status", "completed");
    p.put("duration_ms", 1234);
    p.put("summary", Map.of("huge", "y".repeat(20_000)));
    List<String> payloads =
        EventRelay.payloads(
            "a", List.of(RealtimeEvent.of(RealtimeEvent.BENCHMARK_COMPLETED, run, p)));
    assertEquals(1, payloads.size());
    RealtimeEvent back = EventRelay.events(payloads.get(0), "b").get(0);
    assertEquals("completed", back.payload().get("status"));
    assertEquals(true, back.payload().get("truncated"));
    assertEquals(1234, ((Number) back.payload().get("duration_ms")).intValue());
    assertTrue(!back.payload().containsKey("summary"));
  }

  @Test
  void shouldCarryAConcurrencyCutToTheOtherServersOnly() {
    RelayedCut cut = new RelayedCut("openai", "host-a/executor1", 4, 0.25);
    RealtimeEvent sent = RealtimeEvent.of(RelayedCut.TOPIC, null, cut.payload());
    List<String> payloads = EventRelay.payloads("origin-a", List.of(sent));

    List<RealtimeEvent> received = EventRelay.events(payloads.get(0), "origin-b");
    assertEquals(1, received.size());
    assertEquals(Optional.of(cut), RelayedCut.from(received.get(0), "host-b/executor2"));
    // The server that cut sees its own event through its local bus: not a cut to follow.
    assertEquals(Optional.empty(), RelayedCut.from(sent, "host-a/executor1"));
    assertEquals(
        Optional.empty(),
        RelayedCut.from(RealtimeEvent.of("provider.retry", null, cut.payload()), "host-b/x"));
  }
}
