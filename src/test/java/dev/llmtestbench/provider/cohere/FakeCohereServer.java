package dev.llmtestbench.provider.cohere;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server speaking Cohere's HTTP API for tests: it records each request and answers with
 * a test-chosen handler, in JSON or as server-sent events.
 */
final class FakeCohereServer implements AutoCloseable {

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

  FakeCohereServer(Handler handler) throws IOException {
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
                    uri.getRawQuery(),
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
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Starts a 200 {@code text/event-stream} answer (chunked) and returns its body stream. */
  static OutputStream startEvents(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /** Writes one server-sent event as Cohere frames it ({@code event:} then {@code data:}). */
  static void event(OutputStream out, String json) throws IOException {
    String type = CohereJson.readObject(json).getString("type");
    out.write(("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Blocks a handler until the server closes, like a provider that never answers. */
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

  /**
   * A raw socket server for what HttpServer cannot do: it reads a request's head, writes {@code
   * prefix} (may be empty), then resets the connection (RST, via SO_LINGER 0).
   */
  static final class Resetting implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;

    Resetting(String prefix) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket connection = socket.accept()) {
                    readHead(connection.getInputStream());
                    OutputStream out = connection.getOutputStream();
                    out.write(prefix.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    // Give the client time to read the prefix before the reset.
                    Thread.sleep(100);
                    connection.setSoLinger(true, 0);
                  } catch (IOException | InterruptedException e) {
                    return;
                  }
                }
              },
              "resetting-server");
      thread.setDaemon(true);
      thread.start();
    }

    URI baseUrl() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private static void readHead(InputStream in) throws IOException {
      int matched = 0;
      byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      int b;
      while (matched < end.length && (b = in.read()) >= 0) {
        matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
