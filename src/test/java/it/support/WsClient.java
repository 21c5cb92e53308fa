package it.support;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) on the server's /ws endpoint, collecting every message. */
public final class WsClient implements AutoCloseable {

  private volatile WebSocket socket;
  private final BlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
  private final List<JsonObject> all = new CopyOnWriteArrayList<>();

  private WsClient() {}

  public static WsClient connect() {
    return connect(Api.BASE);
  }

  /**
   * A client on the /ws endpoint of the server at {@code httpBase} (e.g. http://localhost:9080).
   */
  public static WsClient connect(String httpBase) {
    return connect(httpBase, Api.authorization());
  }

  /**
   * A client on /ws sending {@code Authorization: <authorization>} at the handshake (none when
   * null); a refused handshake throws.
   */
  public static WsClient connect(String httpBase, String authorization) {
    return connect(httpBase, "", authorization);
  }

  /** A client on {@code /ws<query>} (e.g. "?access_token=..."), with the given Authorization. */
  public static WsClient connect(String httpBase, String query, String authorization) {
    WsClient client = new WsClient();
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              JsonObject msg = (JsonObject) Api.parse(partial.toString());
              partial.setLength(0);
              client.all.add(msg);
              client.inbox.add(msg);
            }
            ws.request(1);
            return null;
          }
        };
    String url = httpBase.replace("http://", "ws://") + "/ws" + query;
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    client.socket = builder.buildAsync(URI.create(url), listener).join();
    return client;
  }

  public void send(String json) {
    socket.sendText(json, true).join();
  }

  /** The next message, or an AssertionError after the timeout. */
  public JsonObject next(Duration timeout) {
    try {
      JsonObject m = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (m == null) {
        throw new AssertionError("No WebSocket message within " + timeout);
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public List<JsonObject> received() {
    return List.copyOf(all);
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
