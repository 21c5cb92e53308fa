package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.Target;
import dev.llmtestbench.benchmark.domain.WorkItem;
import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.evaluation.service.Evaluator;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Executes one work item: renders the prompt, calls the target's provider without blocking, and
 * evaluates the answer when it arrives. Latency is the provider's own measurement of the call.
 */
@ApplicationScoped
public class ItemExecutor {

  public CompletableFuture<ResultRecord> execute(RunContext ctx, WorkItem item) {
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
    if ("simulator".equals(provider.adapter()) && tc.expected() != null) {
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
            timeout(ctx, provider));
    CompletableFuture<Completion> call;
    try {
      call = provider.provider().complete(request);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.handle(
        (completion, failure) ->
            failure == null
                ? answered(ctx, item, provider, target, prompt, completion)
                : failed(ctx, item, provider, target, prompt, unwrap(failure)));
  }

  private ResultRecord answered(
      RunContext ctx,
      WorkItem item,
      RegisteredProvider provider,
      Target target,
      String prompt,
      Completion c) {
    TestCase tc = item.testCase();
    double latencyMs = c.latencyNanos() / 1_000_000.0;
    List<Assertion> assertions = ctx.baseAssertions();
    if (!tc.assertions().isEmpty()) {
      assertions = new ArrayList<>(assertions);
      assertions.addAll(Assertions.compileAll(tc.assertions()));
    }
    String output = c.text() == null ? "" : c.text();
    Evaluation evaluation =
        Evaluator.evaluate(
            assertions,
            new EvaluationContext(prompt, output, tc.expected(), Math.round(latencyMs), tc.vars()));
    Map<String, Double> scores = new LinkedHashMap<>();
    for (AssertionResult r : evaluation.results()) {
      scores.put(r.metric(), r.score());
    }
    return record(
        ctx,
        item,
        provider,
        target,
        prompt,
        evaluation.pass() ? "success" : "failure",
        output,
        null,
        null,
        c.finishReason(),
        latencyMs,
        c.promptTokens(),
        c.completionTokens(),
        c.totalTokens(),
        evaluation.pass(),
        evaluation.score(),
        scores,
        evaluation.results(),
        c.modelVersion(),
        c.requestId());
  }

  private ResultRecord failed(
      RunContext ctx,
      WorkItem item,
      RegisteredProvider provider,
      Target target,
      String prompt,
      Throwable failure) {
    String errorType;
    double latencyMs = 0;
    String status = "error";
    if (failure instanceof ProviderException pe) {
      errorType = pe.kind().name().toLowerCase(java.util.Locale.ROOT);
      latencyMs = pe.latencyNanos() / 1_000_000.0;
      if (pe.kind() == ProviderException.Kind.TIMEOUT) {
        status = "timeout";
      }
    } else {
      errorType = "internal";
    }
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return record(
        ctx, item, provider, target, prompt, status, null, message, errorType, null, latencyMs,
        null, null, null, false, 0.0, Map.of(), List.of(), null, null);
  }

  private static ResultRecord record(
      RunContext ctx,
      WorkItem item,
      RegisteredProvider provider,
      Target target,
      String prompt,
      String status,
      String response,
      String error,
      String errorType,
      String finishReason,
      double latencyMs,
      Integer promptTokens,
      Integer completionTokens,
      Integer totalTokens,
      boolean passed,
      Double score,
      Map<String, Double> scores,
      List<AssertionResult> assertions,
      String modelVersion,
      String requestId) {
    TestCase tc = item.testCase();
    return new ResultRecord(
        null,
        0,
        ctx.runId(),
        item.itemKey(),
        provider.id(),
        provider.name(),
        target.model(),
        ctx.datasetId(),
        tc.id(),
        tc.testId(),
        item.repeatIndex(),
        status,
        prompt,
        response,
        tc.expected(),
        error,
        errorType,
        finishReason,
        latencyMs,
        promptTokens,
        completionTokens,
        totalTokens,
        passed,
        score,
        scores,
        assertions,
        tc.tags(),
        modelVersion,
        requestId,
        ctx.serverId(),
        null);
  }

  /** The run's per-call deadline, capped by the provider's own timeout when it is shorter. */
  private static Duration timeout(RunContext ctx, RegisteredProvider provider) {
    Duration run = Duration.ofMillis(ctx.config().timeoutMs());
    Duration own = provider.config().timeout();
    return own != null && own.compareTo(run) < 0 ? own : run;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
