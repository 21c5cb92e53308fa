package dev.llmtestbench.provider.mistral;

import dev.llmtestbench.provider.openai.OpenAiCompatibleProvider;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/**
 * Mistral's La Plateforme, whose chat, embeddings and model APIs follow OpenAI's shape, so its
 * providers are {@link OpenAiCompatibleProvider}s speaking the Mistral dialect. Setting: {@code
 * embedding-model} (default {@code mistral-embed}).
 */
@ApplicationScoped
public class MistralProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return MistralDialect.TYPE;
  }

  @Override
  public URI defaultBaseUrl() {
    return URI.create("https://api.mistral.ai/v1");
  }

  @Override
  public String apiKeyEnv() {
    return "MISTRAL_API_KEY";
  }

  @Override
  public List<String> defaultModels() {
    return List.of("mistral-small-latest", "mistral-large-latest");
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new OpenAiCompatibleProvider(config, new MistralDialect(), null);
  }
}
