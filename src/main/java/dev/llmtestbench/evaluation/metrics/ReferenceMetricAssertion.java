package dev.llmtestbench.evaluation.metrics;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/** A reference-overlap metric of the output, 0 to 1, against a minimum (see the factory). */
final class ReferenceMetricAssertion extends TextMetricAssertion {

  // sacreBLEU's sentence BLEU with its -lc option: the assertions ignore case, as promptfoo's do.
  private static final Bleu.Settings BLEU_SETTINGS =
      new Bleu.Settings(BleuTokenizer.V13A, true, Bleu.Smoothing.EXP, null, 4, true);
  private static final ChrF.Settings CHRF_SETTINGS = new ChrF.Settings(6, 0, 2, true, false, false);

  /** The metric of a type: its name in reasons, default threshold and computation. */
  enum Measure {
    ROUGE_N("rouge-n", "ROUGE-1 recall", 0.75, (out, ref) -> Rouge.rougeN(out, ref, 1).recall()),
    ROUGE_1("rouge-1", "ROUGE-1", 0.75, (out, ref) -> Rouge.rougeN(out, ref, 1).fmeasure()),
    ROUGE_2("rouge-2", "ROUGE-2", 0.75, (out, ref) -> Rouge.rougeN(out, ref, 2).fmeasure()),
    ROUGE_L("rouge-l", "ROUGE-L", 0.75, (out, ref) -> Rouge.rougeL(out, ref).fmeasure()),
    BLEU(
        "bleu",
        "BLEU",
        0.5,
        (out, ref) -> Bleu.sentenceBleu(out, List.of(ref), BLEU_SETTINGS).score() / 100),
    GLEU(
        "gleu",
        "GLEU",
        0.5,
        (out, ref) ->
            Gleu.sentenceGleu(List.of(words(PyText.lower(ref))), words(PyText.lower(out)))),
    METEOR(
        "meteor", "METEOR", 0.5, (out, ref) -> Meteor.meteorScore(List.of(words(ref)), words(out))),
    CHRF(
        "chrf",
        "chrF",
        0.5,
        (out, ref) -> ChrF.sentenceChrf(out, List.of(ref), CHRF_SETTINGS) / 100);

    private final String type;
    private final String label;
    private final double defaultThreshold;
    private final ToDoubleBiFunction<String, String> compute;

    Measure(
        String type,
        String label,
        double defaultThreshold,
        ToDoubleBiFunction<String, String> compute) {
      this.type = type;
      this.label = label;
      this.defaultThreshold = defaultThreshold;
      this.compute = compute;
    }

    static Measure of(String type) {
      for (Measure measure : values()) {
        if (measure.type.equals(type)) {
          return measure;
        }
      }
      return null;
    }

    double defaultThreshold() {
      return defaultThreshold;
    }

    /** Scores the output against the reference, 0 to 1. */
    double compute(String output, String reference) {
      return compute.applyAsDouble(output, reference);
    }
  }

  private final Measure measure;
  private final String fixedReference;
  private final double threshold;

  ReferenceMetricAssertion(
      String type,
      boolean negated,
      String metric,
      double weight,
      Measure measure,
      String fixedReference,
      double threshold) {
    super(type, negated, metric, weight);
    this.measure = measure;
    this.fixedReference = fixedReference;
    this.threshold = threshold;
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String reference = fixedReference != null ? fixedReference : ctx.expected();
    if (reference == null) {
      return error(
          "No reference text: set 'value' on the assertion or 'expected' on the test case");
    }
    return scored(measure.label, measure.compute(ctx.output(), reference), threshold);
  }

  /** Words as sacreBLEU's 13a tokenizer splits them: punctuation apart, numbers kept whole. */
  static List<String> words(String text) {
    return PyText.split(BleuTokenizer.V13A.tokenize(PyText.rstrip(text)));
  }
}
