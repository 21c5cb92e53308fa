package dev.llmtestbench.evaluation.metrics;

import java.util.Locale;

/**
 * How close two embedding vectors are: cosine similarity, dot product or Euclidean distance, summed
 * in double precision. Vectors of different lengths, empty vectors and (for cosine) zero vectors
 * have no defined similarity and are rejected with a reason a person can act on.
 */
public enum VectorSimilarity {

  /** The cosine of the angle between the vectors: -1 to 1, higher is more similar. */
  COSINE("cosine", true) {
    @Override
    double computeChecked(float[] a, float[] b) {
      double dot = 0;
      double normA = 0;
      double normB = 0;
      for (int i = 0; i < a.length; i++) {
        dot += (double) a[i] * b[i];
        normA += (double) a[i] * a[i];
        normB += (double) b[i] * b[i];
      }
      if (normA == 0 || normB == 0) {
        throw new IllegalArgumentException(
            "Cosine similarity is undefined for a zero vector (the "
                + (normA == 0 ? "first" : "second")
                + " embedding is all zeros).");
      }
      // Rounding can push the quotient of parallel vectors a hair past 1.
      return Math.max(-1.0, Math.min(1.0, dot / (Math.sqrt(normA) * Math.sqrt(normB))));
    }
  },

  /**
   * The dot product: unbounded, equal to cosine for unit-length vectors; higher is more similar.
   */
  DOT("dot", true) {
    @Override
    double computeChecked(float[] a, float[] b) {
      double dot = 0;
      for (int i = 0; i < a.length; i++) {
        dot += (double) a[i] * b[i];
      }
      return dot;
    }
  },

  /** The straight-line distance: 0 or more, lower is more similar. */
  EUCLIDEAN("euclidean", false) {
    @Override
    double computeChecked(float[] a, float[] b) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        double d = (double) a[i] - b[i];
        sum += d * d;
      }
      return Math.sqrt(sum);
    }
  };

  private final String label;
  private final boolean higherIsSimilar;

  VectorSimilarity(String label, boolean higherIsSimilar) {
    this.label = label;
    this.higherIsSimilar = higherIsSimilar;
  }

  /**
   * The name used in assertion types and options: {@code cosine}, {@code dot}, {@code euclidean}.
   */
  public String label() {
    return label;
  }

  /** Whether a larger value means more similar (true for similarities, false for the distance). */
  public boolean higherIsSimilar() {
    return higherIsSimilar;
  }

  /**
   * The metric named {@code cosine}, {@code dot} (or promptfoo's {@code dot_product}) or {@code
   * euclidean}, ignoring case; null if there is none.
   */
  public static VectorSimilarity of(String name) {
    if (name == null) {
      return null;
    }
    String key = name.strip().toLowerCase(Locale.ROOT);
    if (key.equals("dot_product")) {
      return DOT;
    }
    for (VectorSimilarity metric : values()) {
      if (metric.label.equals(key)) {
        return metric;
      }
    }
    return null;
  }

  /**
   * Computes the metric.
   *
   * @throws IllegalArgumentException if the vectors differ in length, are empty, hold a value that
   *     is not finite, or (cosine) one is all zeros
   */
  public double compute(float[] a, float[] b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException("An embedding is missing.");
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "The embeddings have different dimensions ("
              + a.length
              + " and "
              + b.length
              + "): they come from different models and cannot be compared.");
    }
    if (a.length == 0) {
      throw new IllegalArgumentException("The embeddings are empty.");
    }
    requireFinite(a, "first");
    requireFinite(b, "second");
    return computeChecked(a, b);
  }

  abstract double computeChecked(float[] a, float[] b);

  private static void requireFinite(float[] v, String which) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(
            "The " + which + " embedding holds " + v[i] + " at index " + i + ".");
      }
    }
  }
}
