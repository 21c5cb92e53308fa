package dev.llmtestbench.provider.service;

import java.util.List;
import java.util.Map;

/**
 * How a provider is defined: its adapter, endpoint, models, adapter-specific settings (never
 * secrets), and the name of the environment variable (or config key) holding its API key. Never the
 * key itself.
 */
public record ProviderDefinition(
    String name,
    String adapter,
    String kind,
    String baseUrl,
    String apiKeyEnv,
    List<String> models,
    Long timeoutMs,
    Map<String, String> headers,
    Map<String, String> settings) {

  public ProviderDefinition {
    models = models == null ? List.of() : List.copyOf(models);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }
}
