package dev.llmtestbench.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicProviderFactoryTest {

  @Test
  void shouldDescribeTheAnthropicAdapter() {
    var factory = new AnthropicProviderFactory();

    assertEquals("anthropic", factory.adapter());
    assertEquals("cloud", factory.kind());
    assertEquals(URI.create("https://api.anthropic.com"), factory.defaultBaseUrl());
    assertEquals("ANTHROPIC_API_KEY", factory.apiKeyEnv());
    assertEquals(List.of("claude-sonnet-4-6", "claude-haiku-4-5"), factory.defaultModels());
  }

  @Test
  void shouldCreateAProviderNamedByItsConfiguration() {
    Provider provider =
        new AnthropicProviderFactory()
            .create(
                new ProviderConfig(
                    "claude-prod",
                    "anthropic",
                    URI.create("https://api.anthropic.com"),
                    "sk-ant-test",
                    List.of("claude-haiku-4-5"),
                    Duration.ofSeconds(30),
                    Map.of()));

    assertInstanceOf(AnthropicProvider.class, provider);
    assertEquals("claude-prod", provider.name());
    assertEquals(List.of("claude-haiku-4-5"), provider.models());
    assertEquals("2023-06-01", provider.apiVersion());
  }
}
