package dev.llmtestbench.provider.recorded;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The built-in provider of recorded outputs: a run's targets on it name the models whose outputs
 * the dataset's cases carry, and the run scores those outputs instead of calling anything. It is
 * never called itself; results refer to it so summaries per target work as for called models.
 */
public final class RecordedProvider implements Provider {

  /** The adapter and kind of recorded outputs. */
  public static final String TYPE = "recorded";

  private final ProviderConfig config;

  public RecordedProvider(ProviderConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> models() {
    return config.models();
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    return CompletableFuture.failedFuture(
        new ProviderException(
            ProviderException.Kind.UNSUPPORTED,
            "The recorded provider answers from the test cases' recorded outputs; it makes no"
                + " calls."));
  }

  @Override
  public CompletableFuture<HealthReport> health() {
    return CompletableFuture.completedFuture(new HealthReport(true, 0, "recorded outputs"));
  }
}
