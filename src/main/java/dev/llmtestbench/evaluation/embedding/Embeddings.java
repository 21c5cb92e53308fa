package dev.llmtestbench.evaluation.embedding;

import java.util.List;

/**
 * Vectors for a list of texts, one per text in order, and the model that made them.
 *
 * @param model {@code "local:all-minilm-l6-v2-q"} for the in-process model, else {@code
 *     "provider:model"} (just {@code "provider"} when the provider's default model is unnamed)
 * @param vectors one vector per text, in order
 */
public record Embeddings(String model, List<float[]> vectors) {

  public Embeddings {
    vectors = List.copyOf(vectors);
  }

  /** The length of the vectors; 0 when there are none. */
  public int dimensions() {
    return vectors.isEmpty() ? 0 : vectors.get(0).length;
  }
}
