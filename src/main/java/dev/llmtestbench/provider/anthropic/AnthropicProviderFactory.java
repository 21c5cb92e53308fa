package dev.llmtestbench.provider.anthropic;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/** Anthropic's Claude models through the Messages API, registered when ANTHROPIC_API_KEY is set. */
@ApplicationScoped
public class AnthropicProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return AnthropicProvider.TYPE;
  }

  @Override
  public URI defaultBaseUrl() {
    return AnthropicProvider.DEFAULT_BASE_URL;
  }

  @Override
  public String apiKeyEnv() {
    return "ANTHROPIC_API_KEY";
  }

  /** Aliases from Anthropic's models overview: the balanced model first, then the fastest. */
  @Override
  public List<String> defaultModels() {
    return List.of("claude-sonnet-4-6", "claude-haiku-4-5");
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new AnthropicProvider(config);
  }
}
