package dev.llmtestbench.provider.ollama;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/** Ollama through its native API; registered at start when {@code OLLAMA_BASE_URL} is set. */
@ApplicationScoped
public class OllamaProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return OllamaProvider.TYPE;
  }

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public URI defaultBaseUrl() {
    return URI.create("http://localhost:11434");
  }

  /** None: Ollama needs no key (one configured for a proxy is sent as a Bearer token). */
  @Override
  public String apiKeyEnv() {
    return null;
  }

  @Override
  public String baseUrlEnv() {
    return "OLLAMA_BASE_URL";
  }

  @Override
  public List<String> defaultModels() {
    return List.of("llama3.2");
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new OllamaProvider(config);
  }
}
