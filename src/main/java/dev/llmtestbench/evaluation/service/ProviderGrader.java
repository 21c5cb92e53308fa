package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import dev.llmtestbench.evaluation.embedding.EmbeddingService;
import dev.llmtestbench.provider.measure.CostDetails;
import dev.llmtestbench.provider.service.ProviderGuards;
import dev.llmtestbench.provider.service.ProviderMetering;
import dev.llmtestbench.provider.service.ProviderRef;
import dev.llmtestbench.provider.service.ProviderRegistry;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ResponseFormat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The grader of one evaluation: calls judges among the registered providers through their guards
 * (retries, limits, breaker), meters their tokens and cost, and embeds through the {@link
 * EmbeddingService}. What it spends is added up in its own {@link GradingUsage}, never in the
 * tested call's tokens, cost or latency; a {@link #scoped() scoped} view also adds up one
 * assertion's share.
 */
public final class ProviderGrader implements Grader {

  private final ProviderRegistry registry;
  private final ProviderGuards guards;
  private final ProviderMetering metering;
  private final EmbeddingService embeddings;
  private final String defaultJudge;
  private final Duration timeout;
  private final ProviderGrader parent;
  private GradingUsage usage = GradingUsage.NONE;

  ProviderGrader(
      ProviderRegistry registry,
      ProviderGuards guards,
      ProviderMetering metering,
      EmbeddingService embeddings,
      String defaultJudge,
      Duration timeout,
      ProviderGrader parent) {
    this.registry = registry;
    this.guards = guards;
    this.metering = metering;
    this.embeddings = embeddings;
    this.defaultJudge = defaultJudge;
    this.timeout = timeout;
    this.parent = parent;
  }

  /** A grader that adds up its own usage as well as this one's, for one assertion. */
  ProviderGrader scoped() {
    return new ProviderGrader(registry, guards, metering, embeddings, defaultJudge, timeout, this);
  }

  /** What grading has cost so far. */
  public synchronized GradingUsage usage() {
    return usage;
  }

  /** Adds usage here and to the parent. */
  void add(GradingUsage more) {
    synchronized (this) {
      usage = usage.plus(more);
    }
    if (parent != null) {
      parent.add(more);
    }
  }

  @Override
  public CompletableFuture<Completion> complete(String provider, CompletionRequest request) {
    ProviderRef ref;
    RegisteredProvider judge;
    try {
      ref = judgeRef(provider, defaultJudge);
      judge = registry.require(ref.name());
    } catch (RuntimeException e) {
      add(new GradingUsage(0, 0, 0, 0, null, 0, 0, 1));
      return CompletableFuture.failedFuture(e);
    }
    String model = request.model() != null ? request.model() : ref.modelOr(judge);
    ResponseFormat format = request.responseFormat();
    if (format != null && !judge.provider().capabilities(model).jsonMode()) {
      // Providers without a JSON mode get the schema in the prompt only (it is always there).
      format = null;
    }
    CompletionRequest sent =
        new CompletionRequest(
            model,
            request.messages(),
            request.temperature(),
            request.maxTokens(),
            request.options(),
            request.timeout() != null ? request.timeout() : timeout,
            false,
            request.tools(),
            format,
            request.topLogprobs());
    CompletableFuture<Completion> answer;
    try {
      answer = guards.guard(judge).call(() -> judge.provider().complete(sent));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (c, failure) -> {
          if (failure != null) {
            add(new GradingUsage(1, 0, 0, 0, null, 0, 0, 1));
            throw failure instanceof RuntimeException r
                ? r
                : new java.util.concurrent.CompletionException(failure);
          }
          Completion metered = metering.withTokens(model, sent, c);
          Optional<CostDetails> cost = metering.cost(judge.adapter(), model, metered);
          add(
              new GradingUsage(
                  1,
                  orZero(metered.promptTokens()),
                  orZero(metered.completionTokens()),
                  orZero(metered.totalTokens()),
                  cost.map(CostDetails::totalCost).orElse(null),
                  0,
                  0,
                  0));
          return metered;
        });
  }

  @Override
  public CompletableFuture<List<float[]>> embed(String provider, List<String> texts) {
    CompletableFuture<List<float[]>> vectors;
    try {
      vectors = embeddings.embed(provider, texts);
    } catch (RuntimeException e) {
      vectors = CompletableFuture.failedFuture(e);
    }
    return vectors.whenComplete(
        (v, failure) -> add(new GradingUsage(1, 0, 0, 0, null, 0, 0, failure == null ? 0 : 1)));
  }

  /**
   * The judge a reference names, else the default judge.
   *
   * @throws IllegalArgumentException when neither is given, saying how to configure one
   */
  static ProviderRef judgeRef(String provider, String defaultJudge) {
    if (provider != null && !provider.isBlank()) {
      return ProviderRef.parse(provider);
    }
    if (defaultJudge == null || defaultJudge.isBlank()) {
      throw new IllegalArgumentException(
          "no judge provider: set the assertion's 'provider' (\"name\" or \"name:model\") or"
              + " configure a default judge with ltb.evaluation.judge.provider (environment"
              + " variable LTB_EVALUATION_JUDGE_PROVIDER), e.g. openai:gpt-4o-mini");
    }
    return ProviderRef.parse(defaultJudge);
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }
}
