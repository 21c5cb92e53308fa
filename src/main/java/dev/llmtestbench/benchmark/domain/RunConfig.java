package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.List;

/**
 * What a run does: its targets, the assertions added to every case, how often each case repeats,
 * how many calls a partition keeps in flight, how many partitions, and the generation settings.
 */
public record RunConfig(
    List<Target> targets,
    List<AssertionSpec> assertions,
    int repeats,
    int concurrency,
    int partitions,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    long timeoutMs) {

  public RunConfig {
    targets = targets == null ? List.of() : List.copyOf(targets);
    assertions = assertions == null ? List.of() : List.copyOf(assertions);
  }
}
