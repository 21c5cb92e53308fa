package dev.llmtestbench.provider.ollama;

import com.sun.net.httpserver.HttpExchange;
import dev.llmtestbench.provider.testing.FakeProviderServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A loopback server speaking Ollama's API as the test scripts it, recording every request. */
final class FakeOllamaServer extends FakeProviderServer {

  FakeOllamaServer(Handler handler) throws IOException {
    super(handler, false, false);
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

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }
}
