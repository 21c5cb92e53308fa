package dev.llmtestbench.provider.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A port to one LLM service (or a simulation of one) that answers chat completions asynchronously.
 *
 * <p>{@link #complete} never blocks the caller. Its future fails with a {@link ProviderException}
 * (the direct cause seen by {@code handle}/{@code whenComplete}) and may complete on a thread owned
 * by the provider, so dependent stages that block should use the {@code *Async} variants with their
 * own executor.
 */
public interface Provider {

  /** The configured name of this provider instance, e.g. {@code openai-prod}. */
  String name();

  /** The adapter type, e.g. {@code openai} or {@code simulator}. */
  String type();

  /** The models this provider offers. */
  List<String> models();

  /** Sends one chat completion; the future fails with {@link ProviderException} on any failure. */
  CompletableFuture<Completion> complete(CompletionRequest request);

  /** What this provider can do with {@code model} (null: the provider as a whole). */
  default Capabilities capabilities(String model) {
    return Capabilities.TEXT_ONLY;
  }

  /** The API version this adapter speaks (e.g. {@code 2023-06-01}), or null when unversioned. */
  default String apiVersion() {
    return null;
  }

  /** The models the provider lists now; by default the configured ones. */
  default CompletableFuture<List<ModelInfo>> listModels() {
    return CompletableFuture.completedFuture(models().stream().map(ModelInfo::of).toList());
  }

  /** A cheap call that shows whether the provider answers; by default its model listing. */
  default CompletableFuture<HealthReport> health() {
    long t0 = System.nanoTime();
    return listModels()
        .handle(
            (models, failure) ->
                failure == null
                    ? new HealthReport(true, System.nanoTime() - t0, models.size() + " model(s)")
                    : new HealthReport(
                        false,
                        System.nanoTime() - t0,
                        failure instanceof java.util.concurrent.CompletionException
                                && failure.getCause() != null
                            ? failure.getCause().getMessage()
                            : failure.getMessage()));
  }

  /** Embeds texts; fails with {@link ProviderException.Kind#UNSUPPORTED} where not offered. */
  default CompletableFuture<EmbeddingResult> embed(EmbeddingRequest request) {
    return CompletableFuture.failedFuture(
        new ProviderException(
            ProviderException.Kind.UNSUPPORTED, name() + " does not offer embeddings."));
  }

  /**
   * Releases what the provider holds (an in-process model, threads); called when it is replaced,
   * removed, or the server stops. Idempotent.
   */
  default void close() {}

  /** Reranks documents; fails with {@link ProviderException.Kind#UNSUPPORTED} where not offered. */
  default CompletableFuture<RerankResult> rerank(RerankRequest request) {
    return CompletableFuture.failedFuture(
        new ProviderException(
            ProviderException.Kind.UNSUPPORTED, name() + " does not offer reranking."));
  }
}
