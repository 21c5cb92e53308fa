package dev.llmtestbench.provider.recorded;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/** Recorded outputs: no network, nothing in process; the built-in provider {@code recorded}. */
@ApplicationScoped
public class RecordedProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return RecordedProvider.TYPE;
  }

  @Override
  public String kind() {
    return RecordedProvider.TYPE;
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
    return new RecordedProvider(config);
  }
}
