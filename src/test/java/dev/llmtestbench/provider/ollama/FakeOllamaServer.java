package dev.llmtestbench.provider.ollama;

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

/** A loopback server speaking Ollama's API as the test scripts it, recording every request. */
final class FakeOllamaServer implements AutoCloseable {

  /** A request as the server received it. */
  record Received(String method, String path, String query, Headers headers, String body) {}

  /** How the server answers one exchange. */
  interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final HttpServer server;

  FakeOllamaServer(Handler handler) throws IOException {
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
                    body));
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
  static Handler answering(int status, String body) {
    return exchange -> respond(exchange, status, body);
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Streams NDJSON as Ollama does (chunked, one object per line), flushing each line and pausing
   * {@code pauseMillis} before each.
   */
  static void streamLines(HttpExchange exchange, long pauseMillis, String... lines)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String line : lines) {
      Thread.sleep(pauseMillis);
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    out.close();
  }

  /** Blocks a handler until the server closes, like a server that never answers. */
  void awaitClose() throws InterruptedException {
    closed.await();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Received takeRequest() throws InterruptedException {
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
