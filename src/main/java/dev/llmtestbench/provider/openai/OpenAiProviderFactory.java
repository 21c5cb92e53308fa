package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/** OpenAI and every server speaking its chat-completions protocol (vLLM, LM Studio, ...). */
@ApplicationScoped
public class OpenAiProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return OpenAiCompatibleProvider.TYPE;
  }

  @Override
  public URI defaultBaseUrl() {
    return URI.create("https://api.openai.com/v1");
  }

  @Override
  public String apiKeyEnv() {
    return "OPENAI_API_KEY";
  }

  @Override
  public List<String> defaultModels() {
    return List.of("gpt-4o-mini", "gpt-4o");
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new OpenAiCompatibleProvider(config);
  }
}
