package dev.llmtestbench.provider.cohere;

import com.sun.net.httpserver.HttpExchange;
import dev.llmtestbench.provider.testing.FakeProviderServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A loopback server speaking Cohere's HTTP API for tests: it records each request and answers with
 * a test-chosen handler, in JSON or as server-sent events.
 */
final class FakeCohereServer extends FakeProviderServer {

  FakeCohereServer(Handler handler) throws IOException {
    super(handler, false, true);
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

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
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
