package dev.llmtestbench.evaluation.stats;

import java.util.List;

/** How consistently a model passes or fails the same case when the case is repeated. */
public final class Consistency {

  private Consistency() {}

  /**
   * Returns the share of cases whose repeats all agree: all passed or all failed.
   *
   * @param repeatsPerCase for each case, the pass/fail outcome of each repeat; at least one case,
   *     each with at least two repeats
   * @throws IllegalArgumentException if the list, a case or an outcome is null, or a case has fewer
   *     than two repeats
   */
  public static double score(List<List<Boolean>> repeatsPerCase) {
    check(repeatsPerCase);
    return score(passes(repeatsPerCase), sizes(repeatsPerCase));
  }

  /**
   * {@link #score(List)} from counts: the share of cases i with {@code passes[i]} 0 or {@code
   * repeats[i]}. Summaries use this form, so a run's outcomes need not be held as lists.
   *
   * @param passes for each case, how many of its repeats passed
   * @param repeats for each case, how many repeats it had (at least 2)
   * @throws IllegalArgumentException if the arrays are empty, of different lengths, or a count is
   *     out of range
   */
  public static double score(int[] passes, int[] repeats) {
    check(passes, repeats, 2);
    int agreeing = 0;
    for (int i = 0; i < passes.length; i++) {
      if (passes[i] == 0 || passes[i] == repeats[i]) {
        agreeing++;
      }
    }
    return (double) agreeing / passes.length;
  }

  /**
   * Returns the mean over cases of the share of pairs of repeats that agree.
   *
   * <p>A case with k repeats, t of them passes, has C(t, 2) + C(k - t, 2) agreeing pairs out of
   * C(k, 2). Each case weighs the same, whatever its number of repeats. Unlike {@link #score} this
   * gives partial credit: 9 passes and 1 failure agree on 36 of 45 pairs (0.8), not 0.
   *
   * @param repeatsPerCase for each case, the pass/fail outcome of each repeat; at least one case,
   *     each with at least two repeats
   * @throws IllegalArgumentException if the list, a case or an outcome is null, or a case has fewer
   *     than two repeats
   */
  public static double meanPairwiseAgreement(List<List<Boolean>> repeatsPerCase) {
    check(repeatsPerCase);
    return meanPairwiseAgreement(passes(repeatsPerCase), sizes(repeatsPerCase));
  }

  /**
   * {@link #meanPairwiseAgreement(List)} from counts of passes and repeats per case.
   *
   * @param passes for each case, how many of its repeats passed
   * @param repeats for each case, how many repeats it had (at least 2)
   * @throws IllegalArgumentException if the arrays are empty, of different lengths, or a count is
   *     out of range
   */
  public static double meanPairwiseAgreement(int[] passes, int[] repeats) {
    check(passes, repeats, 2);
    double sum = 0;
    for (int i = 0; i < passes.length; i++) {
      long k = repeats[i];
      long t = passes[i];
      long agreeing = t * (t - 1) / 2 + (k - t) * (k - t - 1) / 2;
      sum += (double) agreeing / (k * (k - 1) / 2);
    }
    return sum / passes.length;
  }

  /**
   * Returns the unbiased estimate of pass@k, the chance that at least one of k samples of a case
   * passes, averaged over cases (Chen et al. 2021, "Evaluating Large Language Models Trained on
   * Code", the HumanEval paper).
   *
   * <p>A case with n samples, c of them passes, contributes {@code 1 - C(n - c, k) / C(n, k)},
   * computed as the paper's numerically stable product {@code 1 - prod_{i = n - c + 1}^{n} (1 - k /
   * i)}. With k = n this is 1 for a case with any pass and 0 otherwise; with k = 1 it is c / n.
   *
   * @param passes for each case, how many of its samples passed
   * @param samples for each case, how many samples it had (at least k)
   * @param k the number of samples drawn, at least 1
   * @throws IllegalArgumentException if the arrays are empty, of different lengths, or a count is
   *     out of range
   */
  public static double passAtK(int[] passes, int[] samples, int k) {
    checkK(k);
    check(passes, samples, k);
    double sum = 0;
    for (int i = 0; i < passes.length; i++) {
      int n = samples[i];
      int c = passes[i];
      if (n - c < k) {
        sum += 1;
        continue;
      }
      double none = 1;
      for (int j = n - c + 1; j <= n; j++) {
        none *= 1 - (double) k / j;
      }
      sum += 1 - none;
    }
    return sum / passes.length;
  }

  /**
   * Returns the unbiased estimate of pass^k, the chance that all of k samples of a case pass,
   * averaged over cases (Yao et al. 2024, tau-bench): {@code C(c, k) / C(n, k)} per case with n
   * samples, c of them passes. With k = n it is the share of cases that passed every time.
   *
   * @param passes for each case, how many of its samples passed
   * @param samples for each case, how many samples it had (at least k)
   * @param k the number of samples drawn, at least 1
   * @throws IllegalArgumentException if the arrays are empty, of different lengths, or a count is
   *     out of range
   */
  public static double passAllK(int[] passes, int[] samples, int k) {
    checkK(k);
    check(passes, samples, k);
    double sum = 0;
    for (int i = 0; i < passes.length; i++) {
      double all = 1;
      for (int j = 0; j < k; j++) {
        all *= (double) (passes[i] - j) / (samples[i] - j);
      }
      sum += Math.max(0, all);
    }
    return sum / passes.length;
  }

  private static int[] passes(List<List<Boolean>> repeatsPerCase) {
    int[] passes = new int[repeatsPerCase.size()];
    for (int i = 0; i < passes.length; i++) {
      for (Boolean pass : repeatsPerCase.get(i)) {
        if (pass) {
          passes[i]++;
        }
      }
    }
    return passes;
  }

  private static int[] sizes(List<List<Boolean>> repeatsPerCase) {
    return repeatsPerCase.stream().mapToInt(List::size).toArray();
  }

  private static void checkK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
  }

  private static void check(int[] passes, int[] repeats, int minRepeats) {
    if (passes == null || repeats == null || passes.length == 0) {
      throw new IllegalArgumentException("passes and repeats must hold at least one case");
    }
    if (passes.length != repeats.length) {
      throw new IllegalArgumentException(
          "passes and repeats must have the same length, were "
              + passes.length
              + " and "
              + repeats.length);
    }
    for (int i = 0; i < passes.length; i++) {
      if (repeats[i] < minRepeats) {
        throw new IllegalArgumentException(
            "repeats[" + i + "] must be at least " + minRepeats + ", was " + repeats[i]);
      }
      if (passes[i] < 0 || passes[i] > repeats[i]) {
        throw new IllegalArgumentException(
            "passes[" + i + "] must be between 0 and repeats[" + i + "], was " + passes[i]);
      }
    }
  }

  private static void check(List<List<Boolean>> repeatsPerCase) {
    if (repeatsPerCase == null || repeatsPerCase.isEmpty()) {
      throw new IllegalArgumentException("repeatsPerCase must hold at least one case");
    }
    for (int i = 0; i < repeatsPerCase.size(); i++) {
      List<Boolean> repeats = repeatsPerCase.get(i);
      if (repeats == null || repeats.size() < 2) {
        throw new IllegalArgumentException(
            "repeatsPerCase["
                + i
                + "] must hold at least 2 repeats, had "
                + (repeats == null ? "null" : repeats.size()));
      }
      for (int j = 0; j < repeats.size(); j++) {
        if (repeats.get(j) == null) {
          throw new IllegalArgumentException(
              "repeatsPerCase[" + i + "][" + j + "] must not be null");
        }
      }
    }
  }
}
