package dev.llmtestbench.provider.spi;

import java.time.Duration;
import java.util.List;

/** Texts to embed with a model; null model or timeout mean the provider's default. */
public record EmbeddingRequest(String model, List<String> inputs, Duration timeout) {

  public EmbeddingRequest {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }
}
