package dev.llmtestbench.provider.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ProviderConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpProviderFactoryTest {

  @Test
  void shouldDescribeACustomAdapterThatNeedsABaseUrlAndNoEnvironment() {
    var factory = new HttpProviderFactory();

    assertEquals("http", factory.adapter());
    assertEquals("custom", factory.kind());
    assertNull(factory.defaultBaseUrl());
    assertNull(factory.apiKeyEnv());
    assertNull(factory.baseUrlEnv());
    assertEquals(List.of(), factory.defaultModels());
  }

  @Test
  void shouldCreateAProviderOrNameTheMissingSetting() {
    var factory = new HttpProviderFactory();
    URI base = URI.create("https://llm.internal/v1");

    var provider =
        factory.create(
            new ProviderConfig(
                "inhouse",
                "http",
                base,
                null,
                List.of(),
                null,
                Map.of(),
                Map.of("response.text", "$.text")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                factory.create(
                    new ProviderConfig("inhouse", "http", base, null, null, null, Map.of())));

    assertInstanceOf(HttpProvider.class, provider);
    assertEquals("inhouse", provider.name());
    assertTrue(e.getMessage().startsWith("response.text is required"), e.getMessage());
  }
}
