package dev.llmtestbench.provider.gemini;

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
 * A loopback server speaking the Gemini API's HTTP: it records each request and answers it with a
 * test-chosen handler, including server-sent events written and flushed one by one.
 */
final class FakeGeminiServer implements AutoCloseable {

  /** A request as the server received it. */
  record Received(String method, String path, String query, Headers headers, String body) {}

  /** How the server answers one exchange. */
  interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  /** The exchange attribute holding the request body, already read by the server. */
  static final String BODY = "request-body";

  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final HttpServer server;

  FakeGeminiServer(Handler handler) throws IOException {
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
                    uri.getRawPath(),
                    uri.getRawQuery(),
                    exchange.getRequestHeaders(),
                    body));
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
  static Handler answering(int status, String body) {
    return exchange -> respond(exchange, status, body);
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Starts an SSE answer as Gemini sends it: 200, text/event-stream, chunked. */
  static OutputStream startEvents(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /** Writes one event the way Gemini frames it ({@code data: <json>\r\n\r\n}) and flushes it. */
  static void event(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A handler that streams {@code chunks} as SSE events and ends the body normally. */
  static Handler streaming(String... chunks) {
    return exchange -> {
      try (OutputStream out = startEvents(exchange)) {
        for (String chunk : chunks) {
          event(out, chunk);
        }
      }
    };
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
   * A bare socket server that reads one HTTP request, optionally writes {@code prefix}, then resets
   * the connection (RST), which HttpServer cannot do.
   */
  static final class Resetting implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    Resetting(String prefix) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      thread =
          new Thread(
              () -> {
                try (Socket connection = socket.accept()) {
                  readRequest(connection.getInputStream());
                  if (!prefix.isEmpty()) {
                    OutputStream out = connection.getOutputStream();
                    out.write(prefix.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(100);
                  }
                  // Linger 0 makes close() send RST instead of FIN.
                  connection.setSoLinger(true, 0);
                } catch (IOException | InterruptedException e) {
                  // the test asserts what the client saw
                }
              },
              "resetting-server");
      thread.setDaemon(true);
      thread.start();
    }

    URI baseUrl() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private static void readRequest(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).strip());
        }
      }
      in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
