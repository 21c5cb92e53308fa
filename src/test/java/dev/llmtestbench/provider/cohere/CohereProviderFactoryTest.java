package dev.llmtestbench.provider.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The factory's conventions (https://docs.cohere.com/reference/about: base URL
 * https://api.cohere.com, bearer key) and the capabilities it reports per model
 * (https://docs.cohere.com/docs/models: image input for Command A Vision, Command A+ and Aya Vision
 * only).
 */
class CohereProviderFactoryTest {

  private final CohereProviderFactory factory = new CohereProviderFactory();

  @Test
  void shouldDescribeTheCohereAdapter() {
    assertEquals("cohere", factory.adapter());
    assertEquals("cloud", factory.kind());
    assertEquals(URI.create("https://api.cohere.com"), factory.defaultBaseUrl());
    assertEquals("COHERE_API_KEY", factory.apiKeyEnv());
    assertNull(factory.baseUrlEnv());
    assertEquals("command-a-03-2025", factory.defaultModels().get(0));
  }

  @Test
  void shouldCreateProviderSpeakingApiV2WithTheConfiguredModels() {
    Provider provider =
        factory.create(
            new ProviderConfig(
                "cohere-prod",
                "cohere",
                factory.defaultBaseUrl(),
                "key",
                factory.defaultModels(),
                null,
                null));

    assertInstanceOf(CohereProvider.class, provider);
    assertEquals("cohere-prod", provider.name());
    assertEquals("cohere", provider.type());
    assertEquals("v2", provider.apiVersion());
    assertEquals(factory.defaultModels(), provider.models());
  }

  @Test
  void shouldReportVisionOnlyForImageModelsAndEverythingElseForAll() {
    Provider provider =
        factory.create(
            new ProviderConfig(
                "cohere", "cohere", factory.defaultBaseUrl(), null, List.of(), null, null));

    Capabilities text = provider.capabilities("command-a-03-2025");
    assertFalse(text.vision());
    assertFalse(text.audio());
    assertTrue(text.streaming());
    assertTrue(text.functionCalling());
    assertTrue(text.jsonMode());
    assertTrue(text.logprobs());
    assertTrue(text.embeddings());
    assertTrue(text.rerank());
    assertTrue(provider.capabilities("command-a-vision-07-2025").vision());
    assertTrue(provider.capabilities("command-a-plus-05-2026").vision());
    assertTrue(provider.capabilities("c4ai-aya-vision-32b").vision());
    assertTrue(provider.capabilities(null).vision());
  }
}
