package dev.llmtestbench.provider.llamacpp;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/** llama.cpp's HTTP server ({@code llama-server}), registered by {@code LLAMACPP_BASE_URL}. */
@ApplicationScoped
public class LlamaCppServerProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return LlamaCppServerProvider.TYPE;
  }

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public URI defaultBaseUrl() {
    return URI.create("http://localhost:8080");
  }

  @Override
  public String baseUrlEnv() {
    return "LLAMACPP_BASE_URL";
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new LlamaCppServerProvider(config);
  }
}
