package dev.llmtestbench.evaluation.domain;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The models that {@link ModelGradedAssertion}s may call: judges and embedders. One grader serves
 * one evaluation, so an implementation can account the grading calls' tokens and cost apart from
 * the call under test.
 */
public interface Grader {

  /**
   * Asks a judge model.
   *
   * @param provider a registered provider, optionally {@code "name:model"}; null for the configured
   *     default judge
   * @param request the judge request; its model may be null to use the provider's default
   */
  CompletableFuture<Completion> complete(String provider, CompletionRequest request);

  /**
   * Embeds texts, one vector per text in order.
   *
   * @param provider a registered provider, optionally {@code "name:model"}; null for the in-process
   *     default sentence-embedding model
   */
  CompletableFuture<List<float[]>> embed(String provider, List<String> texts);
}
