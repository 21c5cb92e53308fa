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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The seeds' real-time protocol on {@code /ws}: clients send Subscribe, Unsubscribe and Ping; the
 * server answers Ack, Pong, Event and Error (JSON objects tagged by {@code type}).
 */
@ServerEndpoint("/ws")
public class RealtimeEndpoint {

  private static final String CONNECTION = "ltb.connection";

  // Liberty creates endpoint instances outside CDI injection (field injection fails with
  // CWOWB1006E), so the hub and settings are looked up once.
  private static volatile RealtimeHub hub;
  private static volatile long idleTimeoutMs;
  private static volatile int maxQueued;

  private static RealtimeHub hub() {
    if (hub == null) {
      Config config = ConfigProvider.getConfig();
      idleTimeoutMs =
          config.getOptionalValue("ltb.ws.idle-timeout-ms", Long.class).orElse(300_000L);
      maxQueued =
          config.getOptionalValue("ltb.ws.max-queued-messages", Integer.class).orElse(10_000);
      hub = CDI.current().select(RealtimeHub.class).get();
    }
    return hub;
  }

  @OnOpen
  public void open(Session session) {
    RealtimeHub hub = hub();
    session.setMaxIdleTimeout(idleTimeoutMs);
    session.setMaxTextMessageBufferSize(64 * 1024);
    Connection c = new Connection(session, maxQueued);
    session.getUserProperties().put(CONNECTION, c);
    hub.add(c);
  }

  @OnMessage
  public void message(String text, Session session) {
    Connection c = (Connection) session.getUserProperties().get(CONNECTION);
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
      case "Ping" -> reply(c, Map.of("type", "Pong"));
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
    UUID filter = null;
    JsonValue sid = msg.get("session_id");
    if (sid != null && sid.getValueType() != JsonValue.ValueType.NULL) {
      try {
        filter = UUID.fromString(((JsonString) sid).getString());
      } catch (IllegalArgumentException | ClassCastException e) {
        error(c, "invalid_message", "\"session_id\" must be a benchmark id (UUID).");
        return;
      }
    }
    if (add) {
      c.subscribe(topics, filter);
    } else {
      c.unsubscribe(topics);
    }
    Map<String, Object> ack = new LinkedHashMap<>();
    ack.put("type", "Ack");
    ack.put("message_id", messageId(msg));
    ack.put("topics", c.topics());
    reply(c, ack);
  }

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
      hub().remove(conn);
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    close(session, null);
  }
}
