package dev.llmtestbench.dataset.domain;

import java.util.Map;

/**
 * A provider/model a dataset suggests running against (e.g. a promptfoo config's providers), used
 * by a run that names no targets itself; {@code label} keeps the source's own name for it.
 */
public record SuggestedTarget(
    String provider, String model, String label, Map<String, String> options) {

  public SuggestedTarget {
    options = options == null ? Map.of() : Map.copyOf(options);
  }
}
