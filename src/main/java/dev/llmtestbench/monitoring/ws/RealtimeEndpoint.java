package dev.llmtestbench.monitoring.ws;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The seeds' real-time protocol on {@code /ws}: clients send Subscribe, Unsubscribe and Ping; the
 * server answers Ack, Pong, Event and Error (JSON objects tagged by {@code type}).
 */
@ServerEndpoint(value = "/ws", configurator = StatelessHandshake.class)
public class RealtimeEndpoint {

  private static final String CONNECTION = "ltb.connection";

  // Liberty creates endpoint instances outside CDI injection (field injection fails with
  // CWOWB1006E), so the hub is looked up once.
  private static volatile RealtimeHub hub;

  private static RealtimeHub hub() {
    if (hub == null) {
      hub = CDI.current().select(RealtimeHub.class).get();
    }
    return hub;
  }

  @OnOpen
  public void open(Session session) {
    RealtimeHub hub = hub();
    // The hub's heartbeat enforces the idle timeout on what the client sends; this is a backstop.
    session.setMaxIdleTimeout(hub.idleTimeoutMs() <= 0 ? 0 : hub.idleTimeoutMs() * 2);
    session.setMaxTextMessageBufferSize(64 * 1024);
    Integer requested = null;
    List<String> q = session.getRequestParameterMap().get("max_queued");
    if (q != null && !q.isEmpty()) {
      try {
        requested = Integer.valueOf(q.get(0));
      } catch (NumberFormatException e) {
        requested = null;
      }
    }
    Connection c = hub.open(session, hub.queueBound(requested));
    session.getUserProperties().put(CONNECTION, c);
  }

  @OnMessage
  public void message(String text, Session session) {
    Connection c = (Connection) session.getUserProperties().get(CONNECTION);
    c.received();
    JsonObject msg;
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        error(c, "invalid_message", "Send a JSON object with a \"type\" field.");
        return;
      }
      msg = value.asJsonObject();
    } catch (JsonException e) {
      error(c, "invalid_json", "The message is not valid JSON: " + e.getMessage());
      return;
    }
    String type = msg.get("type") instanceof JsonString s ? s.getString() : null;
    if (type == null) {
      error(
          c, "invalid_message", "The message has no \"type\". Use Subscribe, Unsubscribe or Ping.");
      return;
    }
    switch (type) {
      case "Subscribe" -> subscribe(c, msg, true);
      case "Unsubscribe" -> subscribe(c, msg, false);
      case "Ping" -> c.send(PONG);
      case "Pong" -> {}
      default ->
          error(
              c,
              "unknown_type",
              "Unknown message type '" + type + "'. Use Subscribe, Unsubscribe, Ping or Pong.");
    }
  }

  private void subscribe(Connection c, JsonObject msg, boolean add) {
    if (!(msg.get("topics") instanceof JsonArray array) || array.isEmpty()) {
      error(
          c,
          "invalid_message",
          "\"topics\" must be a non-empty array, e.g. [\"benchmark.progress\", \"test.completed\"].");
      return;
    }
    Set<String> topics = new LinkedHashSet<>();
    for (JsonValue v : array) {
      String topic = v instanceof JsonString s ? s.getString() : null;
      if (!Topics.isValid(topic)) {
        error(
            c,
            "unknown_topic",
            "Unknown topic "
                + (topic == null ? v.toString() : "'" + topic + "'")
                + ". Known topics: "
                + Topics.KNOWN
                + ", wildcards such as benchmark.*, and provider.*, metrics.*, alerts.*.");
        return;
      }
      topics.add(topic);
    }
    UUID run = null;
    JsonValue sid = msg.containsKey("session_id") ? msg.get("session_id") : msg.get("run_id");
    if (sid != null && sid.getValueType() != JsonValue.ValueType.NULL) {
      try {
        run = UUID.fromString(((JsonString) sid).getString());
      } catch (IllegalArgumentException | ClassCastException e) {
        error(c, "invalid_message", "\"session_id\" must be a benchmark id (UUID).");
        return;
      }
    }
    if (add) {
      c.subscribe(topics, run);
    } else {
      c.unsubscribe(topics, run);
    }
    Map<String, Object> ack = new LinkedHashMap<>();
    ack.put("type", "Ack");
    ack.put("message_id", messageId(msg));
    ack.put("topics", c.subscriptions().keySet());
    ack.put("subscriptions", c.describe());
    ack.put("max_queued", c.maxQueued());
    ack.put("dropped_total", c.dropped());
    reply(c, ack);
  }

  private static final String PONG = "{\"type\":\"Pong\"}";

  private static String messageId(JsonObject msg) {
    JsonValue id = msg.get("message_id");
    if (id instanceof JsonString s) {
      return s.getString();
    }
    return id == null || id.getValueType() == JsonValue.ValueType.NULL
        ? UUID.randomUUID().toString()
        : id.toString();
  }

  private static void error(Connection c, String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "Error");
    m.put("code", code);
    m.put("message", message);
    reply(c, m);
  }

  private static void reply(Connection c, Map<String, Object> body) {
    c.send(dev.llmtestbench.platform.json.Json.write(body));
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    Object c = session.getUserProperties().get(CONNECTION);
    if (c instanceof Connection conn) {
      hub().close(conn);
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    close(session, null);
  }
}
