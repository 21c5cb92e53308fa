package dev.llmtestbench.provider.spi;

import java.time.Duration;
import java.util.List;

/** Documents to order by relevance to a query; {@code topN} null returns all of them. */
public record RerankRequest(
    String model, String query, List<String> documents, Integer topN, Duration timeout) {

  public RerankRequest {
    documents = documents == null ? List.of() : List.copyOf(documents);
  }
}
