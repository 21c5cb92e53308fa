package dev.llmtestbench.provider.spi;

import java.util.List;

/** Documents by index into the request, most relevant first, with their relevance scores. */
public record RerankResult(List<Hit> hits, long latencyNanos) {

  /** One ranked document. */
  public record Hit(int index, double score) {}

  public RerankResult {
    hits = hits == null ? List.of() : List.copyOf(hits);
  }
}
