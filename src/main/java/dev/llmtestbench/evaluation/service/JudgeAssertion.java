package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An LLM-as-judge assertion: runs its method (one or more judge calls) once per sample, aggregates
 * the samples, then applies threshold and negation as other graded assertions do. Never completes
 * exceptionally: a judge that fails, or answers malformed JSON beyond the retries, gives a failing
 * result that says so, marked as a grading failure so it is never cached.
 */
abstract class JudgeAssertion extends GradedAssertion implements ModelGradedAssertion {

  /** Bumped when the shared method (aggregation, parsing, reason) changes meaning. */
  static final String METHOD_VERSION = "1";

  /** One run of the judge method: its score, whether it passes before negation, and why. */
  record Sample(double score, boolean pass, String reason) {}

  /** A result and whether it records a grading failure rather than a verdict. */
  record Judged(AssertionResult result, boolean failed) {}

  /** What every judge assertion is configured with, as compiled from its spec. */
  record Config(
      Settings settings,
      String provider,
      String value,
      Double threshold,
      JudgeOptions options,
      Map<String, Object> rawOptions) {}

  final String provider;
  final String value;
  final Double threshold;
  final JudgeOptions options;
  private final Map<String, Object> rawOptions;
  private final Double defaultMinScore;
  private final List<JudgePrompt> prompts;

  /**
   * @param defaultMinScore the minimum score to pass when no threshold is configured; null for
   *     types that pass on the judge's own verdict
   * @param prompts the prompts this assertion sends, overrides applied, in the order it sends them
   */
  JudgeAssertion(Config c, Double defaultMinScore, JudgePrompt... prompts) {
    super(c.settings());
    this.provider = c.provider() == null || c.provider().isBlank() ? null : c.provider().strip();
    this.value = c.value();
    this.threshold = c.threshold();
    this.options = c.options();
    this.rawOptions = c.rawOptions() == null ? Map.of() : c.rawOptions();
    this.defaultMinScore = defaultMinScore;
    this.prompts = List.of(prompts);
  }

  /** The prompts this assertion sends, overrides applied. */
  final List<JudgePrompt> prompts() {
    return prompts;
  }

