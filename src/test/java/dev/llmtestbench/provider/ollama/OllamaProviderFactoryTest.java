package dev.llmtestbench.provider.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmtestbench.provider.spi.ProviderConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OllamaProviderFactoryTest {

  @Test
  void shouldDescribeALocalKeylessAdapterFoundThroughOllamaBaseUrl() {
    var factory = new OllamaProviderFactory();

    assertEquals("ollama", factory.adapter());
    assertEquals("local", factory.kind());
    assertEquals(URI.create("http://localhost:11434"), factory.defaultBaseUrl());
    assertEquals("OLLAMA_BASE_URL", factory.baseUrlEnv());
    assertNull(factory.apiKeyEnv());
    assertEquals(List.of("llama3.2"), factory.defaultModels());
  }

  @Test
  void shouldCreateAnOllamaProviderNamedAsConfigured() {
    var provider =
        new OllamaProviderFactory()
            .create(
                new ProviderConfig(
                    "gpu-box",
                    "ollama",
                    URI.create("http://10.0.0.5:11434"),
                    null,
                    List.of("qwen3"),
                    null,
                    null));

    assertInstanceOf(OllamaProvider.class, provider);
    assertEquals("gpu-box", provider.name());
    assertEquals(List.of("qwen3"), provider.models());
  }
}
