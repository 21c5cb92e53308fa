package dev.llmtestbench.provider.service;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import java.util.UUID;

/**
 * A provider known to this server: its adapter instance, its row id, its kind (cloud, local,
 * custom, simulator) and where it was defined (builtin, config, api).
 */
public record RegisteredProvider(
    UUID id,
    Provider provider,
    ProviderConfig config,
    String kind,
    String source,
    String apiKeyEnv) {

  public String name() {
    return provider.name();
  }

  public String adapter() {
    return provider.type();
  }

  public boolean hasApiKey() {
    return config.apiKey() != null && !config.apiKey().isEmpty();
  }
}
