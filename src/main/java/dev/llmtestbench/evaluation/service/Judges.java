package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The LLM-as-judge assertion types. Each follows the method of its reference (promptfoo, OpenAI
 * Evals, RAGAS, G-Eval) with prompts of our own, and asks for structured JSON instead of parsing
 * free text; docs/evaluation.md gives each type's exact semantics.
 */
final class Judges {

  /** The judge types (without negation). */
  static final List<String> TYPES =
      List.of(
          "llm-rubric",
          "g-eval",
          "factuality",
          "model-graded-closedqa",
          "answer-relevance",
          "context-faithfulness",
          "context-recall",
          "context-relevance",
          "faithfulness",
          "relevance",
          "coherence");

  private static final double G_EVAL_MAX = 10;

  private Judges() {}

  static JudgeAssertion compile(
      String baseType,
      BaseAssertion.Settings settings,
      AssertionSpec spec,
      AssertionValues.Problems problems) {
    Double threshold = spec.threshold();
    if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
      throw problems.apply(
          "threshold " + threshold + " is out of range. It is the minimum score, from 0 to 1.");
    }
    if (spec.provider() != null && spec.provider().isBlank()) {
      throw problems.apply(
          "'provider' is blank. Name a registered provider (\"name\" or \"name:model\") or leave"
              + " it out for the default judge.");
    }
    String value = spec.value();
    switch (baseType) {
      case "llm-rubric":
        return new Rubric(
            config(
                settings,
                spec,
                required(value, "the rubric, e.g. \"Is polite\"", problems),
                Set.of(),
                problems));
      case "g-eval":
        return new GEval(
            config(
                settings,
                spec,
                required(value, "the evaluation criteria", problems),
                Set.of(),
                problems),
            problems);
      case "factuality":
        return new Factuality(config(settings, spec, value, Set.of("factuality"), problems));
      case "model-graded-closedqa":
        return new ClosedQa(
            config(
                settings,
                spec,
                required(value, "the criterion the answer must meet", problems),
                Set.of(),
                problems));
      case "answer-relevance":
        none(
            value,
            "the query comes from the 'query' variable (option queryVar) or the prompt",
            problems);
        return new AnswerRelevance(
            config(
                settings,
                spec,
                null,
                Set.of("queryVar", "questions", "embeddingProvider"),
                problems));
      case "context-faithfulness":
        none(value, "the context comes from the 'context' variable (option contextVar)", problems);
        return new ContextFaithfulness(
            config(settings, spec, null, Set.of("contextVar", "queryVar"), problems), problems);
      case "context-recall":
        return new ContextRecall(config(settings, spec, value, Set.of("contextVar"), problems));
      case "context-relevance":
        none(value, "the context comes from the 'context' variable (option contextVar)", problems);
        return new ContextRelevance(
            config(settings, spec, null, Set.of("contextVar", "queryVar"), problems));
      case "faithfulness", "relevance", "coherence":
        none(value, "the judge rates the output on its own scale", problems);
        return new Scale(baseType, config(settings, spec, null, Set.of("contextVar"), problems));
      default:
        throw new IllegalStateException("Not a judge type: " + baseType);
    }
  }

  private static JudgeAssertion.Config config(
      BaseAssertion.Settings settings,
      AssertionSpec spec,
      String value,
      Set<String> extraOptions,
      AssertionValues.Problems problems) {
    return new JudgeAssertion.Config(
        settings,
        spec.provider(),
        value,
        spec.threshold(),
        JudgeOptions.of(spec.options(), extraOptions, problems),
        spec.options());
  }

  private static String required(String value, String meaning, AssertionValues.Problems p) {
    if (value == null || value.isBlank()) {
      throw p.apply("'value' is required: " + meaning + ".");
    }
    return value;
  }

  private static void none(String value, String why, AssertionValues.Problems p) {
    AssertionValues.none(value, why + ".", p);
  }

  /** The built-in prompt, or one whose user message is the {@code rubricPrompt} text. */
  private static JudgePrompt single(String id, JudgeOptions options) {
    JudgePrompt p = JudgePrompts.get(id);
    return options.rubricPrompt() instanceof String s ? p.withUser(s) : p;
  }

  /** A step's prompt of a judge with several: {@code rubricPrompt} is an object by step name. */
  private static JudgePrompt step(
      String id,
      String step,
      JudgeOptions options,
      List<String> steps,
      AssertionValues.Problems p) {
    JudgePrompt prompt = JudgePrompts.get(id);
    Object override = options.rubricPrompt();
    if (override == null) {
      return prompt;
    }
    if (!(override instanceof Map<?, ?> byStep) || !steps.containsAll(keys(byStep))) {
      throw p.apply(
          "option 'rubricPrompt' of this type must be an object with templates for its steps: "
              + String.join(", ", steps)
              + ".");
    }
    Object template = byStep.get(step);
    return template == null ? prompt : prompt.withUser(String.valueOf(template));
  }

  private static List<String> keys(Map<?, ?> map) {
    return map.keySet().stream().map(String::valueOf).toList();
  }

  static String nonEmptyList(JsonObject answer, String field) {
    return answer.getJsonArray(field).isEmpty() ? "'" + field + "' is empty" : null;
  }

  /** The query a RAG metric judges against: the query variable, else the prompt. */
  private static String query(EvaluationContext ctx, JudgeOptions o) {
    String q = JudgeAssertion.var(ctx, o.queryVar());
    return q != null ? q : ctx.prompt();
  }

  private static String requireContext(EvaluationContext ctx, JudgeOptions o) {
    String c = JudgeAssertion.var(ctx, o.contextVar());
    if (c == null || c.isBlank()) {
      throw new IllegalArgumentException(
          "the test has no '" + o.contextVar() + "' variable holding the context");
    }
    return c;
  }

  // --- llm-rubric -------------------------------------------------------------------------------

  /** promptfoo's llm-rubric: the judge says pass, score and why. */
  static final class Rubric extends JudgeAssertion {
    Rubric(Config c) {
      super(c, null, single("llm-rubric", c.options()));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      return call(grader, prompts().get(0), null)
          .ask(
              values(
                  ctx,
                  "output",
                  ctx.output(),
                  "rubric",
                  renderedValue(ctx),
                  "prompt",
                  ctx.prompt()))
          .thenApply(
              a -> {
                double score = a.getJsonNumber("score").doubleValue();
                return new Sample(score, a.getBoolean("pass") && passes(score), reason(a));
              });
    }
  }

  // --- g-eval -----------------------------------------------------------------------------------

  /** G-Eval (Liu et al. 2023) as promptfoo runs it: criteria → steps → a 0–10 score, / 10. */
  static final class GEval extends JudgeAssertion {
    private static final List<String> STEPS = List.of("steps", "evaluate");

    GEval(Config c, AssertionValues.Problems p) {
      super(
          c,
          0.7,
          step("g-eval-steps", "steps", c.options(), STEPS, p),
          step("g-eval-evaluate", "evaluate", c.options(), STEPS, p));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      String criteria = renderedValue(ctx);
      return call(grader, prompts().get(0), a -> nonEmptyList(a, "steps"))
          .ask(values(ctx, "criteria", criteria))
          .thenCompose(
              a -> {
                List<String> list = strings(a.getJsonArray("steps"));
                return call(grader, prompts().get(1), null)
                    .ask(
                        values(
                            ctx,
                            "criteria",
                            criteria,
                            "steps",
                            String.join("\n- ", list),
                            "maxScore",
                            "10",
                            "input",
                            ctx.prompt(),
                            "output",
                            ctx.output()));
              })
          .thenApply(
              a -> {
                double score = a.getJsonNumber("score").doubleValue() / G_EVAL_MAX;
                return new Sample(score, passes(score), reason(a));
              });
    }
  }

  // --- factuality -------------------------------------------------------------------------------

  /** OpenAI Evals' fact method: category A–E, mapped to a score by the factuality option. */
  static final class Factuality extends JudgeAssertion {
    Factuality(Config c) {
      super(c, null, single("factuality", c.options()));
    }

    private static final Map<String, String> OPTION_BY_CATEGORY =
        Map.of(
            "A", "subset", "B", "superset", "C", "agree", "D", "disagree", "E", "differButFactual");

    /** A category's score; it passes when above 0 (and at least the threshold, if one is set). */
    double score(String category) {
      return options.factuality().get(OPTION_BY_CATEGORY.get(category));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      String ideal = value != null ? renderedValue(ctx) : ctx.expected();
      if (ideal == null || ideal.isBlank()) {
        throw new IllegalArgumentException(
            "factuality needs the expert answer: give 'value' or the test's expected answer");
      }
      return call(grader, prompts().get(0), null)
          .ask(values(ctx, "input", ctx.prompt(), "ideal", ideal, "completion", ctx.output()))
          .thenApply(
              a -> {
                String category = a.getString("category");
                double score = score(category);
                return new Sample(
                    score, score > 0 && passes(score), "(" + category + ") " + reason(a));
              });
    }
  }

  // --- model-graded-closedqa --------------------------------------------------------------------

  /** OpenAI Evals' closedqa: does the submission meet the criterion? Pass scores 1, else 0. */
  static final class ClosedQa extends JudgeAssertion {
    ClosedQa(Config c) {
      super(c, null, single("model-graded-closedqa", c.options()));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      return call(grader, prompts().get(0), null)
          .ask(
              values(
                  ctx,
                  "input",
                  ctx.prompt(),
                  "criteria",
                  renderedValue(ctx),
                  "completion",
                  ctx.output()))
          .thenApply(
              a -> {
                boolean pass = a.getBoolean("pass");
                double score = pass ? 1.0 : 0.0;
                return new Sample(score, pass && passes(score), reason(a));
              });
    }
  }

  // --- answer-relevance -------------------------------------------------------------------------

  /**
   * RAGAS answer relevancy as promptfoo computes it: the judge writes the question the output
   * answers ({@code questions} times), and the score is the mean cosine similarity of those
   * questions' embeddings to the query's (negative similarities count as 0).
   */
  static final class AnswerRelevance extends JudgeAssertion {
    AnswerRelevance(Config c) {
      super(c, 0.0, single("answer-relevance-question", c.options()));
    }

    @Override
    double defaultTemperature() {
      // Several questions from one answer should differ a little, as promptfoo's do.
      return 0.7;
    }

    @Override
    List<String> providerRefs() {
      List<String> refs = super.providerRefs();
      if (options.embeddingProvider() != null) {
        refs.add(options.embeddingProvider());
      }
      return refs;
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      String query = query(ctx, options);
      if (query == null || query.isBlank()) {
        throw new IllegalArgumentException(
            "answer-relevance needs the query: a '"
                + options.queryVar()
                + "' variable or the prompt");
      }
      List<CompletableFuture<String>> questions = new ArrayList<>();
      for (int i = 0; i < options.questions(); i++) {
        questions.add(
            call(
                    grader,
                    prompts().get(0),
                    a -> a.getString("question").isBlank() ? "'question' is empty" : null)
                .ask(values(ctx, "answer", ctx.output()))
                .thenApply(a -> a.getString("question")));
      }
      return CompletableFuture.allOf(questions.toArray(CompletableFuture[]::new))
          .thenCompose(
              v -> {
                List<String> texts = new ArrayList<>();
                texts.add(query);
                questions.forEach(q -> texts.add(q.join()));
                return grader
                    .embed(options.embeddingProvider(), texts)
                    .thenApply(vectors -> relevance(texts, vectors));
              });
    }

    private Sample relevance(List<String> texts, List<float[]> vectors) {
      double sum = 0;
      double best = -1;
      String bestQuestion = "";
      for (int i = 1; i < vectors.size(); i++) {
        double sim = Math.max(0, cosine(vectors.get(0), vectors.get(i)));
        sum += sim;
        if (sim > best) {
          best = sim;
          bestQuestion = texts.get(i);
        }
      }
      double score = sum / (vectors.size() - 1);
      return new Sample(
          score,
          passes(score),
          "mean similarity of "
              + (vectors.size() - 1)
              + " generated questions to the query; closest: "
              + quote(bestQuestion));
    }
  }

  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "embeddings differ in length (" + a.length + " and " + b.length + ")");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  // --- context-faithfulness ---------------------------------------------------------------------

  /**
   * RAGAS faithfulness: the judge splits the output into statements, then says which the context
   * supports; the score is supported / statements (1 when the output makes no statement).
   */
  static final class ContextFaithfulness extends JudgeAssertion {
    private static final List<String> STEPS = List.of("statements", "verdicts");

    ContextFaithfulness(Config c, AssertionValues.Problems p) {
      super(
          c,
          0.0,
          step("context-faithfulness-statements", "statements", c.options(), STEPS, p),
          step("context-faithfulness-verdicts", "verdicts", c.options(), STEPS, p));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      String context = requireContext(ctx, options);
      return call(grader, prompts().get(0), null)
          .ask(values(ctx, "question", query(ctx, options), "answer", ctx.output()))
          .thenCompose(
              a -> {
                List<String> list = strings(a.getJsonArray("statements"));
                if (list.isEmpty()) {
                  return CompletableFuture.completedFuture(
                      new Sample(1.0, passes(1.0), "the output makes no statement to check"));
                }
                StringBuilder numbered = new StringBuilder();
                for (int i = 0; i < list.size(); i++) {
                  numbered.append(i + 1).append(". ").append(list.get(i)).append('\n');
                }
                return call(
                        grader,
                        prompts().get(1),
                        v ->
                            v.getJsonArray("verdicts").size() == list.size()
                                ? null
                                : "expected "
                                    + list.size()
                                    + " verdicts, one per statement, got "
                                    + v.getJsonArray("verdicts").size())
                    .ask(values(ctx, "context", context, "statements", numbered.toString().strip()))
                    .thenApply(
                        v ->
                            fraction(
                                v.getJsonArray("verdicts"),
                                "supported",
                                "statement",
                                "statements supported by the context",
                                this::passes));
              });
    }
  }

  // --- context-recall ---------------------------------------------------------------------------

  /**
   * RAGAS context recall: the share of the reference answer's sentences that can be attributed to
   * the context. The reference is 'value', else the test's expected answer.
   */
  static final class ContextRecall extends JudgeAssertion {
    ContextRecall(Config c) {
      super(c, 0.0, single("context-recall", c.options()));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      String context = requireContext(ctx, options);
      String truth = value != null ? renderedValue(ctx) : ctx.expected();
      if (truth == null || truth.isBlank()) {
        throw new IllegalArgumentException(
            "context-recall needs the reference answer: give 'value' or the test's expected answer");
      }
      return call(grader, prompts().get(0), a -> nonEmptyList(a, "sentences"))
          .ask(values(ctx, "context", context, "groundTruth", truth))
          .thenApply(
              a ->
                  fraction(
                      a.getJsonArray("sentences"),
                      "attributed",
                      "sentence",
                      "reference sentences found in the context",
                      this::passes));
    }
  }

  // --- context-relevance ------------------------------------------------------------------------

  /**
   * RAGAS context relevance as promptfoo computes it: sentences the judge extracts as needed for
   * the query, over the context's sentences (its non-blank lines), at most 1.
   */
  static final class ContextRelevance extends JudgeAssertion {
    ContextRelevance(Config c) {
      super(c, 0.0, single("context-relevance", c.options()));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      String context = requireContext(ctx, options);
      long total = context.lines().filter(l -> !l.isBlank()).count();
      return call(grader, prompts().get(0), null)
          .ask(values(ctx, "query", query(ctx, options), "context", context))
          .thenApply(
              a -> {
                int relevant = a.getJsonArray("relevant_sentences").size();
                double score = Math.min(1.0, relevant / (double) total);
                return new Sample(
                    score,
                    passes(score),
                    relevant + " of " + total + " context sentences are needed for the query");
              });
    }
  }

  // --- the seeds' faithfulness, relevance, coherence --------------------------------------------

  /** A 1–5 rating by the judge, normalised to (rating − 1) / 4; passes at 0.5 by default. */
  static final class Scale extends JudgeAssertion {
    Scale(String id, Config c) {
      super(c, 0.5, single(id, c.options()));
    }

    @Override
    CompletableFuture<Sample> sample(EvaluationContext ctx, Grader grader) {
      String context = var(ctx, options.contextVar());
      String source = context != null && !context.isBlank() ? context : ctx.prompt();
      return call(grader, prompts().get(0), null)
          .ask(values(ctx, "source", source, "input", ctx.prompt(), "output", ctx.output()))
          .thenApply(
              a -> {
                int rating = a.getJsonNumber("score").intValue();
                double score = (rating - 1) / 4.0;
                return new Sample(score, passes(score), "rated " + rating + "/5: " + reason(a));
              });
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>(array.size());
    for (JsonValue v : array) {
      String s = ((jakarta.json.JsonString) v).getString().strip();
      if (!s.isEmpty()) {
        list.add(s);
      }
    }
    return list;
  }

  /** Scores the share of items whose flag is true; the reason names the first that is false. */
  private static JudgeAssertion.Sample fraction(
      JsonArray items,
      String flag,
      String textField,
      String what,
      java.util.function.DoublePredicate passes) {
    int yes = 0;
    String firstNo = null;
    for (JsonValue v : items) {
      JsonObject item = v.asJsonObject();
      if (item.getBoolean(flag)) {
        yes++;
      } else if (firstNo == null) {
        firstNo = item.getString(textField) + " (" + item.getString("reason") + ")";
      }
    }
    double score = items.isEmpty() ? 0 : yes / (double) items.size();
    String reason = yes + " of " + items.size() + " " + what;
    return new JudgeAssertion.Sample(
        score,
        passes.test(score),
        firstNo == null ? reason : reason + "; not: " + BaseAssertion.quote(firstNo));
  }
}
