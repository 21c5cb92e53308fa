package dev.llmtestbench.benchmark.domain;

import java.util.Map;

/** One provider/model a run calls, with per-target options (e.g. the simulator's behaviour). */
public record Target(String provider, String model, Map<String, String> options) {

  public Target {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public String label() {
    return provider + "/" + model;
  }
}
