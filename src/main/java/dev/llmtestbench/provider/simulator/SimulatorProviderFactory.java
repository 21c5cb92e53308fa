package dev.llmtestbench.provider.simulator;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/** The simulator: no network, behaviour from each target's options. */
@ApplicationScoped
public class SimulatorProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return SimulatorProvider.TYPE;
  }

  @Override
  public String kind() {
    return "simulator";
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
    return new SimulatorProvider(config);
  }
}
