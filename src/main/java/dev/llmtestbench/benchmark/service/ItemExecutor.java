package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.CacheStats;
import dev.llmtestbench.benchmark.domain.CallDetails;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.Target;
import dev.llmtestbench.benchmark.domain.WorkItem;
import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.dataset.domain.RecordedOutput;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.evaluation.service.GradingService;
import dev.llmtestbench.provider.measure.CacheKeys;
import dev.llmtestbench.provider.measure.CostDetails;
import dev.llmtestbench.provider.recorded.RecordedProvider;
import dev.llmtestbench.provider.resilience.CallStats;
import dev.llmtestbench.provider.service.ProviderGuards;
import dev.llmtestbench.provider.service.ProviderMetering;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.service.ResponseCache;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.TokenLogprob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Executes one work item: renders the prompt, answers from the response cache or calls the target's
 * provider through its guard (retries, circuit breaker, concurrency limit) without blocking, then
 * meters and evaluates the answer. Latency is the provider's own measurement of the successful
 * attempt; time queued for a concurrency permit is recorded apart.
 */
@ApplicationScoped
public class ItemExecutor {

  @Inject ProviderGuards guards;
  @Inject ProviderMetering metering;
  @Inject ResponseCache cache;
  @Inject GradingService grading;

  /** What one call needs from its run and item. */
  private record Call(
      RunContext ctx,
      WorkItem item,
      RegisteredProvider provider,
      Target target,
      String prompt,
      CompletionRequest request,
      String cacheKey,
      Double recordedCost) {}

  /**
   * A work item made ready to send: its rendered request and its response-cache key (null when the
   * answer is not cached), so a page of items can look up the cache in one query.
   */
  public static final class Prepared {
    private final Call call;
    private final boolean simulated;
    private final boolean recorded;

    private Prepared(Call call, boolean simulated, boolean recorded) {
      this.call = call;
      this.simulated = simulated;
      this.recorded = recorded;
    }

    public String cacheKey() {
      return call.cacheKey();
    }
  }

  /** Renders the item's request and computes its cache key; sends nothing. */
  public Prepared prepare(RunContext ctx, WorkItem item) {
    TestCase tc = item.testCase();
    Target target = ctx.config().targets().get(item.targetIndex());
    RegisteredProvider provider = ctx.providers().get(item.targetIndex());
    PromptTemplate template =
        tc.prompt() != null ? PromptTemplate.of(tc.prompt()) : ctx.datasetTemplate();
    String prompt = template.render(tc.vars());
    List<ChatMessage> messages = new ArrayList<>(2);
    if (ctx.config().systemPrompt() != null && !ctx.config().systemPrompt().isBlank()) {
      messages.add(new ChatMessage("system", ctx.config().systemPrompt()));
    }
    messages.add(new ChatMessage("user", prompt));
    Map<String, String> options = target.options();
    boolean simulated = "simulator".equals(provider.kind());
    if (simulated && tc.expected() != null) {
      // The simulator may answer with the expected output (an oracle with a set accuracy).
      options = new HashMap<>(options);
      options.put("expected", tc.expected());
    }
    CompletionRequest request =
        new CompletionRequest(
            target.model(),
            messages,
            ctx.config().temperature(),
            ctx.config().maxTokens(),
            options,
            timeout(ctx, provider),
            ctx.config().stream(),
            ctx.config().tools(),
            ctx.config().responseFormat(),
            ctx.config().topLogprobs());
    // A simulated answer costs nothing to make again, so it is never cached.
    String key =
        ctx.config().cache() && !simulated
            ? CacheKeys.of(
                // The endpoint is part of the key: a provider re-registered elsewhere starts
                // afresh.
                provider.name() + "@" + provider.config().baseUrl(),
                target.model(),
                request,
                item.repeatIndex(),
                ctx.config().cacheAcrossRepeats())
            : null;
    if (RecordedProvider.TYPE.equals(provider.kind())) {
      return new Prepared(
          new Call(ctx, item, provider, target, prompt, request, null, null), simulated, true);
    }
    return new Prepared(
        new Call(ctx, item, provider, target, prompt, request, key, null), simulated, false);
  }

