package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.RunConfig;
import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.provider.service.RegisteredProvider;
import java.util.List;
import java.util.UUID;

/**
 * What every work item of a run needs, resolved once per partition: targets' providers, the dataset
 * template, and the compiled run- and dataset-level assertions.
 */
public record RunContext(
    UUID runId,
    UUID datasetId,
    RunConfig config,
    PromptTemplate datasetTemplate,
    List<RegisteredProvider> providers,
    List<Assertion> baseAssertions,
    String serverId) {}
