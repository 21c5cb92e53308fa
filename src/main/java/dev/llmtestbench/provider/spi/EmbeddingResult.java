package dev.llmtestbench.provider.spi;

import java.util.List;

/** One vector per input, in input order, with the tokens used and the call's latency. */
public record EmbeddingResult(
    List<float[]> vectors, Integer promptTokens, long latencyNanos, String modelVersion) {

  public EmbeddingResult {
    vectors = vectors == null ? List.of() : List.copyOf(vectors);
  }
}
