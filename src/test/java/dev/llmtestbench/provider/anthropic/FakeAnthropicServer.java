package dev.llmtestbench.provider.anthropic;

import com.sun.net.httpserver.HttpExchange;
import dev.llmtestbench.provider.testing.FakeProviderServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A loopback HTTP server standing in for api.anthropic.com: it records each request and answers
 * with a test-chosen handler, in JSON or as server-sent events.
 */
final class FakeAnthropicServer extends FakeProviderServer {

  FakeAnthropicServer(Handler handler) throws IOException {
    super(handler, false, true);
  }

  /** Starts a 200 {@code text/event-stream} answer, chunked, whose events the caller writes. */
  static OutputStream startEventStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /** Writes raw SSE text (events with their blank lines) and flushes it onto the wire. */
  static void write(OutputStream out, String sse) throws IOException {
    out.write(sse.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The base URL as configured for Anthropic: the host, without {@code /v1}. */
  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }
}