  /**
   * Answers a prepared item from {@code hit} (its cache entry, or null) or calls the target's
   * provider without blocking, then meters and evaluates the answer. {@code answered} runs once the
   * provider has answered or failed, before evaluation (which may call a judge provider).
   */
  public CompletableFuture<ResultRecord> send(
      Prepared prepared, ResponseCache.Hit hit, Runnable answered) {
    Call call = prepared.call;
    if (prepared.recorded) {
      return recorded(call);
    }
    if (hit != null) {
      return answered(call, hit.completion(), new CallStats(), true);
    }
    boolean simulated = prepared.simulated;
    RegisteredProvider provider = call.provider();
    CompletionRequest request = call.request();
    CallStats stats = new CallStats();
    CompletableFuture<Completion> sent;
    try {
      // The simulator is the load generator itself: retries and limits would distort it.
      sent =
          simulated
              ? provider.provider().complete(request)
              : guards.guard(provider).call(() -> provider.provider().complete(request), stats);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    // Grading (judge calls) runs after the answer without blocking; the result completes after it.
    return sent.handle(
            (completion, failure) -> {
              answered.run();
              return failure == null
                  ? answered(call, completion, stats, false)
                  : CompletableFuture.completedFuture(failed(call, unwrap(failure), stats));
            })
        .thenCompose(result -> result);
  }

  private CompletableFuture<ResultRecord> answered(
      Call call, Completion raw, CallStats stats, boolean cacheHit) {
    TestCase tc = call.item().testCase();
    Completion c = metering.withTokens(call.target().model(), call.request(), raw);
    double latencyMs = c.latencyNanos() / 1_000_000.0;
    List<Assertion> assertions = call.ctx().baseAssertions();
    if (!tc.assertions().isEmpty()) {
      assertions = new ArrayList<>(assertions);
      assertions.addAll(Assertions.compileAll(tc.assertions()));
    }
    String output = c.text() == null ? "" : c.text();
    // A recorded cost is what the recorded call cost; otherwise the pricing table prices it.
    Optional<CostDetails> cost =
        cacheHit || call.recordedCost() != null
            ? Optional.empty()
            : metering.cost(call.provider().adapter(), call.target().model(), c);
    Double costUsd =
        call.recordedCost() != null
            ? call.recordedCost()
            : cost.map(CostDetails::totalCost).orElse(null);
    return grading
        .evaluate(
            assertions,
            new EvaluationContext(
                call.prompt(),
                output,
                tc.expected(),
                Math.round(latencyMs),
                tc.vars(),
                c.finishReason(),
                costUsd,
                c.toolCalls().stream()
                    .map(t -> new EvaluationContext.ToolCallView(t.name(), t.arguments()))
                    .toList(),
                c.logprobs().stream().map(TokenLogprob::logprob).toList()))
        .thenApply(
            graded -> graded(call, raw, c, stats, cacheHit, cost, latencyMs, output, graded));
  }

  private ResultRecord graded(
      Call call,
      Completion raw,
      Completion c,
      CallStats stats,
      boolean cacheHit,
      Optional<CostDetails> cost,
      double latencyMs,
      String output,
      GradingService.Graded graded) {
    Evaluation evaluation = graded.evaluation();
    Map<String, Double> scores = new LinkedHashMap<>();
    for (AssertionResult r : evaluation.results()) {
      scores.put(r.metric(), r.score());
    }
    CallDetails details =
        new CallDetails(
            c.timeToFirstTokenNanos() == null ? null : c.timeToFirstTokenNanos() / 1_000_000.0,
            Math.max(1, stats.attempts()),
            stats.rateLimited(),
            call.provider().provider().apiVersion(),
            stats.queuedNanos() / 1_000_000.0,
            c.tokensEstimated(),
            c.cachedPromptTokens(),
            c.toolCalls(),
            c.blocked(),
            cacheHit
                ? Double.valueOf(0.0)
                : call.recordedCost() != null
                    ? call.recordedCost()
                    : cost.map(CostDetails::totalCost).orElse(null),
            cost.orElse(null),
            call.cacheKey() == null
                ? null
                : new CacheStats(
                    graded.usage().cacheHits() > 0,
                    cacheHit,
                    call.cacheKey(),
                    cache.ttl().toSeconds()));
    return record(
        call,
        evaluation.pass() ? "success" : "failure",
        output,
        null,
        null,
        c,
        latencyMs,
        evaluation.pass(),
        evaluation.score(),
        scores,
        evaluation.results(),
        details,
        call.cacheKey() != null && !cacheHit && !c.blocked()
            ? new ResultRecord.CacheWrite(call.cacheKey(), raw)
            : null,
        graded.usage());
  }

  private ResultRecord failed(Call call, Throwable failure, CallStats stats) {
    String errorType;
    double latencyMs = 0;
    String status = "error";
    if (failure instanceof ProviderException pe) {
      errorType = pe.kind().name().toLowerCase(Locale.ROOT);
      latencyMs = pe.latencyNanos() / 1_000_000.0;
      if (pe.kind() == ProviderException.Kind.TIMEOUT) {
        status = "timeout";
      }
    } else {
      errorType = "internal";
    }
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    CallDetails details =
        new CallDetails(
            null,
            Math.max(1, stats.attempts()),
            stats.rateLimited(),
            call.provider().provider().apiVersion(),
            stats.queuedNanos() / 1_000_000.0,
            false,
            null,
            List.of(),
            false,
            null,
            null,
            null);
    return record(
        call,
        status,
        null,
        message,
        errorType,
        null,
        latencyMs,
        false,
        0.0,
        Map.of(),
        List.of(),
        details,
        null,
        GradingUsage.NONE);
  }

  private static ResultRecord record(
      Call call,
      String status,
      String response,
      String error,
      String errorType,
      Completion c,
      double latencyMs,
      boolean passed,
      Double score,
      Map<String, Double> scores,
      List<AssertionResult> assertions,
      CallDetails details,
      ResultRecord.CacheWrite toCache,
      GradingUsage grading) {
    TestCase tc = call.item().testCase();
    RunContext ctx = call.ctx();
    return new ResultRecord(
        null,
        0,
        ctx.runId(),
        call.item().itemKey(),
        call.provider().id(),
        call.provider().name(),
        call.target().model(),
        ctx.datasetId(),
        tc.id(),
        tc.testId(),
        call.item().repeatIndex(),
        status,
        call.prompt(),
        response,
        tc.expected(),
        error,
        errorType,
        c == null ? null : c.finishReason(),
        latencyMs,
        c == null ? null : c.promptTokens(),
        c == null ? null : c.completionTokens(),
        c == null ? null : c.totalTokens(),
        passed,
        score,
        scores,
        assertions,
        tc.tags(),
        c == null ? null : c.modelVersion(),
        c == null ? null : c.requestId(),
        ctx.serverId(),
        null,
        details,
        toCache,
        grading);
  }

  /** The run's per-call deadline, capped by the provider's own timeout when it is shorter. */
  private static Duration timeout(RunContext ctx, RegisteredProvider provider) {
    Duration run = Duration.ofMillis(ctx.config().timeoutMs());
    Duration own = provider.config().timeout();
    return own != null && own.compareTo(run) < 0 ? own : run;
  }

  // --- Recorded outputs: the case's output for the target's model stands in for the call. ------

  /**
   * Scores the output recorded for the target's model as if that model had just answered, with the
   * recorded latency, tokens (estimated where none were recorded) and cost; calls nothing.
   */
  private CompletableFuture<ResultRecord> recorded(Call call) {
    TestCase tc = call.item().testCase();
    RecordedOutput r = tc.outputs().get(call.target().model());
    if (r == null) {
      return CompletableFuture.completedFuture(
          failed(
              call,
              new ProviderException(
                  ProviderException.Kind.UNSUPPORTED,
                  "Test case '"
                      + tc.testId()
                      + "' has no recorded output for model '"
                      + call.target().model()
                      + "'"
                      + (tc.outputs().isEmpty() ? "" : " (it has " + tc.outputs().keySet() + ")")
                      + "."),
              new CallStats()));
    }
    long latencyNanos = r.latencyMs() == null ? 0L : Math.round(r.latencyMs() * 1_000_000.0);
    Integer total =
        r.promptTokens() == null || r.completionTokens() == null
            ? null
            : r.promptTokens() + r.completionTokens();
    Completion c =
        new Completion(
            r.output(),
            r.finishReason() == null ? "stop" : r.finishReason(),
            r.promptTokens(),
            r.completionTokens(),
            total,
            latencyNanos,
            RecordedProvider.TYPE + "/" + call.target().model(),
            null);
    Call priced =
        new Call(
            call.ctx(),
            call.item(),
            call.provider(),
            call.target(),
            call.prompt(),
            call.request(),
            null,
            r.cost());
    return answered(priced, c, new CallStats(), false);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
