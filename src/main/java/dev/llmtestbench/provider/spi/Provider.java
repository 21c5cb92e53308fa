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
}
