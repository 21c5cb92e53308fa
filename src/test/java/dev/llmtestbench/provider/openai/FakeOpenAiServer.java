package dev.llmtestbench.provider.openai;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server that records each request and answers it with a test-chosen handler;
 * public so the tests of other OpenAI-protocol dialects (Mistral) use it too.
 */
public final class FakeOpenAiServer implements AutoCloseable {

  /** A request as the server received it ({@code path} decoded, {@code rawPath} as sent). */
  public record Received(
      String method, String path, String query, Headers headers, String body, String rawPath) {}

  /** How the server answers one exchange. */
  public interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final HttpServer server;

  public FakeOpenAiServer(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 128);
    server.setExecutor(pool);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    uri.getPath(),
                    uri.getQuery(),
                    exchange.getRequestHeaders(),
                    body,
                    uri.getRawPath()));
            handler.handle(exchange);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            throw new IOException(e);
          }
        });
    server.start();
  }

  /** A handler that answers every request with {@code status} and the JSON {@code body}. */
  public static Handler answering(int status, String body) {
    return exchange -> respond(exchange, status, body);
  }

  /** A handler that streams {@code events} as server-sent events: {@code data: <event>} each. */
  public static Handler streaming(String... events) {
    return exchange -> stream(exchange, 0, events);
  }

  /**
   * Answers 200 with {@code text/event-stream}, writing and flushing each event as {@code data:
   * <event>} and a blank line, {@code pauseMillis} apart.
   */
  public static void stream(HttpExchange exchange, long pauseMillis, String... events)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < events.length; i++) {
        if (i > 0 && pauseMillis > 0) {
          Thread.sleep(pauseMillis);
        }
        out.write(("data: " + events[i] + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  public static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Blocks a handler until the server closes, like a provider that never answers. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  public Received takeRequest() throws InterruptedException {
    Received request = received.poll(5, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the server received no request");
    }
    return request;
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}
