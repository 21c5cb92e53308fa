package dev.llmtestbench.provider.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

  @Test
  void shouldMaskSecretsInToString() {
    ProviderConfig config =
        new ProviderConfig(
            "azure",
            "openai",
            URI.create("https://user:pw@example.openai.azure.com/openai?key=secret-q"),
            "sk-live-secret",
            List.of("gpt-4o"),
            Duration.ofSeconds(30),
            Map.of("api-key", "secret-h"));

    String text = config.toString();

    for (String secret : List.of("sk-live-secret", "secret-q", "secret-h", "pw")) {
      assertFalse(text.contains(secret), secret + " leaked in " + text);
    }
    assertTrue(text.contains("apiKey=****"), text);
    assertTrue(text.contains("https://example.openai.azure.com/openai?****"), text);
    assertTrue(text.contains("headers=[api-key]"), text);
  }

  @Test
  void shouldDefaultNullCollectionsToEmpty() {
    ProviderConfig config = new ProviderConfig("sim", "simulator", null, null, null, null, null);

    assertEquals(List.of(), config.models());
    assertEquals(Map.of(), config.headers());
    assertTrue(config.toString().contains("apiKey=(none)"), config.toString());
  }

  @Test
  void shouldMakeRequestNullSafeAndDropNullOptions() {
    Map<String, String> options = new HashMap<>();
    options.put("latencyMs", "10");
    options.put("answer", null);

    CompletionRequest request = new CompletionRequest(null, null, null, null, options, null);

    assertEquals(List.of(), request.messages());
    assertEquals(Map.of("latencyMs", "10"), request.options());
    assertEquals(Map.of(), new CompletionRequest(null, null, null, null, null, null).options());
    assertEquals("", new ChatMessage("assistant", null).content());
  }
}
