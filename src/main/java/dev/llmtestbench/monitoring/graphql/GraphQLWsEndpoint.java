package dev.llmtestbench.monitoring.graphql;

import dev.llmtestbench.monitoring.ws.Outbox;
import dev.llmtestbench.monitoring.ws.StatelessHandshake;
import dev.llmtestbench.platform.json.Json;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import jakarta.enterprise.inject.spi.CDI;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

/**
 * GraphQL subscriptions over the graphql-transport-ws protocol (the one graphql-ws and Apollo
 * speak): connection_init / connection_ack, subscribe, next, error, complete, ping / pong, with the
 * protocol's close codes. Documents are parsed and validated by graphql-java against the
 * subscription schema, and each event is mapped onto the selected fields.
 */
@ServerEndpoint(
    value = "/graphql/ws",
    subprotocols = "graphql-transport-ws",
    configurator = StatelessHandshake.class)
public class GraphQLWsEndpoint {

  static final String PROTOCOL = "graphql-transport-ws";

  /** The connection_init payload, for whoever authenticates the connection. */
  public static final String CONNECTION_PARAMS = "ltb.graphql.connectionParams";

  private static final String STATE = "ltb.graphql.state";
  private static volatile LiveGraphQL live;

  private static LiveGraphQL live() {
    if (live == null) {
      live = CDI.current().select(LiveGraphQL.class).get();
    }
    return live;
  }

  /** One connection: acknowledged or not, its send queue and its operations by id. */
  static final class State {
    final Outbox outbox;
    volatile boolean initReceived;
    volatile boolean acknowledged;
    final Map<String, LiveStream> operations = new ConcurrentHashMap<>();
    ScheduledFuture<?> initTimer;

    State(Outbox outbox) {
      this.outbox = outbox;
    }
  }

  @OnOpen
  public void open(Session session) {
    LiveGraphQL l = live();
    session.setMaxTextMessageBufferSize(256 * 1024);
    State state = new State(new Outbox(session, l.maxQueued(), l::dropped, null));
    session.getUserProperties().put(STATE, state);
    if (!PROTOCOL.equals(session.getNegotiatedSubprotocol())) {
      close(state, 4406, "Subprotocol not acceptable");
      return;
    }
    state.initTimer =
        l.scheduler()
            .schedule(
                () -> {
                  if (!state.initReceived) {
                    close(state, 4408, "Connection initialisation timeout");
                  }
                },
                l.initTimeoutMs(),
                TimeUnit.MILLISECONDS);
  }

