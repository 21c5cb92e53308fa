package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.embedding.EmbeddingService;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import dev.llmtestbench.provider.spi.ProviderException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Embeds texts with the in-process model or a provider's embedding model: to see what the {@code
 * similar} assertion compares, and to check that the in-process model works on this server.
 */
@Path("/embeddings")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation")
public class EmbeddingResource {

  @Inject EmbeddingService embeddings;

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Embed texts",
      description =
          "Answers one vector per text with the model that made them and their dimensions. Without"
              + " a provider (or with \"local\") the in-process all-MiniLM-L6-v2 model embeds"
              + " them. Nothing is stored.")
  public EmbeddingsView embed(
      @NotNull(message = "A JSON body with texts is required.") @Valid EmbeddingsRequest r) {
    try {
      // The service bounds the wait (ltb.evaluation.embedding.timeout-ms, the provider's timeout).
      return EmbeddingsView.of(embeddings.embedAll(r.provider(), r.texts()).join());
    } catch (CompletionException e) {
      throw problem(e.getCause() == null ? e : e.getCause());
    }
  }

  private static ApiException problem(Throwable cause) {
    if (cause instanceof ApiException api) {
      return api;
    }
    String detail = cause.getMessage() == null ? "Embedding failed." : cause.getMessage();
    if (cause instanceof IllegalArgumentException) {
      return ApiException.badRequest(detail);
    }
    if (cause instanceof RejectedExecutionException) {
      return new ApiException(503, "embedding-busy", "Embedding model busy", detail);
    }
    if (cause instanceof TimeoutException) {
      return new ApiException(504, "embedding-timeout", "Embedding timed out", detail);
    }
    if (cause instanceof ProviderException) {
      return new ApiException(502, "provider-error", "Provider error", detail);
    }
    return new ApiException(502, "embedding-failed", "Embedding failed", detail);
  }
}
