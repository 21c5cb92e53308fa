package dev.llmtestbench.evaluation.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ROUGE-N and ROUGE-L as Google's rouge_score package computes them ({@code rouge_scorer.py}): its
 * default tokenizer (lower-case, every run of characters other than {@code a-z0-9} a separator,
 * optionally the Porter stemmer in NLTK's mode on tokens longer than 3 characters), n-gram overlap
 * for ROUGE-N and the sentence-level longest common subsequence for {@code rougeL}.
 *
 * <p>With several references the score is the one with the highest F-measure, the first on a tie,
 * as rouge_score's {@code score_multi}.
 */
public final class Rouge {

  /**
   * A ROUGE score.
   *
   * @param precision the share of the candidate's n-grams (or tokens, for ROUGE-L) matched
   * @param recall the share of the reference's n-grams (or tokens) matched
   * @param fmeasure the harmonic mean of the two, 0 when both are 0
   */
  public record Score(double precision, double recall, double fmeasure) {

    static final Score ZERO = new Score(0, 0, 0);

    static Score of(double precision, double recall) {
      return new Score(precision, recall, Rouge.fmeasure(precision, recall));
    }
  }

  private Rouge() {}

  /** rouge_score's default tokenizer, optionally stemming tokens longer than 3 characters. */
  public static List<String> tokenize(String text, boolean stem) {
    String lower = PyText.lower(text);
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i <= lower.length(); i++) {
      char c = i < lower.length() ? lower.charAt(i) : ' ';
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        token.append(c);
      } else if (token.length() > 0) {
        String t = token.toString();
        tokens.add(stem && t.length() > 3 ? PorterStemmer.NLTK.stem(t) : t);
        token.setLength(0);
      }
    }
    // Stemming can in principle leave an empty token; rouge_score drops those.
    tokens.removeIf(String::isEmpty);
    return tokens;
  }

  /** ROUGE-N of a candidate against a reference, without stemming. */
  public static Score rougeN(String candidate, String reference, int n) {
    return rougeN(candidate, reference, n, false);
  }

  /** ROUGE-N of a candidate against a reference. */
  public static Score rougeN(String candidate, String reference, int n, boolean stem) {
    return rougeN(candidate, List.of(reference), n, stem);
  }

  /** ROUGE-N of a candidate against the best of several references (highest F-measure). */
  public static Score rougeN(String candidate, List<String> references, int n, boolean stem) {
    if (n < 1) {
      throw new IllegalArgumentException("ROUGE-N needs n of 1 or more, was " + n);
    }
    List<String> candidateTokens = tokenize(candidate, stem);
    Map<List<String>, Integer> candidateNgrams = ngrams(candidateTokens, n);
    Score best = null;
    for (String reference : checked(references)) {
      Score score = scoreNgrams(ngrams(tokenize(reference, stem), n), candidateNgrams);
      if (best == null || score.fmeasure() > best.fmeasure()) {
        best = score;
      }
    }
    return best;
  }

  /** ROUGE-L (rouge_score's {@code rougeL}) of a candidate against a reference, no stemming. */
  public static Score rougeL(String candidate, String reference) {
    return rougeL(candidate, reference, false);
  }

  /** ROUGE-L (rouge_score's {@code rougeL}) of a candidate against a reference. */
  public static Score rougeL(String candidate, String reference, boolean stem) {
    return rougeL(candidate, List.of(reference), stem);
  }

  /** ROUGE-L of a candidate against the best of several references (highest F-measure). */
  public static Score rougeL(String candidate, List<String> references, boolean stem) {
    List<String> candidateTokens = tokenize(candidate, stem);
    Score best = null;
    for (String reference : checked(references)) {
      Score score = scoreLcs(tokenize(reference, stem), candidateTokens);
      if (best == null || score.fmeasure() > best.fmeasure()) {
        best = score;
      }
    }
    return best;
  }

  /** Returns the length of the longest common subsequence of two token lists. */
  static int lcsLength(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (String x : a) {
      for (int j = 1; j <= b.size(); j++) {
        current[j] =
            x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }

  private static Score scoreLcs(List<String> target, List<String> prediction) {
    if (target.isEmpty() || prediction.isEmpty()) {
      return Score.ZERO;
    }
    int lcs = lcsLength(target, prediction);
    return Score.of((double) lcs / prediction.size(), (double) lcs / target.size());
  }

  private static Score scoreNgrams(
      Map<List<String>, Integer> target, Map<List<String>, Integer> prediction) {
    int overlap = 0;
    for (Map.Entry<List<String>, Integer> e : target.entrySet()) {
      overlap += Math.min(e.getValue(), prediction.getOrDefault(e.getKey(), 0));
    }
    int targetCount = target.values().stream().mapToInt(Integer::intValue).sum();
    int predictionCount = prediction.values().stream().mapToInt(Integer::intValue).sum();
    return Score.of(
        (double) overlap / Math.max(predictionCount, 1),
        (double) overlap / Math.max(targetCount, 1));
  }

  private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
    }
    return counts;
  }

  static double fmeasure(double precision, double recall) {
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  }

  private static List<String> checked(List<String> references) {
    if (references == null || references.isEmpty()) {
      throw new IllegalArgumentException("At least one reference is required");
    }
    return references;
  }
}
