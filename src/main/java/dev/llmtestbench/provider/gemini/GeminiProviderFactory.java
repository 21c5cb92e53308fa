package dev.llmtestbench.provider.gemini;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/** The Google Gemini API (Google AI Studio keys), registered from {@code GEMINI_API_KEY}. */
@ApplicationScoped
public class GeminiProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return GeminiProvider.TYPE;
  }

  @Override
  public URI defaultBaseUrl() {
    // The version segment comes from the api-version setting, so the base URL has none.
    return URI.create("https://generativelanguage.googleapis.com");
  }

  @Override
  public String apiKeyEnv() {
    return "GEMINI_API_KEY";
  }

  @Override
  public List<String> defaultModels() {
    return List.of("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite");
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new GeminiProvider(config);
  }
}
