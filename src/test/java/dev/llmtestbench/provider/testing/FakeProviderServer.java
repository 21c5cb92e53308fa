package dev.llmtestbench.provider.testing;

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
 * A loopback HTTP server for adapter tests: it records each request and answers with a test-chosen
 * handler. Each adapter's fake extends it with its provider's framing (SSE, NDJSON).
 */
public class FakeProviderServer implements AutoCloseable {

  /**
   * A request as the server received it; {@code path} and {@code query} are decoded or as sent, as
   * the fake chose, and {@code rawPath} is always as sent.
   */
  public record Received(
      String method, String path, String query, Headers headers, String body, String rawPath) {}

  /** How the server answers one exchange. */
  public interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  /** The exchange attribute holding the request body, which the recording has already read. */
  public static final String BODY = "request-body";

  public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final HttpServer server;

  /**
   * Starts the server on 127.0.0.1 and a free port; {@code rawPath}/{@code rawQuery} record the
   * path and query as sent rather than decoded.
   */
  protected FakeProviderServer(Handler handler, boolean rawPath, boolean rawQuery)
      throws IOException {
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
                    rawPath ? uri.getRawPath() : uri.getPath(),
                    rawQuery ? uri.getRawQuery() : uri.getQuery(),
                    exchange.getRequestHeaders(),
                    body,
                    uri.getRawPath()));
            exchange.setAttribute(BODY, body);
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

  public static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Blocks a handler until the server closes, like a provider that never answers. */
  public void awaitClose() throws InterruptedException {
    closed.await();
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
