package dev.llmtestbench.provider.openai;

import com.sun.net.httpserver.HttpExchange;
import dev.llmtestbench.provider.testing.FakeProviderServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A loopback HTTP server that records each request and answers it with a test-chosen handler;
 * public so the tests of other OpenAI-protocol dialects (Mistral) use it too.
 */
public final class FakeOpenAiServer extends FakeProviderServer {

  public FakeOpenAiServer(Handler handler) throws IOException {
    super(handler, false, false);
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

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port() + "/v1");
  }
}
