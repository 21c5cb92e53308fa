package dev.llmtestbench.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Configs, requests and assertions shared by the Gemini adapter tests. */
final class GeminiTestSupport {

  // Shaped like a Google AI Studio key; a fake one.
  static final String KEY = "AIzaSyD-test-0123456789abcdefghijklmnopq";

  // Json.createReader looks the JSON-P provider up on every call, which is slow.
  private static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  private GeminiTestSupport() {}

  static ProviderConfig config(URI baseUrl, Map<String, String> settings) {
    return new ProviderConfig(
        "gemini",
        "gemini",
        baseUrl,
        KEY,
        List.of("gemini-2.5-flash"),
        Duration.ofSeconds(10),
        Map.of(),
        settings);
  }

  static GeminiProvider provider(URI baseUrl) {
    return new GeminiProvider(config(baseUrl, Map.of()));
  }

  static CompletionRequest request(String model, String prompt) {
    return new CompletionRequest(
        model, List.of(new ChatMessage("user", prompt)), null, null, null, null);
  }

  static CompletionRequest streamed(String prompt, Duration timeout) {
    return new CompletionRequest(
        "gemini-2.5-flash",
        List.of(new ChatMessage("user", prompt)),
        null,
        null,
        null,
        timeout,
        true,
        null,
        null,
        null);
  }

  static ProviderException failure(CompletableFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }

  static JsonObject json(String body) {
    try (var reader = READER.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }
}
