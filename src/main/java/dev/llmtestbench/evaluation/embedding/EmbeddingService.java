package dev.llmtestbench.evaluation.embedding;

import dev.llmtestbench.provider.service.ProviderGuards;
import dev.llmtestbench.provider.service.ProviderRef;
import dev.llmtestbench.provider.service.ProviderRegistry;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.spi.EmbeddingRequest;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Embeds texts with the in-process sentence-embedding model (the default) or a registered
 * provider's embedding model, through that provider's guard. The in-process model runs on the
 * server's managed executor, at most {@code ltb.evaluation.embedding.local.threads} calls at a time
 * with at most {@code ltb.evaluation.embedding.local.queue} waiting, so callers never run it on
 * their own threads and never wait longer than {@code ltb.evaluation.embedding.timeout-ms}.
 */
@ApplicationScoped
public class EmbeddingService {

  /** The provider reference that names the in-process model. */
  public static final String LOCAL = "local";

  /** The in-process model as reported with its vectors. */
  public static final String LOCAL_MODEL = LOCAL + ":" + LocalEmbeddingModel.NAME;

  /** The length of the in-process model's vectors. */
  public static final int LOCAL_DIMENSIONS = LocalEmbeddingModel.DIMENSIONS;

  @Inject ProviderRegistry registry;
  @Inject ProviderGuards guards;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService managedExecutor;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.embedding.timeout-ms", defaultValue = "30000")
  long timeoutMs;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.embedding.local.threads", defaultValue = "2")
  int localThreads;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.embedding.local.queue", defaultValue = "1000")
  int localQueue;

  private final LocalEmbeddingModel local = new LocalEmbeddingModel();
  BoundedExecutor localExecutor;

  @PostConstruct
  void init() {
    localExecutor = bounded(managedExecutor);
  }

  /** Builds the bounded executor of the in-process model over the given threads. */
  BoundedExecutor bounded(Executor threads) {
    if (localThreads < 1 || localQueue < 0) {
      throw new IllegalArgumentException(
          "ltb.evaluation.embedding.local.threads must be 1 or more and"
              + " ltb.evaluation.embedding.local.queue 0 or more; they are "
              + localThreads
              + " and "
              + localQueue
              + ".");
    }
    return new BoundedExecutor(threads, localThreads, localQueue);
  }

  /**
   * Embeds texts, one vector per text in order.
   *
   * @param provider null, blank or {@value #LOCAL} for the in-process model; else {@code "name"} or
   *     {@code "name:model"} of a registered provider
   */
  public CompletableFuture<List<float[]>> embed(String provider, List<String> texts) {
    return embedAll(provider, texts).thenApply(Embeddings::vectors);
  }

  /**
   * Embeds texts and says which model made the vectors.
   *
   * @param provider as for {@link #embed}
   */
  public CompletableFuture<Embeddings> embedAll(String provider, List<String> texts) {
    ProviderRef ref;
    try {
      ref = isBlank(provider) ? null : ProviderRef.parse(provider);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (ref == null || ref.name().equals(LOCAL)) {
      if (ref != null && ref.model() != null && !ref.model().equals(LocalEmbeddingModel.NAME)) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException(
                "\""
                    + provider
                    + "\" names no in-process model: the one built in is \""
                    + LOCAL_MODEL
                    + "\" (or just \"local\")."));
      }
      return local(texts);
    }
    return remote(ref, texts);
  }

  private CompletableFuture<Embeddings> local(List<String> texts) {
    List<String> copy = List.copyOf(texts);
    CompletableFuture<Embeddings> future = new CompletableFuture<>();
    try {
      localExecutor.execute(
          () -> {
            if (future.isDone()) {
              return; // timed out while waiting: nobody wants the vectors any more
            }
            try {
              future.complete(new Embeddings(LOCAL_MODEL, local.embed(copy)));
            } catch (RuntimeException e) {
              future.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new RejectedExecutionException(
              "The in-process embedding model is busy ("
                  + e.getMessage()
                  + "; see ltb.evaluation.embedding.local.threads and .queue). Try again later."));
    }
    return future
        .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            failure ->
                CompletableFuture.failedFuture(
                    unwrap(failure) instanceof TimeoutException
                        ? new TimeoutException(
                            "The in-process embedding model did not answer within "
                                + timeoutMs
                                + " ms (ltb.evaluation.embedding.timeout-ms).")
                        : unwrap(failure)));
  }

  private CompletableFuture<Embeddings> remote(ProviderRef ref, List<String> texts) {
    RegisteredProvider registered;
    try {
      registered = registry.require(ref.name());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    EmbeddingRequest request =
        new EmbeddingRequest(ref.model(), texts, Duration.ofMillis(timeoutMs));
    return guards
        .guard(registered)
        .call(() -> registered.provider().embed(request))
        .thenApply(r -> new Embeddings(label(ref, r), vectors(r, texts.size(), ref)));
  }

  private static String label(ProviderRef ref, EmbeddingResult result) {
    if (ref.model() != null) {
      return ref.toString();
    }
    return isBlank(result.modelVersion()) ? ref.name() : ref.name() + ":" + result.modelVersion();
  }

  private static List<float[]> vectors(EmbeddingResult result, int expected, ProviderRef ref) {
    if (result.vectors().size() != expected) {
      throw new IllegalStateException(
          ref + " returned " + result.vectors().size() + " embeddings for " + expected + " texts.");
    }
    return result.vectors();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
