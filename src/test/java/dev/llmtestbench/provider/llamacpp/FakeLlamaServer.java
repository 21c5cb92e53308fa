package dev.llmtestbench.provider.llamacpp;

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

/** A loopback llama-server stand-in that records each request and answers as a test says. */
final class FakeLlamaServer extends FakeProviderServer {

  FakeLlamaServer(Handler handler) throws IOException {
    super(handler, false, false);
  }

  /** Starts an SSE answer (chunked, as llama-server sends it). */
  static OutputStream startEvents(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /** Writes raw SSE text and flushes it, so each event leaves at once. */
  static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /**
   * A raw socket server that reads a request, optionally writes {@code prefix}, then resets the
   * connection (SO_LINGER 0 makes close send a TCP RST).
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
                  try (Socket client = socket.accept()) {
                    readHeaders(client.getInputStream());
                    if (!prefix.isEmpty()) {
                      client.getOutputStream().write(prefix.getBytes(StandardCharsets.UTF_8));
                      client.getOutputStream().flush();
                      Thread.sleep(100);
                    }
                    client.setSoLinger(true, 0);
                  } catch (IOException | InterruptedException e) {
                    return;
                  }
                }
              },
              "resetting-server");
      thread.setDaemon(true);
      thread.start();
    }

    private static void readHeaders(InputStream in) throws IOException {
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
    }

    URI baseUrl() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
