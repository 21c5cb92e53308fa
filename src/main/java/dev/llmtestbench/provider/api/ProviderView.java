package dev.llmtestbench.provider.api;

import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.spi.Capabilities;
import java.util.List;

/**
 * A provider as the API shows it: never its key, only whether one is configured and where it comes
 * from.
 */
public record ProviderView(
    String name,
    String adapter,
    String kind,
    String source,
    String baseUrl,
    String apiVersion,
    List<String> models,
    List<String> capabilities,
    Integer maxContextTokens,
    boolean apiKeyConfigured,
    String apiKeyEnv,
    boolean simulated) {

  public static ProviderView of(RegisteredProvider p) {
    Capabilities caps = p.provider().capabilities(null);
    return new ProviderView(
        p.name(),
        p.adapter(),
        p.kind(),
        p.source(),
        p.config().baseUrl() == null ? null : p.config().baseUrl().toString(),
        p.provider().apiVersion(),
        p.provider().models(),
        caps.names(),
        caps.maxContextTokens(),
        p.hasApiKey(),
        p.apiKeyEnv(),
        "simulator".equals(p.kind()));
  }
}
