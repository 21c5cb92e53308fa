package dev.llmtestbench.evaluation.metrics;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import dev.llmtestbench.provider.service.ProviderRef;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code similar}: embeds the output and one or more reference texts and compares them, as
 * promptfoo's assertion of the same name does.
 *
 * <p>The metric is cosine similarity unless the type ({@code similar:cosine}, {@code similar:dot},
 * {@code similar:euclidean}) or {@code options.metric} names another. The threshold (default 0.75,
 * promptfoo's) is the minimum similarity for cosine and dot product and the maximum distance for
 * Euclidean distance; a value exactly at the threshold is similar. With several references the
 * output is compared with each, and the closest one decides: {@code similar} passes when the output
 * is similar to at least one, {@code not-similar} only when it is similar to none. The score is the
 * closest similarity clamped to 0..1 ({@code 1 / (1 + distance)} for Euclidean distance), and 1
 * minus that when negated. Values are rounded to 6 decimals first, as the vectors are 32-bit
 * floats. Embeddings come from {@code provider} ({@code "name"} or {@code "name:model"}), by
 * default the in-process all-MiniLM-L6-v2 model.
 */
public final class SimilarAssertion extends TextMetricAssertion implements ModelGradedAssertion {

  /** The types this class compiles, without the {@code not-} prefix. */
  public static final List<String> TYPES =
      List.of("similar", "similar:cosine", "similar:dot", "similar:euclidean");

  /** promptfoo's default threshold, for every metric. */
  public static final double DEFAULT_THRESHOLD = 0.75;

  // Vectors are 32-bit floats (about 7 significant digits), whose rounding must not decide a
  // comparison at the threshold: cos((0.8f, 0.6f), (1, 0)) computes to 0.799999993.
  private static final int DECIMALS = 6;

  private final VectorSimilarity similarity;
  private final List<String> references;
  private final double threshold;
  private final String provider;

  private SimilarAssertion(
      String type,
      boolean negated,
      String metric,
      double weight,
      VectorSimilarity similarity,
      List<String> references,
      double threshold,
      String provider) {
    super(type, negated, metric, weight);
    this.similarity = similarity;
    this.references = references;
    this.threshold = threshold;
    this.provider = provider;
  }

  /**
   * Validates a spec of one of {@link #TYPES} and compiles it.
   *
   * @param index the spec's 1-based position in its list, or 0 when not in a list
   * @param baseType the type without the {@code not-} prefix
   * @param references the texts to compare with, already parsed from {@code value}; null to use the
   *     test's expected answer
   * @throws InvalidAssertionException if the spec cannot work, saying how to fix it
   */
  public static SimilarAssertion create(
      int index,
      AssertionSpec spec,
      String baseType,
      boolean negated,
      String metric,
      double weight,
      List<String> references) {
    String type = spec.type();
    VectorSimilarity similarity = similarity(index, type, baseType, spec.options());
    double threshold = threshold(index, type, similarity, spec.threshold());
    String provider = spec.provider() == null || spec.provider().isBlank() ? null : spec.provider();
    if (provider != null) {
      try {
        ProviderRef.parse(provider);
      } catch (IllegalArgumentException e) {
        throw new InvalidAssertionException(index, type, e.getMessage());
      }
    }
    return new SimilarAssertion(
        type,
        negated,
        metric,
        weight,
        similarity,
        references == null ? null : List.copyOf(references),
        threshold,
        provider);
  }

  /** The metric comparing the vectors. */
  public VectorSimilarity similarity() {
    return similarity;
  }

  /** The threshold: minimum similarity, or maximum distance for Euclidean distance. */
  public double threshold() {
    return threshold;
  }

  /** The embedding provider, or null for the in-process model. */
  public String provider() {
    return provider;
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    return ModelGradedAssertion.super.evaluate(ctx);
  }

  @Override
  public CompletableFuture<AssertionResult> evaluateAsync(EvaluationContext ctx, Grader grader) {
    List<String> refs = references;
    if (refs == null) {
      if (ctx.expected() == null || ctx.expected().isBlank()) {
        return CompletableFuture.completedFuture(
            error(
                "No reference text: set 'value' on the assertion or 'expected' on the test case"));
      }
      refs = List.of(ctx.expected());
    }
    if (ctx.output().isBlank()) {
      return CompletableFuture.completedFuture(
          error("The output is empty: there is no text to embed and compare"));
    }
    List<String> texts = new ArrayList<>(refs.size() + 1);
    texts.add(ctx.output());
    texts.addAll(refs);
    CompletableFuture<List<float[]>> vectors;
    try {
      vectors = grader.embed(provider, texts);
    } catch (RuntimeException e) {
      vectors = CompletableFuture.failedFuture(e);
    }
    int count = refs.size();
    return vectors.handle(
        (v, failure) ->
            failure != null
                ? error(
                    "Could not embed the texts with "
                        + (provider == null ? "the in-process model" : provider)
                        + ": "
                        + describe(failure))
                : compare(v, count));
  }

  /** Scores the output's vector (first) against the references' vectors (the rest). */
  AssertionResult compare(List<float[]> vectors, int referenceCount) {
    if (vectors == null || vectors.size() != referenceCount + 1) {
      return error(
          "Expected "
              + (referenceCount + 1)
              + " embeddings, got "
              + (vectors == null ? "none" : vectors.size()));
    }
    double closest = Double.NaN;
    int closestIndex = -1;
    for (int i = 0; i < referenceCount; i++) {
      double value;
      try {
        value = similarity.compute(vectors.get(0), vectors.get(i + 1));
      } catch (IllegalArgumentException e) {
        return error(e.getMessage());
      }
      if (!Double.isFinite(value)) {
        return error("The " + label() + " is " + value);
      }
      value = roundFloatNoise(value);
      if (closestIndex < 0 || closer(value, closest)) {
        closest = value;
        closestIndex = i;
      }
    }
    return result(closest, closestIndex, referenceCount);
  }

  private AssertionResult result(double value, int index, int referenceCount) {
    boolean higher = similarity.higherIsSimilar();
    boolean similar = higher ? value >= threshold : value <= threshold;
    double similarityScore = higher ? clamp(value) : 1.0 / (1.0 + value);
    String shown = format(value);
    String limit = number(threshold);
    String which =
        referenceCount == 1
            ? ""
            : " (closest of " + referenceCount + " references: number " + (index + 1) + ")";
    String label = label();
    String start = Character.toUpperCase(label.charAt(0)) + label.substring(1);
    String within = higher ? "at least" : "at most";
    String beyond = higher ? "below" : "above";
    if (negated) {
      return new AssertionResult(
          metric(),
          type(),
          !similar,
          clamp(1.0 - similarityScore),
          (similar
                  ? "Expected " + label + " " + beyond + " " + limit + ", was " + shown
                  : start + " " + shown + " is " + beyond + " the threshold " + limit)
              + which);
    }
    return new AssertionResult(
        metric(),
        type(),
        similar,
        similarityScore,
        (similar
                ? start + " " + shown + " is " + within + " the threshold " + limit
                : "Expected " + label + " of " + within + " " + limit + ", was " + shown)
            + which);
  }

  private boolean closer(double value, double than) {
    return similarity.higherIsSimilar() ? value > than : value < than;
  }

  private String label() {
    return switch (similarity) {
      case COSINE -> "cosine similarity";
      case DOT -> "dot product";
      case EUCLIDEAN -> "Euclidean distance";
    };
  }

  private static double clamp(double value) {
    return Math.max(0.0, Math.min(1.0, value));
  }

  private static double roundFloatNoise(double value) {
    return BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_EVEN).doubleValue();
  }

  private static String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static VectorSimilarity similarity(
      int index, String type, String baseType, Map<String, Object> options) {
    int colon = baseType.indexOf(':');
    VectorSimilarity fromType =
        colon < 0 ? null : VectorSimilarity.of(baseType.substring(colon + 1));
    if (options == null || options.isEmpty()) {
      return fromType == null ? VectorSimilarity.COSINE : fromType;
    }
    for (String key : options.keySet()) {
      if (!key.equals("metric")) {
        throw new InvalidAssertionException(
            index,
            type,
            "option '"
                + key
                + "' is not known. The only option is 'metric': cosine, dot or euclidean.");
      }
    }
    Object name = options.get("metric");
    VectorSimilarity fromOptions = name instanceof String s ? VectorSimilarity.of(s) : null;
    if (fromOptions == null) {
      throw new InvalidAssertionException(
          index,
          type,
          "options.metric "
              + (name instanceof String ? "\"" + name + "\"" : String.valueOf(name))
              + " is not a similarity metric. Use cosine, dot or euclidean.");
    }
    if (fromType != null && fromType != fromOptions) {
      throw new InvalidAssertionException(
          index,
          type,
          "the type names the metric "
              + fromType.label()
              + " but options.metric says "
              + fromOptions.label()
              + ". Give the metric once.");
    }
    return fromOptions;
  }

  private static double threshold(
      int index, String type, VectorSimilarity similarity, Double threshold) {
    if (threshold == null) {
      return DEFAULT_THRESHOLD;
    }
    String problem =
        switch (similarity) {
          case COSINE ->
              threshold >= -1 && threshold <= 1
                  ? null
                  : "It is the minimum cosine similarity to pass, between -1 and 1.";
          case DOT -> Double.isFinite(threshold) ? null : "It is the minimum dot product to pass.";
          case EUCLIDEAN ->
              Double.isFinite(threshold) && threshold >= 0
                  ? null
                  : "It is the maximum Euclidean distance to pass, 0 or more.";
        };
    if (problem != null) {
      throw new InvalidAssertionException(
          index, type, "threshold " + threshold + " is out of range. " + problem);
    }
    return threshold;
  }
}
