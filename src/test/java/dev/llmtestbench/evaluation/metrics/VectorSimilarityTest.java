package dev.llmtestbench.evaluation.metrics;

import static dev.llmtestbench.evaluation.metrics.VectorSimilarity.COSINE;
import static dev.llmtestbench.evaluation.metrics.VectorSimilarity.DOT;
import static dev.llmtestbench.evaluation.metrics.VectorSimilarity.EUCLIDEAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cosine similarity, dot product and Euclidean distance: worked examples, the undefined cases, and
 * their invariants over seeded random vectors (symmetry, bounds, scale invariance of cosine, the
 * triangle inequality, and ‖a−b‖² = 2 − 2·cos for unit vectors).
 */
class VectorSimilarityTest {

  private static final int TRIALS = 500;

  @Test
  void shouldComputeWorkedExamples() {
    float[] a = {1, 2, 3};
    float[] b = {4, 5, 6};
    // 1*4 + 2*5 + 3*6 = 32; |a| = sqrt(14), |b| = sqrt(77); a-b = (-3,-3,-3).
    assertEquals(32.0, DOT.compute(a, b), 1e-12);
    assertEquals(32 / Math.sqrt(14 * 77), COSINE.compute(a, b), 1e-12);
    assertEquals(0.9746318461970762, COSINE.compute(a, b), 1e-12);
    assertEquals(Math.sqrt(27), EUCLIDEAN.compute(a, b), 1e-12);

    assertEquals(0.0, COSINE.compute(new float[] {1, 0}, new float[] {0, 1}), 1e-15);
    assertEquals(-1.0, COSINE.compute(new float[] {1, 1}, new float[] {-2, -2}), 1e-15);
    assertEquals(1.0, COSINE.compute(new float[] {3, 4}, new float[] {6, 8}), 1e-15);
    assertEquals(5.0, EUCLIDEAN.compute(new float[] {0, 0}, new float[] {3, 4}), 1e-15);
    assertEquals(-7.0, DOT.compute(new float[] {1, -2}, new float[] {-1, 3}), 1e-15);
  }

  @Test
  void shouldRejectDimensionMismatchSayingBothSizes() {
    for (VectorSimilarity metric : VectorSimilarity.values()) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> metric.compute(new float[384], new float[1536]));
      assertEquals(
          "The embeddings have different dimensions (384 and 1536): they come from different"
              + " models and cannot be compared.",
          e.getMessage());
    }
  }

  @Test
  void shouldRejectZeroVectorForCosineOnly() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> COSINE.compute(new float[] {1, 2}, new float[] {0, 0}));
    assertEquals(
        "Cosine similarity is undefined for a zero vector (the second embedding is all zeros).",
        e.getMessage());
    assertEquals(0.0, DOT.compute(new float[] {1, 2}, new float[] {0, 0}));
    assertEquals(Math.sqrt(5), EUCLIDEAN.compute(new float[] {1, 2}, new float[] {0, 0}), 1e-15);
  }

  @Test
  void shouldRejectEmptyMissingAndNonFiniteVectors() {
    assertThrows(IllegalArgumentException.class, () -> DOT.compute(new float[0], new float[0]));
    assertThrows(IllegalArgumentException.class, () -> DOT.compute(null, new float[] {1}));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EUCLIDEAN.compute(new float[] {1, Float.NaN}, new float[] {1, 2}));
    assertEquals("The first embedding holds NaN at index 1.", e.getMessage());
  }

  @Test
  void shouldResolveMetricNames() {
    assertEquals(COSINE, VectorSimilarity.of("cosine"));
    assertEquals(DOT, VectorSimilarity.of("dot"));
    assertEquals(DOT, VectorSimilarity.of("dot_product"));
    assertEquals(EUCLIDEAN, VectorSimilarity.of(" Euclidean "));
    assertNull(VectorSimilarity.of("manhattan"));
    assertNull(VectorSimilarity.of(null));
  }

  @Test
  void shouldBeSymmetric() {
    Random random = new Random(42);
    for (int t = 0; t < TRIALS; t++) {
      int n = 1 + random.nextInt(64);
      float[] a = vector(random, n);
      float[] b = vector(random, n);
      for (VectorSimilarity metric : VectorSimilarity.values()) {
        assertEquals(metric.compute(a, b), metric.compute(b, a), 1e-9, metric + " trial " + t);
      }
    }
  }

  @Test
  void shouldKeepCosineWithinBoundsAndIndependentOfScale() {
    Random random = new Random(7);
    for (int t = 0; t < TRIALS; t++) {
      int n = 1 + random.nextInt(64);
      float[] a = vector(random, n);
      float[] b = vector(random, n);
      double cosine = COSINE.compute(a, b);
      assertTrue(cosine >= -1 && cosine <= 1, "cosine " + cosine);
      float scale = 0.01f + random.nextFloat() * 100;
      assertEquals(cosine, COSINE.compute(scaled(a, scale), b), 1e-5, "trial " + t);
      assertEquals(-cosine, COSINE.compute(scaled(a, -scale), b), 1e-5, "trial " + t);
      assertEquals(1.0, COSINE.compute(a, scaled(a, scale)), 1e-6, "trial " + t);
    }
  }

  @Test
  void shouldKeepDistanceAMetric() {
    Random random = new Random(11);
    for (int t = 0; t < TRIALS; t++) {
      int n = 1 + random.nextInt(64);
      float[] a = vector(random, n);
      float[] b = vector(random, n);
      float[] c = vector(random, n);
      assertEquals(0.0, EUCLIDEAN.compute(a, a));
      double ab = EUCLIDEAN.compute(a, b);
      assertTrue(ab >= 0);
      assertTrue(ab <= EUCLIDEAN.compute(a, c) + EUCLIDEAN.compute(c, b) + 1e-9, "trial " + t);
    }
  }

  @Test
  void shouldAgreeAcrossMetricsForUnitVectors() {
    Random random = new Random(3);
    for (int t = 0; t < TRIALS; t++) {
      int n = 2 + random.nextInt(384);
      float[] a = unit(vector(random, n));
      float[] b = unit(vector(random, n));
      double cosine = COSINE.compute(a, b);
      assertEquals(cosine, DOT.compute(a, b), 1e-5, "trial " + t);
      double distance = EUCLIDEAN.compute(a, b);
      assertEquals(2 - 2 * cosine, distance * distance, 1e-5, "trial " + t);
    }
  }

  private static float[] vector(Random random, int n) {
    float[] v = new float[n];
    do {
      for (int i = 0; i < n; i++) {
        v[i] = (float) random.nextGaussian();
      }
    } while (DOT.compute(v, v) == 0);
    return v;
  }

  private static float[] scaled(float[] v, float factor) {
    float[] s = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      s[i] = v[i] * factor;
    }
    return s;
  }

  private static float[] unit(float[] v) {
    return scaled(v, (float) (1 / Math.sqrt(DOT.compute(v, v))));
  }
}
