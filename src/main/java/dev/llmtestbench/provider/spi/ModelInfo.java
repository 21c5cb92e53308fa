package dev.llmtestbench.provider.spi;

/** A model a provider offers, as its model listing reports it (fields it omits are null). */
public record ModelInfo(String id, String description, Integer contextTokens) {

  public static ModelInfo of(String id) {
    return new ModelInfo(id, null, null);
  }
}