  /** Runs the method once; the future fails when the judge does. */
  abstract CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader);

  /** The minimum score to pass: the configured threshold, else the type's default (may be null). */
  final Double minScore() {
    return threshold != null ? threshold : defaultMinScore;
  }

  /** The temperature of judge calls when none is configured. */
  double defaultTemperature() {
    return options.samples() > 1 ? 0.7 : 0.0;
  }

  /** The judge provider references this assertion may call, for validation at creation time. */
  List<String> providerRefs() {
    List<String> refs = new ArrayList<>(2);
    refs.add(provider);
    return refs;
  }

  /** Whether the score passes the minimum score, or true when there is none. */
  final boolean passes(double score) {
    Double min = minScore();
    return min == null || score >= min - 1e-9;
  }

  @Override
  public String version() {
    StringBuilder v = new StringBuilder(METHOD_VERSION);
    for (JudgePrompt p : prompts()) {
      v.append(';').append(p.label());
    }
    return v.toString();
  }

  @Override
  public CompletableFuture<AssertionResult> evaluateAsync(EvaluationContext ctx, Grader grader) {
    return judge(ctx, grader).thenApply(Judged::result);
  }

  /** Grades one output, telling verdicts from grading failures. */
  final CompletableFuture<Judged> judge(EvaluationContext ctx, Grader grader) {
    int n = options.samples();
    Object[] outcomes = new Object[n];
    CompletableFuture<?>[] all = new CompletableFuture<?>[n];
    for (int i = 0; i < n; i++) {
      int at = i;
      CompletableFuture<Sample> s;
      try {
        s = sample(ctx, grader);
      } catch (RuntimeException e) {
        s = CompletableFuture.failedFuture(e);
      }
      all[i] = s.handle((sample, failure) -> outcomes[at] = failure == null ? sample : failure);
    }
    return CompletableFuture.allOf(all).handle((v, f) -> combine(outcomes));
  }

  private Judged combine(Object[] outcomes) {
    List<Sample> samples = new ArrayList<>(outcomes.length);
    for (Object o : outcomes) {
      if (o instanceof Throwable t) {
        return new Judged(
            error("Grading failed: " + describe(t) + " (" + provenance() + ")"), true);
      }
      samples.add((Sample) o);
    }
    Sample s = aggregate(samples);
    String detail = "score " + decimal(s.score()) + " (" + provenance() + ")";
    String condition =
        minScore() == null ? "judged to pass" : "at least " + plain(minScore()) + " and pass";
    return new Judged(graded(s.pass(), s.score(), s.reason() + " — " + detail, condition), false);
  }

  /**
   * Aggregates samples: {@code mean} and {@code median} combine the scores and pass when the
   * combined score reaches the minimum score (or, without one, when most samples passed); {@code
   * majority} passes when more than half the samples passed, scoring their mean.
   */
  Sample aggregate(List<Sample> samples) {
    if (samples.size() == 1) {
      return samples.get(0);
    }
    double[] scores = samples.stream().mapToDouble(Sample::score).sorted().toArray();
    long passed = samples.stream().filter(Sample::pass).count();
    boolean majority = passed * 2 > samples.size();
    double mean = Arrays.stream(scores).average().orElse(0);
    double score =
        switch (options.aggregation()) {
          case "median" ->
              scores.length % 2 == 1
                  ? scores[scores.length / 2]
                  : (scores[scores.length / 2 - 1] + scores[scores.length / 2]) / 2;
          default -> mean;
        };
    boolean pass =
        options.aggregation().equals("majority") || minScore() == null ? majority : passes(score);
    // The reason of the sample nearest the aggregate explains it best.
    Sample nearest = samples.get(0);
    for (Sample s : samples) {
      if (Math.abs(s.score() - score) < Math.abs(nearest.score() - score)) {
        nearest = s;
      }
    }
    return new Sample(
        score,
        pass,
        nearest.reason()
            + " ["
            + samples.size()
            + " samples, "
            + options.aggregation()
            + ", "
            + passed
            + " passed]");
  }

  /** Which judge and prompt versions produced a result. */
  String provenance() {
    StringBuilder s =
        new StringBuilder("judge ").append(provider == null ? "default judge" : provider);
    s.append(", prompt ");
    List<JudgePrompt> prompts = prompts();
    for (int i = 0; i < prompts.size(); i++) {
      s.append(i == 0 ? "" : " + ").append(prompts.get(i).label());
    }
    return s.toString();
  }

  /** A judge call of one of this assertion's prompts, with its options. */
  final JudgeCall call(
      Grader grader,
      JudgePrompt prompt,
      java.util.function.Function<jakarta.json.JsonObject, String> check) {
    return new JudgeCall(
        grader,
        provider,
        prompt,
        check,
        options.temperature() == null ? defaultTemperature() : options.temperature(),
        options.maxTokens(),
        options.retries());
  }

  /** The values a prompt is rendered with: the test's variables, overridden by the named inputs. */
  static Map<String, Object> values(EvaluationContext ctx, Object... named) {
    Map<String, Object> values = new LinkedHashMap<>(ctx.vars());
    for (int i = 0; i + 1 < named.length; i += 2) {
      values.put((String) named[i], named[i + 1] == null ? "" : named[i + 1]);
    }
    return values;
  }

  /** The assertion's value with the test's variables filled in, or null without one. */
  final String renderedValue(EvaluationContext ctx) {
    return value == null ? null : PromptTemplate.of(value).render(ctx.vars());
  }

  /** A variable as text, or null when the test has none by that name. */
  static String var(EvaluationContext ctx, String name) {
    Object v = ctx.vars().get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> list) {
      // A list of retrieved passages reads as one context, a passage per line.
      return String.join("\n", list.stream().map(String::valueOf).toList());
    }
    return v instanceof String s ? s : dev.llmtestbench.platform.json.Json.write(v);
  }

  /** The names of the variables that can change this assertion's verdict. */
  Set<String> relevantVars() {
    Set<String> names = new LinkedHashSet<>();
    if (value != null) {
      names.addAll(PromptTemplate.of(value).variables());
    }
    for (JudgePrompt p : prompts()) {
      names.addAll(PromptTemplate.of(p.system()).variables());
      names.addAll(PromptTemplate.of(p.user()).variables());
    }
    names.add(options.contextVar());
    names.add(options.queryVar());
    return names;
  }

  /**
   * The evaluation cache key: type (with negation), method and prompt versions, judge, value,
   * options and threshold, and the inputs the judge sees (prompt, output, expected answer, the
   * relevant variables). The metric name and weight are left out: they do not change the verdict.
   */
  final String cacheKey(EvaluationContext ctx) {
    Map<String, Object> vars = new TreeMap<>();
    for (String name : relevantVars()) {
      Object v = ctx.vars().get(name);
      if (v != null) {
        vars.put(name, v);
      }
    }
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("type", type());
    parts.put("version", version());
    parts.put("provider", provider);
    parts.put("value", value);
    parts.put("options", rawOptions);
    parts.put("threshold", threshold);
    parts.put("prompt", ctx.prompt());
    parts.put("output", ctx.output());
    parts.put("expected", ctx.expected());
    parts.put("vars", vars);
    return JudgeKeys.of(parts);
  }

  static String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** A judge's reason, trimmed; a placeholder when it gave none. */
  static String reason(jakarta.json.JsonObject answer) {
    String r = answer.containsKey("reason") ? answer.getString("reason", "").strip() : "";
    return r.isEmpty() ? "(no reason given)" : r;
  }
}
