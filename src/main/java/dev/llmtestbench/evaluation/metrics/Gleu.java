package dev.llmtestbench.evaluation.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GLEU (Google-BLEU, Wu et al. 2016) as NLTK computes it ({@code nltk/translate/gleu_score.py}):
 * all n-grams of orders 1 to 4, and the score is matched n-grams divided by the larger of the
 * hypothesis's and the reference's n-gram counts, i.e. the minimum of precision and recall.
 *
 * <p>Like NLTK it works on tokens; the caller chooses the tokenization.
 */
public final class Gleu {

  private Gleu() {}

  /** Sentence GLEU for n-gram orders 1 to 4, NLTK's {@code sentence_gleu(references, hyp)}. */
  public static double sentenceGleu(List<List<String>> references, List<String> hypothesis) {
    return sentenceGleu(references, hypothesis, 1, 4);
  }

  /**
   * Sentence GLEU against the best of several references, 0 to 1.
   *
   * @param references tokenized references
   * @param hypothesis the tokenized hypothesis
   * @param minLen the lowest n-gram order
   * @param maxLen the highest n-gram order
   */
  public static double sentenceGleu(
      List<List<String>> references, List<String> hypothesis, int minLen, int maxLen) {
    return corpusGleu(List.of(references), List.of(hypothesis), minLen, maxLen);
  }

  /**
   * Corpus GLEU: matches and n-gram counts summed over the sentences before dividing, each sentence
   * with its best reference (the first of equal scores), 0 to 1.
   */
  public static double corpusGleu(
      List<List<List<String>>> listOfReferences,
      List<List<String>> hypotheses,
      int minLen,
      int maxLen) {
    if (listOfReferences.size() != hypotheses.size()) {
      throw new IllegalArgumentException(
          "The number of hypotheses and their reference(s) should be the same");
    }
    if (minLen < 1 || maxLen < minLen) {
      throw new IllegalArgumentException("Need 1 <= minLen <= maxLen");
    }
    long corpusMatch = 0;
    long corpusAll = 0;
    for (int s = 0; s < hypotheses.size(); s++) {
      Map<List<String>, Integer> hypNgrams = everygrams(hypotheses.get(s), minLen, maxLen);
      long tpfp = total(hypNgrams);
      long bestMatch = 0;
      long bestAll = 0;
      boolean any = false;
      for (List<String> reference : listOfReferences.get(s)) {
        Map<List<String>, Integer> refNgrams = everygrams(reference, minLen, maxLen);
        long tpfn = total(refNgrams);
        long tp = 0;
        for (Map.Entry<List<String>, Integer> e : refNgrams.entrySet()) {
          tp += Math.min(e.getValue(), hypNgrams.getOrDefault(e.getKey(), 0));
        }
        long nAll = Math.max(tpfp, tpfn);
        // NLTK keeps the first reference with the highest tp / n_all (Python's max).
        if (nAll > 0 && (!any || (double) tp / nAll > (double) bestMatch / bestAll)) {
          bestMatch = tp;
          bestAll = nAll;
          any = true;
        }
      }
      if (any) {
        corpusMatch += bestMatch;
        corpusAll += bestAll;
      }
    }
    return corpusAll == 0 ? 0.0 : (double) corpusMatch / corpusAll;
  }

  private static Map<List<String>, Integer> everygrams(
      List<String> tokens, int minLen, int maxLen) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (int n = minLen; n <= maxLen; n++) {
      for (int i = 0; i + n <= tokens.size(); i++) {
        counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static long total(Map<List<String>, Integer> counts) {
    long sum = 0;
    for (int c : counts.values()) {
      sum += c;
    }
    return sum;
  }
}
