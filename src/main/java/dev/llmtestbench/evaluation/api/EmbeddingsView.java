package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.embedding.Embeddings;
import java.util.List;

/**
 * Vectors for the requested texts, in order.
 *
 * @param model the model that made them, e.g. {@code local:all-minilm-l6-v2-q}
 * @param dimensions the length of each vector
 * @param vectors one vector per text
 */
public record EmbeddingsView(String model, int dimensions, List<float[]> vectors) {

  static EmbeddingsView of(Embeddings embeddings) {
    return new EmbeddingsView(embeddings.model(), embeddings.dimensions(), embeddings.vectors());
  }
}
