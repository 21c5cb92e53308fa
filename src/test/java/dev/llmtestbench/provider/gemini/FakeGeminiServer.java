package dev.llmtestbench.provider.gemini;

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
 * A loopback server speaking the Gemini API's HTTP: it records each request and answers it with a
 * test-chosen handler, including server-sent events written and flushed one by one.
 */
final class FakeGeminiServer extends FakeProviderServer {

  FakeGeminiServer(Handler handler) throws IOException {
    super(handler, true, true);
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

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
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
