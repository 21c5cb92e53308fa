package dev.llmtestbench.benchmark.domain;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import java.util.List;

/**
 * What a run does: its targets, the assertions added to every case, how often each case repeats,
 * how many calls a partition keeps in flight, how many partitions, the generation settings, whether
 * answers are streamed (to measure time to first token), and how the response cache is used
 * (repeats of a case are separate calls unless {@code cacheAcrossRepeats}), and what every call
 * asks for beyond text: tools the model may call, a response format, log probabilities; and the
 * budget that stops it early.
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
    boolean cacheAcrossRepeats,
    List<ToolSpec> tools,
    ResponseFormat responseFormat,
    Integer topLogprobs,
    Gate gate,
    Budget budget) {

  public RunConfig {
    targets = targets == null ? List.of() : List.copyOf(targets);
    assertions = assertions == null ? List.of() : List.copyOf(assertions);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }
}
