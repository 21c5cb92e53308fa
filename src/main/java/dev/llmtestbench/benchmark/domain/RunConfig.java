package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.List;

/**
 * What a run does: its targets, the assertions added to every case, how often each case repeats,
 * how many calls a partition keeps in flight, how many partitions, the generation settings, whether
 * answers are streamed (to measure time to first token), and how the response cache is used
 * (repeats of a case are separate calls unless {@code cacheAcrossRepeats}).
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
    long timeoutMs,
    boolean stream,
    boolean cache,
    boolean cacheAcrossRepeats) {

  public RunConfig {
    targets = targets == null ? List.of() : List.copyOf(targets);
    assertions = assertions == null ? List.of() : List.copyOf(assertions);
  }
}
