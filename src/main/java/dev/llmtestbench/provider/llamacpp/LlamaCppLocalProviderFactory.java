package dev.llmtestbench.provider.llamacpp;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/** A GGUF model run inside this server by llama.cpp; configured by its {@code model-path}. */
@ApplicationScoped
public class LlamaCppLocalProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return LlamaCppLocalProvider.TYPE;
  }

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public URI defaultBaseUrl() {
    return null;
  }

  @Override
  public boolean needsBaseUrl() {
    return false;
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new LlamaCppLocalProvider(config);
  }
}
