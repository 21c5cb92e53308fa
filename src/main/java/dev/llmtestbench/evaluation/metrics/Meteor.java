package dev.llmtestbench.evaluation.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * METEOR as NLTK computes it ({@code nltk/translate/meteor_score.py}), without its WordNet synonym
 * stage: hypothesis and reference words are lower-cased and aligned first by exact match, then by
 * Porter stem (NLTK mode), with NLTK's greedy matching order; the score is the recall-weighted
 * harmonic mean {@code P*R / (alpha*P + (1-alpha)*R)} times {@code 1 - gamma * (chunks /
 * matches)^beta}, with alpha 0.9, beta 3 and gamma 0.5 by default, the best over the references.
 *
 * <p>NLTK's third stage matches a remaining hypothesis word to a remaining reference word when the
 * latter is among the hypothesis word's WordNet synonyms. WordNet (a data set) is not shipped here,
 * so the score equals NLTK's exactly when that stage would find no further match, and differs
 * (usually being lower) when it would.
 */
public final class Meteor {

  /** NLTK's default weight of precision against recall. */
  public static final double ALPHA = 0.9;

  /** NLTK's default shape of the fragmentation penalty. */
  public static final double BETA = 3.0;

  /** NLTK's default weight of the fragmentation penalty. */
  public static final double GAMMA = 0.5;

  private Meteor() {}

  /** METEOR against the best of several tokenized references, NLTK's default parameters. */
  public static double meteorScore(List<List<String>> references, List<String> hypothesis) {
    return meteorScore(references, hypothesis, ALPHA, BETA, GAMMA);
  }

  /** METEOR against the best of several tokenized references, 0 to 1. */
  public static double meteorScore(
      List<List<String>> references,
      List<String> hypothesis,
      double alpha,
      double beta,
      double gamma) {
    if (references == null || references.isEmpty()) {
      throw new IllegalArgumentException("At least one reference is required");
    }
    double best = Double.NEGATIVE_INFINITY;
    for (List<String> reference : references) {
      best = Math.max(best, singleMeteorScore(reference, hypothesis, alpha, beta, gamma));
    }
    return best;
  }

  /** METEOR of a tokenized hypothesis against one tokenized reference, 0 to 1. */
  public static double singleMeteorScore(
      List<String> reference, List<String> hypothesis, double alpha, double beta, double gamma) {
    List<Word> hyp = enumerate(hypothesis);
    List<Word> ref = enumerate(reference);
    int translationLength = hyp.size();
    int referenceLength = ref.size();
    List<int[]> matches = align(hyp, ref);
    int matchesCount = matches.size();
    // Where NLTK divides by zero it returns 0.
    if (translationLength == 0 || referenceLength == 0) {
      return 0.0;
    }
    double precision = (double) matchesCount / translationLength;
    double recall = (double) matchesCount / referenceLength;
    double denominator = alpha * precision + (1 - alpha) * recall;
    if (denominator == 0 || matchesCount == 0) {
      return 0.0;
    }
    double fmean = (precision * recall) / denominator;
    double fragFrac = (double) countChunks(matches) / matchesCount;
    double penalty = gamma * Math.pow(fragFrac, beta);
    return (1 - penalty) * fmean;
  }

  /** A word with its position in the sentence. */
  private record Word(int index, String text) {}

  private static List<Word> enumerate(List<String> words) {
    List<Word> out = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      out.add(new Word(i, PyText.lower(words.get(i))));
    }
    return out;
  }

  /** Exact matches, then stem matches, as (hypothesis index, reference index) by hypothesis. */
  private static List<int[]> align(List<Word> hyp, List<Word> ref) {
    List<int[]> matches = new ArrayList<>(match(hyp, ref));
    List<Word> stemmedHyp = stemmed(hyp);
    List<Word> stemmedRef = stemmed(ref);
    matches.addAll(match(stemmedHyp, stemmedRef));
    matches.sort(Comparator.comparingInt(m -> m[0]));
    return matches;
  }

  private static List<Word> stemmed(List<Word> words) {
    List<Word> out = new ArrayList<>(words.size());
    for (Word w : words) {
      out.add(new Word(w.index(), PorterStemmer.NLTK.stem(w.text())));
    }
    return out;
  }

  /**
   * NLTK's {@code _match_enums}: from the last hypothesis word back, each takes the last equal
   * reference word still free; both lists keep only the words left unmatched.
   */
  private static List<int[]> match(List<Word> hyp, List<Word> ref) {
    List<int[]> matches = new ArrayList<>();
    for (int i = hyp.size() - 1; i >= 0; i--) {
      for (int j = ref.size() - 1; j >= 0; j--) {
        if (hyp.get(i).text().equals(ref.get(j).text())) {
          matches.add(new int[] {hyp.get(i).index(), ref.get(j).index()});
          hyp.remove(i);
          ref.remove(j);
          break;
        }
      }
    }
    return matches;
  }

  /** The fewest chunks of matches adjacent in both sentences (matches sorted by hypothesis). */
  private static int countChunks(List<int[]> matches) {
    int chunks = 1;
    for (int i = 0; i < matches.size() - 1; i++) {
      boolean adjacent =
          matches.get(i + 1)[0] == matches.get(i)[0] + 1
              && matches.get(i + 1)[1] == matches.get(i)[1] + 1;
      if (!adjacent) {
        chunks++;
      }
    }
    return chunks;
  }
}
