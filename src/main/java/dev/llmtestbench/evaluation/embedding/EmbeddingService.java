package dev.llmtestbench.evaluation.embedding;

import dev.llmtestbench.provider.service.ProviderGuards;
import dev.llmtestbench.provider.service.ProviderRef;
import dev.llmtestbench.provider.service.ProviderRegistry;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Embeds texts with a registered provider's embedding model, through that provider's guard. */
@ApplicationScoped
public class EmbeddingService {

  @Inject ProviderRegistry registry;
  @Inject ProviderGuards guards;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.embedding.timeout-ms", defaultValue = "30000")
  long timeoutMs;

  /**
   * Embeds texts, one vector per text in order.
   *
   * @param provider {@code "name"} or {@code "name:model"} of a registered provider
   */
  public CompletableFuture<List<float[]>> embed(String provider, List<String> texts) {
    ProviderRef ref;
    RegisteredProvider registered;
    try {
      ref = ProviderRef.parse(provider);
      registered = registry.require(ref.name());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    EmbeddingRequest request =
        new EmbeddingRequest(ref.model(), texts, Duration.ofMillis(timeoutMs));
    return guards
        .guard(registered)
        .call(() -> registered.provider().embed(request))
        .thenApply(r -> vectors(r, texts.size(), ref));
  }

  private static List<float[]> vectors(EmbeddingResult result, int expected, ProviderRef ref) {
    if (result.vectors().size() != expected) {
      throw new IllegalStateException(
          ref + " returned " + result.vectors().size() + " embeddings for " + expected + " texts.");
    }
    return result.vectors();
  }
}
