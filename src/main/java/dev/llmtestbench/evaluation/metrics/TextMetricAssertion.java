package dev.llmtestbench.evaluation.metrics;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * The text-metric assertion types and their factory: reference-overlap scores ({@code rouge-n},
 * {@code rouge-1}, {@code rouge-2}, {@code rouge-l}, {@code bleu}, {@code gleu}, {@code meteor},
 * {@code chrf}) and perplexity from the output's logprobs ({@code perplexity}, {@code
 * perplexity-score}).
 *
 * <p>Scored types report the metric from 0 to 1 as the score and pass when it is at least the
 * threshold; negated ({@code not-}), they pass when it is below the threshold and score {@code 1 -
 * metric}, as in promptfoo. Default thresholds are promptfoo's where it has the type ({@code
 * rouge-*} 0.75; {@code bleu}, {@code gleu}, {@code meteor} 0.5) and 0.5 for {@code chrf}. The
 * reference is the assertion's {@code value}, else the test case's {@code expected}. All
 * comparisons ignore case, as promptfoo's do:
 *
 * <ul>
 *   <li>{@code rouge-n}: ROUGE-1 recall (promptfoo's rouge-n is ROUGE-1 recall), and {@code
 *       rouge-1}, {@code rouge-2}, {@code rouge-l}: rouge_score's F-measure; rouge_score's
 *       tokenizer, no stemming ({@link Rouge}).
 *   <li>{@code bleu}: sacreBLEU sentence BLEU, 13a tokens, lower-cased, exp smoothing, effective
 *       order, divided by 100 ({@link Bleu}).
 *   <li>{@code chrf}: sacreBLEU chrF (character order 6, beta 2), lower-cased, divided by 100
 *       ({@link ChrF}).
 *   <li>{@code gleu}: NLTK sentence GLEU over lower-cased 13a tokens ({@link Gleu}).
 *   <li>{@code meteor}: NLTK METEOR without the WordNet synonym stage, over 13a tokens ({@link
 *       Meteor}).
 * </ul>
 *
 * <p>{@code perplexity} passes when the perplexity is at most {@code threshold} (required) and
 * scores 1 or 0. {@code perplexity-score} scores {@link Perplexity#score 1 / perplexity}; without a
 * threshold it passes and only reports. Both fail, negated or not, when the output has no logprobs.
 */
public abstract class TextMetricAssertion implements Assertion {

  /** The types this package compiles, without the {@code not-} prefix. */
  public static final List<String> TYPES =
      List.of(
          "rouge-n",
          "rouge-1",
          "rouge-2",
          "rouge-l",
          "bleu",
          "gleu",
          "meteor",
          "chrf",
          "perplexity",
          "perplexity-score");

  // Float noise (e.g. BLEU of identical texts computing to 0.9999999999999999) must not decide
  // whether a threshold of 1 passes, so scores are rounded to this many decimals.
  private static final int SCORE_DECIMALS = 12;

  private final String metric;
  private final String type;
  private final double weight;

  /** Whether the configured type had the {@code not-} prefix. */
  final boolean negated;

  TextMetricAssertion(String type, boolean negated, String metric, double weight) {
    this.type = type;
    this.negated = negated;
    this.metric = metric;
    this.weight = weight;
  }

  /**
   * Validates a spec of one of {@link #TYPES} and compiles it.
   *
   * @param index the spec's 1-based position in its list, or 0 when not in a list
   * @param spec the spec as configured
   * @param baseType the spec's type without the {@code not-} prefix, one of {@link #TYPES}
   * @param negated whether the type had the {@code not-} prefix
   * @param metric the name to report results under
   * @param weight the validated weight
   * @throws InvalidAssertionException if the spec cannot work, saying how to fix it
   */
  public static Assertion create(
      int index,
      AssertionSpec spec,
      String baseType,
      boolean negated,
      String metric,
      double weight) {
    String type = spec.type();
    switch (baseType) {
      case "perplexity":
        noValue(index, type, spec);
        return new PerplexityAssertion(type, negated, metric, weight, maxPerplexity(index, spec));
      case "perplexity-score":
        noValue(index, type, spec);
        Double minScore = spec.threshold() == null ? null : minScore(index, spec);
        if (negated && minScore == null) {
          throw new InvalidAssertionException(
              index,
              type,
              "'threshold' is required with \"not-\": the perplexity score below which it passes,"
                  + " between 0 and 1.");
        }
        return new PerplexityScoreAssertion(type, negated, metric, weight, minScore);
      default:
        ReferenceMetricAssertion.Measure measure = ReferenceMetricAssertion.Measure.of(baseType);
        if (measure == null) {
          throw new IllegalArgumentException("Not a text-metric type: " + baseType);
        }
        if (spec.value() != null && spec.value().isEmpty()) {
          throw new InvalidAssertionException(
              index,
              type,
              "'value' is empty. Give the reference text, or omit 'value' to use the test's"
                  + " expected answer.");
        }
        double threshold =
            spec.threshold() == null ? measure.defaultThreshold() : minScore(index, spec);
        return new ReferenceMetricAssertion(
            type, negated, metric, weight, measure, spec.value(), threshold);
    }
  }

  @Override
  public final String metric() {
    return metric;
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final double weight() {
    return weight;
  }

  /** Fails whatever the negation or threshold, because the metric could not be computed. */
  final AssertionResult error(String reason) {
    return new AssertionResult(metric, type, false, 0.0, reason);
  }

  /** Builds a pass or fail result with a score of 1 or 0. */
  final AssertionResult result(boolean pass, String reason) {
    return new AssertionResult(metric, type, pass, pass ? 1.0 : 0.0, reason);
  }

  /** Scores a metric whose name is written the same at the start of a sentence, e.g. BLEU. */
  final AssertionResult scored(String label, double value, double threshold) {
    return scored(label, label, value, threshold);
  }

  /**
   * Scores a metric from 0 to 1 against a minimum, honouring negation.
   *
   * @param startLabel the metric as named at the start of a reason, e.g. {@code Perplexity score}
   * @param label the metric as named inside a reason, e.g. {@code perplexity score}
   * @param value the metric, 0 to 1
   * @param threshold the minimum to pass (the value to stay below, when negated)
   */
  final AssertionResult scored(String startLabel, String label, double value, double threshold) {
    double metricValue = round(value);
    String shown = format(metricValue);
    String limit = number(threshold);
    boolean reached = metricValue >= threshold;
    if (negated) {
      return new AssertionResult(
          metric,
          type,
          !reached,
          1.0 - metricValue,
          reached
              ? "Expected " + label + " below " + limit + ", was " + shown
              : startLabel + " " + shown + " is below the threshold " + limit);
    }
    return new AssertionResult(
        metric,
        type,
        reached,
        metricValue,
        reached
            ? startLabel + " " + shown + " is at least the threshold " + limit
            : "Expected " + label + " of at least " + limit + ", was " + shown);
  }

  /** Clamps a metric into 0..1 and rounds away float noise. */
  static double round(double value) {
    double clamped = Math.max(0.0, Math.min(1.0, value));
    return BigDecimal.valueOf(clamped)
        .setScale(SCORE_DECIMALS, RoundingMode.HALF_EVEN)
        .doubleValue();
  }

  /** Formats a computed value for a reason: four decimals. */
  static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /** Formats a configured number for a reason as written: 0.75, 1, 20. */
  static String number(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static void noValue(int index, String type, AssertionSpec spec) {
    if (spec.value() != null) {
      throw new InvalidAssertionException(
          index,
          type,
          "'value' is not used: perplexity comes from the output's token log-probabilities."
              + " Remove 'value'.");
    }
  }

  private static double minScore(int index, AssertionSpec spec) {
    double threshold = spec.threshold();
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new InvalidAssertionException(
          index,
          spec.type(),
          "threshold "
              + threshold
              + " is out of range. It is the minimum score to pass, between 0 and 1.");
    }
    return threshold;
  }

  private static double maxPerplexity(int index, AssertionSpec spec) {
    Double threshold = spec.threshold();
    if (threshold == null) {
      throw new InvalidAssertionException(
          index,
          spec.type(),
          "'threshold' is required: the maximum perplexity, e.g. \"threshold\": 20.");
    }
    if (!(Double.isFinite(threshold) && threshold >= 1)) {
      throw new InvalidAssertionException(
          index,
          spec.type(),
          "threshold "
              + threshold
              + " is not a valid perplexity. Use the maximum perplexity, 1 or more (perplexity is"
              + " never below 1).");
    }
    return threshold;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + type + "]";
  }
}
