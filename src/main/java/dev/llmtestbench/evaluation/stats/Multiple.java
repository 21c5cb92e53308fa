package dev.llmtestbench.evaluation.stats;

import java.util.Arrays;
import java.util.Comparator;

/** Adjustments of p-values for testing many metrics at once. */
public final class Multiple {

  private Multiple() {}

  /**
   * Returns Holm-Bonferroni adjusted p-values (Holm 1979), in the order given.
   *
   * <p>With the m p-values sorted ascending as p(1) <= ... <= p(m), the adjusted value of p(i) is
   * {@code max over j <= i of min(1, (m - j + 1) p(j))}, as R's {@code p.adjust(p, "holm")}.
   * Flagging every metric whose adjusted p-value is at most alpha keeps the chance of any false
   * flag at most alpha, with no assumption about how the metrics depend on each other, and never
   * flags fewer than plain Bonferroni. The input is not modified.
   *
   * @param pValues p-values, each between 0 and 1; may be empty
   * @throws IllegalArgumentException if pValues is null or a value is outside [0, 1] or NaN
   */
  public static double[] holmBonferroni(double[] pValues) {
    if (pValues == null) {
      throw new IllegalArgumentException("pValues must not be null");
    }
    int m = pValues.length;
    for (int i = 0; i < m; i++) {
      Checks.probability(pValues[i], "pValues[" + i + "]");
    }
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
    double[] adjusted = new double[m];
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      int i = order[rank];
      running = Math.max(running, Math.min(1, (m - rank) * pValues[i]));
      adjusted[i] = running;
    }
    return adjusted;
  }
}