  @OnMessage
  public void message(String text, Session session) {
    State state = (State) session.getUserProperties().get(STATE);
    JsonObject msg;
    try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(text))) {
      JsonValue v = reader.readValue();
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        close(state, 4400, "Invalid message received");
        return;
      }
      msg = v.asJsonObject();
    } catch (JsonException e) {
      close(state, 4400, "Invalid message received");
      return;
    }
    String type = msg.get("type") instanceof JsonString s ? s.getString() : "";
    switch (type) {
      case "connection_init" -> init(state, session, msg);
      case "ping" -> state.outbox.send("{\"type\":\"pong\"}");
      case "pong" -> {}
      case "subscribe" -> subscribe(state, msg);
      case "complete" -> {
        String id = msg.get("id") instanceof JsonString s ? s.getString() : null;
        LiveStream op = id == null ? null : state.operations.remove(id);
        if (op != null) {
          op.stop();
        }
      }
      default -> close(state, 4400, "Invalid message received");
    }
  }

  private void init(State state, Session session, JsonObject msg) {
    if (state.initReceived) {
      close(state, 4429, "Too many initialisation requests");
      return;
    }
    state.initReceived = true;
    if (state.initTimer != null) {
      state.initTimer.cancel(false);
    }
    JsonValue payload = msg.get("payload");
    session
        .getUserProperties()
        .put(
            CONNECTION_PARAMS,
            payload instanceof JsonObject o ? Json.read(o.toString(), Map.class) : Map.of());
    state.acknowledged = true;
    state.outbox.send("{\"type\":\"connection_ack\"}");
  }

  private void subscribe(State state, JsonObject msg) {
    if (!state.acknowledged) {
      close(state, 4401, "Unauthorized");
      return;
    }
    String id = msg.get("id") instanceof JsonString s ? s.getString() : null;
    JsonObject payload = msg.get("payload") instanceof JsonObject o ? o : null;
    String query =
        payload != null && payload.get("query") instanceof JsonString q ? q.getString() : null;
    if (id == null || id.isEmpty() || query == null) {
      close(state, 4400, "Invalid message received");
      return;
    }
    LiveGraphQL l = live();
    LiveStream stream =
        new LiveStream(
            l.hub(),
            l::dropped,
            dev.llmtestbench.platform.security.Visibility.of(
                state.outbox.session().getUserPrincipal()));
    if (state.operations.putIfAbsent(id, stream) != null) {
      close(state, 4409, "Subscriber for " + id + " already exists");
      return;
    }
    String operationName =
        payload.get("operationName") instanceof JsonString n ? n.getString() : null;
    Map<String, Object> variables =
        payload.get("variables") instanceof JsonObject v
            ? Json.read(v.toString(), Map.class)
            : Map.of();
    String notSubscription = checkSubscription(query, operationName);
    if (notSubscription != null) {
      state.operations.remove(id);
      error(state, id, List.of(Map.of("message", notSubscription)));
      return;
    }
    ExecutionResult result =
        l.graphql()
            .execute(
                ExecutionInput.newExecutionInput()
                    .query(query)
                    .operationName(operationName)
                    .variables(variables)
                    .graphQLContext(Map.of(LiveSchema.CONTEXT_STREAM, stream))
                    .build());
    if (!result.getErrors().isEmpty() || !(result.getData() instanceof Publisher<?>)) {
      state.operations.remove(id);
      stream.stop();
      error(state, id, result.getErrors().stream().map(GraphQLError::toSpecification).toList());
      return;
    }
    Publisher<ExecutionResult> events = result.getData();
    events.subscribe(
        new org.reactivestreams.Subscriber<ExecutionResult>() {
          @Override
          public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ExecutionResult r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("type", "next");
            m.put("payload", r.toSpecification());
            state.outbox.send(Json.write(m));
          }

          @Override
          public void onError(Throwable t) {
            state.operations.remove(id);
            error(state, id, List.of(Map.of("message", String.valueOf(t.getMessage()))));
          }

          @Override
          public void onComplete() {
            if (state.operations.remove(id) != null) {
              state.outbox.send("{\"id\":" + Json.write(id) + ",\"type\":\"complete\"}");
            }
          }
        });
  }

  /** Null when the document's chosen operation is a subscription, else why it is refused. */
  static String checkSubscription(String query, String operationName) {
    Document doc;
    try {
      doc = Parser.parse(query);
    } catch (InvalidSyntaxException e) {
      return null; // graphql-java reports the syntax error with its location
    }
    List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
    OperationDefinition op =
        ops.stream()
            .filter(o -> operationName == null || operationName.equals(o.getName()))
            .findFirst()
            .orElse(null);
    if (op == null || op.getOperation() == OperationDefinition.Operation.SUBSCRIPTION) {
      return null;
    }
    return "Only subscriptions are served on /graphql/ws; send queries and mutations to POST"
        + " /graphql.";
  }

  private static void error(State state, String id, List<Map<String, Object>> errors) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("type", "error");
    m.put("payload", errors);
    state.outbox.send(Json.write(m));
  }

  private static void close(State state, int code, String reason) {
    state.outbox.closeAfter(
        null, new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    Object s = session.getUserProperties().get(STATE);
    if (s instanceof State state) {
      state.operations.values().forEach(LiveStream::stop);
      state.operations.clear();
      if (state.initTimer != null) {
        state.initTimer.cancel(false);
      }
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    close(session, null);
  }
}
