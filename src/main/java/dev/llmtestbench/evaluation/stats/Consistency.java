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
    int agreeing = 0;
    for (List<Boolean> repeats : repeatsPerCase) {
      int passes = passes(repeats);
      if (passes == 0 || passes == repeats.size()) {
        agreeing++;
      }
    }
    return (double) agreeing / repeatsPerCase.size();
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
    double sum = 0;
    for (List<Boolean> repeats : repeatsPerCase) {
      long k = repeats.size();
      long t = passes(repeats);
      long agreeing = t * (t - 1) / 2 + (k - t) * (k - t - 1) / 2;
      sum += (double) agreeing / (k * (k - 1) / 2);
    }
    return sum / repeatsPerCase.size();
  }

  private static int passes(List<Boolean> repeats) {
    int passes = 0;
    for (Boolean pass : repeats) {
      if (pass) {
        passes++;
      }
    }
    return passes;
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
