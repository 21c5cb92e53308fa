package dev.llmtestbench.provider.api;

import dev.llmtestbench.provider.service.RegisteredProvider;
import java.util.List;

/** A provider as the API shows it: never its key, only whether one is configured. */
public record ProviderView(
    String name,
    String adapter,
    String kind,
    String source,
    String baseUrl,
    List<String> models,
    boolean apiKeyConfigured,
    String apiKeyEnv,
    boolean simulated) {

  public static ProviderView of(RegisteredProvider p) {
    return new ProviderView(
        p.name(),
        p.adapter(),
        p.kind(),
        p.source(),
        p.config().baseUrl() == null ? null : p.config().baseUrl().toString(),
        p.provider().models(),
        p.hasApiKey(),
        p.apiKeyEnv(),
        "simulator".equals(p.kind()));
  }
}
