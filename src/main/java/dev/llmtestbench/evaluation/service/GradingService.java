package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.Evaluation;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import dev.llmtestbench.evaluation.embedding.EmbeddingService;
import dev.llmtestbench.provider.service.ProviderGuards;
import dev.llmtestbench.provider.service.ProviderMetering;
import dev.llmtestbench.provider.service.ProviderRef;
import dev.llmtestbench.provider.service.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Evaluates outputs with their assertions, the model-graded ones through a fresh {@link
 * ProviderGrader} per output and the evaluation cache, without blocking: what a run's items and
 * {@code POST /api/v1/evaluate} use.
 */
@ApplicationScoped
public class GradingService {

  private static final Logger LOG = Logger.getLogger(GradingService.class.getName());
  static final String CACHE_MARK = " [evaluation cache]";

  @Inject ProviderRegistry registry;
  @Inject ProviderGuards guards;
  @Inject ProviderMetering metering;
  @Inject EmbeddingService embeddings;
  @Inject EvaluationCache cache;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.judge.provider")
  Optional<String> defaultJudge;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.judge.timeout-ms", defaultValue = "60000")
  long judgeTimeoutMs;

  /** An evaluation and what grading it cost. */
  public record Graded(Evaluation evaluation, GradingUsage usage) {}

  /** A grader for one evaluation. */
  public ProviderGrader grader() {
    return new ProviderGrader(
        registry,
        guards,
        metering,
        embeddings,
        defaultJudge.orElse(null),
        Duration.ofMillis(judgeTimeoutMs),
        null);
  }

  /**
   * Evaluates one output. Without model-graded assertions this completes at once on the calling
   * thread; otherwise when the last judge has answered. Never completes exceptionally.
   */
  public CompletableFuture<Graded> evaluate(List<Assertion> assertions, EvaluationContext ctx) {
    if (assertions.stream().noneMatch(a -> a instanceof ModelGradedAssertion)) {
      return CompletableFuture.completedFuture(
          new Graded(Evaluator.evaluate(assertions, ctx), GradingUsage.NONE));
    }
    ProviderGrader grader = grader();
    List<Assertion> wrapped = new ArrayList<>(assertions.size());
    for (Assertion a : assertions) {
      wrapped.add(a instanceof JudgeAssertion j && cache.enabled() ? new Cached(j, grader) : a);
    }
    return Evaluator.evaluateAsync(wrapped, ctx, grader)
        .thenApply(e -> new Graded(e, grader.usage()));
  }

  /**
   * Checks that every judge (and embedding provider) the assertions name is registered, and that a
   * default judge is configured where one is needed.
   *
   * @return one message per problem, empty when all is well
   */
  public List<String> judgeProblems(List<Assertion> assertions) {
    Set<String> problems = new LinkedHashSet<>();
    for (Assertion a : assertions) {
      if (!(a instanceof JudgeAssertion j)) {
        continue;
      }
      List<String> refs = j.providerRefs();
      for (int i = 0; i < refs.size(); i++) {
        String ref = refs.get(i);
        try {
          ProviderRef parsed =
              i == 0
                  ? ProviderGrader.judgeRef(ref, defaultJudge.orElse(null))
                  : ProviderRef.parse(ref);
          if (registry.find(parsed.name()).isEmpty()) {
            problems.add(
                a.type()
                    + ": unknown provider '"
                    + parsed.name()
                    + "'"
                    + (ref == null ? " (the default judge, ltb.evaluation.judge.provider)" : "")
                    + ". Known providers: "
                    + registry.names()
                    + ".");
          }
        } catch (IllegalArgumentException e) {
          problems.add(a.type() + ": " + e.getMessage() + ".");
        }
      }
    }
    return List.copyOf(problems);
  }

  /** A judge assertion answered from the evaluation cache when it can be. */
  private final class Cached implements ModelGradedAssertion {
    private final JudgeAssertion judge;
    private final ProviderGrader grader;

    Cached(JudgeAssertion judge, ProviderGrader grader) {
      this.judge = judge;
      this.grader = grader;
    }

    @Override
    public String metric() {
      return judge.metric();
    }

    @Override
    public String type() {
      return judge.type();
    }

    @Override
    public double weight() {
      return judge.weight();
    }

    @Override
    public String version() {
      return judge.version();
    }

    @Override
    public CompletableFuture<AssertionResult> evaluateAsync(EvaluationContext ctx, Grader g) {
      String key = judge.cacheKey(ctx);
      Optional<EvaluationCache.Entry> hit;
      try {
        hit = cache.find(key);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Evaluation cache lookup failed; grading afresh", e);
        hit = Optional.empty();
      }
      if (hit.isPresent()) {
        grader.add(new GradingUsage(0, 0, 0, 0, null, 1, 0, 0));
        AssertionResult r = hit.get().result();
        return CompletableFuture.completedFuture(
            new AssertionResult(metric(), type(), r.pass(), r.score(), r.reason() + CACHE_MARK));
      }
      ProviderGrader own = grader.scoped();
      return judge
          .judge(ctx, own)
          .thenApply(
              judged -> {
                grader.add(new GradingUsage(0, 0, 0, 0, null, 0, 1, 0));
                if (!judged.failed()) {
                  try {
                    cache.store(key, type(), version(), judged.result(), own.usage());
                  } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not store a verdict in the evaluation cache", e);
                  }
                }
                return judged.result();
              });
    }
  }
}
