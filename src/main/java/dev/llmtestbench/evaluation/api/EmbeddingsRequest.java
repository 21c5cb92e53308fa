package dev.llmtestbench.evaluation.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Texts to embed, and with what.
 *
 * @param provider null or {@code "local"} for the in-process model, else a registered provider as
 *     {@code "name"} or {@code "name:model"}
 * @param texts the texts, one vector each
 */
public record EmbeddingsRequest(
    String provider,
    @NotEmpty(message = "texts must list at least one text.")
        @Size(max = EmbeddingsRequest.MAX_TEXTS, message = "texts may list at most 256 texts.")
        List<@NotBlank(message = "texts must not hold empty text.") String> texts) {

  /** The most texts one request may embed. */
  public static final int MAX_TEXTS = 256;
}
