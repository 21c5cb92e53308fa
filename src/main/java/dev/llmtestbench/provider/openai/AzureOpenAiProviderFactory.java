package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/**
 * Azure OpenAI: the OpenAI protocol on an Azure resource endpoint, with deployments as models.
 * Settings: {@code api-version} (default {@code 2024-10-21}), {@code max-tokens-field}, {@code
 * stream-include-usage} and {@code embedding-model} (an embeddings deployment), as for OpenAI.
 */
@ApplicationScoped
public class AzureOpenAiProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return AzureOpenAiDialect.TYPE;
  }

  /** None: every Azure resource has its own endpoint. */
  @Override
  public URI defaultBaseUrl() {
    return null;
  }

  @Override
  public String apiKeyEnv() {
    return "AZURE_OPENAI_API_KEY";
  }

  /** The resource endpoint, e.g. {@code https://my-resource.openai.azure.com}. */
  @Override
  public String baseUrlEnv() {
    return "AZURE_OPENAI_ENDPOINT";
  }

  /** Deployments are named by their owner; this guesses the common choice of the model's name. */
  @Override
  public List<String> defaultModels() {
    return List.of("gpt-4o-mini");
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new OpenAiCompatibleProvider(config, new AzureOpenAiDialect(config), null);
  }
}
