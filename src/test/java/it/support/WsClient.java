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

  private final java.util.concurrent.atomic.AtomicInteger pings =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile int closeCode = -1;
  private volatile String closeReason;

  /** Whether heartbeat Pings are answered (true unless a test wants the connection to idle). */
  public volatile boolean answerPings = true;

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
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            client.closeCode = statusCode;
            client.closeReason = reason;
            return null;
          }

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              JsonObject msg = (JsonObject) Api.parse(partial.toString());
              partial.setLength(0);
              if ("Ping".equals(msg.getString("type", null))) {
                client.pings.incrementAndGet();
                if (client.answerPings) {
                  client.sendAsync("{\"type\":\"Pong\"}");
                }
              } else {
                client.all.add(msg);
                client.inbox.add(msg);
              }
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
    synchronized (this) {
      socket.sendText(json, true).join();
    }
  }

  private void sendAsync(String json) {
    java.util.concurrent.CompletableFuture.runAsync(() -> send(json));
  }

  /** Heartbeat Pings received so far. */
  public int pings() {
    return pings.get();
  }

  /** The close code the server sent, or -1 while the connection is open. */
  public int closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
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
    if (closeCode >= 0 || socket.isOutputClosed()) {
      return;
    }
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
