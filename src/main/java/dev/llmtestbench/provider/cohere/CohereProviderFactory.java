package dev.llmtestbench.provider.cohere;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/** Cohere's platform through its API v2 (chat, embed, rerank). */
@ApplicationScoped
public class CohereProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return CohereProvider.TYPE;
  }

  @Override
  public URI defaultBaseUrl() {
    return URI.create("https://api.cohere.com");
  }

  @Override
  public String apiKeyEnv() {
    // Cohere's own SDKs read CO_API_KEY; COHERE_API_KEY is what LangChain and most tools use.
    return "COHERE_API_KEY";
  }

  @Override
  public List<String> defaultModels() {
    // Live models as of the Cohere model overview; command-r-plus (04-2024) is deprecated.
    return List.of("command-a-03-2025", "command-r-plus-08-2024", "command-a-vision-07-2025");
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new CohereProvider(config);
  }
}
