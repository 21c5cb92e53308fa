package dev.llmtestbench.evaluation.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU as sacreBLEU computes it ({@code sacrebleu/metrics/bleu.py}), on a 0 to 100 scale: clipped
 * n-gram precisions up to order 4 against all references at once, the brevity penalty against the
 * reference closest in length (the shorter on a tie), sacreBLEU's tokenizers and smoothing methods.
 */
public final class Bleu {

  /** sacreBLEU's smoothing methods (Chen and Cherry, 2014). */
  public enum Smoothing {
    /** {@code none}. */
    NONE(null),
    /** {@code floor}: a zero precision counts as {@code value} matches; value default 0.1. */
    FLOOR(0.1),
    /** {@code add-k}: adds {@code value} to the counts of orders above 1; value default 1. */
    ADD_K(1.0),
    /** {@code exp}: NIST's method, as in mteval-v13a.pl; sacreBLEU's default. */
    EXP(null);

    private final Double defaultValue;

    Smoothing(Double defaultValue) {
      this.defaultValue = defaultValue;
    }
  }

  /**
   * How BLEU is computed; the two constants are sacreBLEU's defaults.
   *
   * @param tokenizer how lines are tokenized
   * @param lowercase whether lines are lower-cased first
   * @param smoothing the smoothing method
   * @param smoothValue the value for {@code floor} and {@code add-k}, null for the default
   * @param maxNgramOrder the highest n-gram order (4 unless changed)
   * @param effectiveOrder whether to stop at the first order without any n-gram, as sacreBLEU
   *     recommends for a single sentence
   */
  public record Settings(
      BleuTokenizer tokenizer,
      boolean lowercase,
      Smoothing smoothing,
      Double smoothValue,
      int maxNgramOrder,
      boolean effectiveOrder) {

    /** sacreBLEU's {@code sentence_bleu} defaults: 13a, mixed case, exp, effective order. */
    public static final Settings SENTENCE =
        new Settings(BleuTokenizer.V13A, false, Smoothing.EXP, null, 4, true);

    /** sacreBLEU's {@code corpus_bleu} defaults: 13a, mixed case, exp, no effective order. */
    public static final Settings CORPUS =
        new Settings(BleuTokenizer.V13A, false, Smoothing.EXP, null, 4, false);

    public Settings {
      if (tokenizer == null || smoothing == null) {
        throw new IllegalArgumentException("tokenizer and smoothing are required");
      }
      if (maxNgramOrder < 1) {
        throw new IllegalArgumentException("maxNgramOrder must be 1 or more, was " + maxNgramOrder);
      }
    }
  }

  /**
   * A BLEU score with its sufficient statistics, as sacreBLEU's {@code BLEUScore}.
   *
   * @param score BLEU, 0 to 100
   * @param counts matched n-grams per order (with add-k smoothing added)
   * @param totals hypothesis n-grams per order (with add-k smoothing added)
   * @param precisions n-gram precisions per order, 0 to 100, after smoothing
   * @param bp the brevity penalty
   * @param sysLen the hypotheses' length in tokens
   * @param refLen the length of the closest references in tokens
   */
  public record Score(
      double score,
      List<Double> counts,
      List<Double> totals,
      List<Double> precisions,
      double bp,
      int sysLen,
      int refLen) {

    public Score {
      counts = List.copyOf(counts);
      totals = List.copyOf(totals);
      precisions = List.copyOf(precisions);
    }
  }

  private Bleu() {}

  /** Sentence BLEU with sacreBLEU's {@code sentence_bleu} defaults ({@link Settings#SENTENCE}). */
  public static Score sentenceBleu(String hypothesis, List<String> references) {
    return sentenceBleu(hypothesis, references, Settings.SENTENCE);
  }

  /** Sentence BLEU of one hypothesis against one or more references. */
  public static Score sentenceBleu(String hypothesis, List<String> references, Settings settings) {
    if (references == null || references.isEmpty()) {
      throw new IllegalArgumentException("At least one reference is required");
    }
    List<List<String>> streams = new ArrayList<>(references.size());
    for (String reference : references) {
      streams.add(Collections.singletonList(reference));
    }
    return corpusBleu(List.of(hypothesis), streams, settings);
  }

  /** Corpus BLEU with sacreBLEU's {@code corpus_bleu} defaults ({@link Settings#CORPUS}). */
  public static Score corpusBleu(List<String> hypotheses, List<List<String>> references) {
    return corpusBleu(hypotheses, references, Settings.CORPUS);
  }

  /**
   * Corpus BLEU.
   *
   * @param hypotheses one line per segment
   * @param references reference streams as in sacreBLEU: each stream has one line per segment; a
   *     null line means that stream has no reference for that segment
   * @param settings how to compute it
   */
  public static Score corpusBleu(
      List<String> hypotheses, List<List<String>> references, Settings settings) {
    if (hypotheses == null || references == null || references.isEmpty()) {
      throw new IllegalArgumentException("Hypotheses and at least one reference stream required");
    }
    for (List<String> stream : references) {
      if (stream == null || stream.size() != hypotheses.size()) {
        throw new IllegalArgumentException(
            "Each reference stream must have one line per hypothesis (" + hypotheses.size() + ")");
      }
    }
    int order = settings.maxNgramOrder();
    double[] correct = new double[order];
    double[] total = new double[order];
    int sysLen = 0;
    int refLen = 0;
    for (int segment = 0; segment < hypotheses.size(); segment++) {
      Map<String, Integer> refNgrams = new HashMap<>();
      List<Integer> refLens = new ArrayList<>();
      for (List<String> stream : references) {
        String line = stream.get(segment);
        if (line == null) {
          continue;
        }
        List<String> tokens = PyText.split(preprocess(line, settings));
        refLens.add(tokens.size());
        ngrams(tokens, order).forEach((ngram, count) -> refNgrams.merge(ngram, count, Math::max));
      }
      if (refLens.isEmpty()) {
        throw new IllegalArgumentException("Segment " + segment + " has no reference");
      }
      List<String> hypTokens = PyText.split(preprocess(hypotheses.get(segment), settings));
      sysLen += hypTokens.size();
      refLen += closestRefLength(hypTokens.size(), refLens);
      for (Map.Entry<String, Integer> e : ngrams(hypTokens, order).entrySet()) {
        int n = ngramOrder(e.getKey()) - 1;
        total[n] += e.getValue();
        correct[n] += Math.min(e.getValue(), refNgrams.getOrDefault(e.getKey(), 0));
      }
    }
    return computeBleu(
        correct,
        total,
        sysLen,
        refLen,
        settings.smoothing(),
        settings.smoothValue(),
        settings.effectiveOrder(),
        order);
  }

  /**
   * BLEU from its sufficient statistics, sacreBLEU's {@code BLEU.compute_bleu}.
   *
   * @param correct matched n-grams per order (not modified)
   * @param total hypothesis n-grams per order (not modified)
   * @param sysLen the hypotheses' length
   * @param refLen the references' length
   * @param smoothing the smoothing method
   * @param smoothValue the value for {@code floor} and {@code add-k}, null for the default
   * @param effectiveOrder whether to stop at the first order without n-grams
   * @param maxNgramOrder the number of orders
   */
  public static Score computeBleu(
      double[] correct,
      double[] total,
      int sysLen,
      int refLen,
      Smoothing smoothing,
      Double smoothValue,
      boolean effectiveOrder,
      int maxNgramOrder) {
    double value = smoothValue != null ? smoothValue : nullToZero(smoothing.defaultValue);
    double[] counts = correct.clone();
    double[] totals = total.clone();
    double bp = 1.0;
    if (sysLen < refLen) {
      bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
    }
    double[] precisions = new double[maxNgramOrder];
    boolean anyCorrect = false;
    for (double c : counts) {
      anyCorrect |= c != 0;
    }
    if (!anyCorrect) {
      // sacreBLEU returns 0 when nothing matches at all, whatever the smoothing (its #141).
      return score(0.0, counts, totals, precisions, bp, sysLen, refLen);
    }
    double smoothMteval = 1.0;
    int effOrder = maxNgramOrder;
    for (int n = 1; n <= maxNgramOrder; n++) {
      if (smoothing == Smoothing.ADD_K && n > 1) {
        counts[n - 1] += value;
        totals[n - 1] += value;
      }
      if (totals[n - 1] == 0) {
        break;
      }
      if (effectiveOrder) {
        effOrder = n;
      }
      if (counts[n - 1] == 0) {
        if (smoothing == Smoothing.EXP) {
          smoothMteval *= 2;
          precisions[n - 1] = 100.0 / (smoothMteval * totals[n - 1]);
        } else if (smoothing == Smoothing.FLOOR) {
          precisions[n - 1] = 100.0 * value / totals[n - 1];
        }
      } else {
        precisions[n - 1] = 100.0 * counts[n - 1] / totals[n - 1];
      }
    }
    double logSum = 0;
    for (int i = 0; i < effOrder; i++) {
      logSum += myLog(precisions[i]);
    }
    return score(bp * Math.exp(logSum / effOrder), counts, totals, precisions, bp, sysLen, refLen);
  }

  private static double nullToZero(Double value) {
    return value == null ? 0.0 : value;
  }

  /** sacreBLEU's {@code my_log}: log, floored for 0. */
  private static double myLog(double x) {
    return x == 0.0 ? -9999999999.0 : Math.log(x);
  }

  private static Score score(
      double score,
      double[] counts,
      double[] totals,
      double[] precisions,
      double bp,
      int sysLen,
      int refLen) {
    return new Score(score, boxed(counts), boxed(totals), boxed(precisions), bp, sysLen, refLen);
  }

  private static List<Double> boxed(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  private static String preprocess(String line, Settings settings) {
    String text = settings.lowercase() ? PyText.lower(line) : line;
    return settings.tokenizer().tokenize(PyText.rstrip(text));
  }

  /** The closest reference length; on a tie the shorter one (sacreBLEU's rule). */
  private static int closestRefLength(int hypLen, List<Integer> refLens) {
    int closestDiff = -1;
    int closestLen = -1;
    for (int refLen : refLens) {
      int diff = Math.abs(hypLen - refLen);
      if (closestDiff == -1 || diff < closestDiff) {
        closestDiff = diff;
        closestLen = refLen;
      } else if (diff == closestDiff && refLen < closestLen) {
        closestLen = refLen;
      }
    }
    return closestLen;
  }

  // Tokens never contain whitespace, so n-grams are keyed by their tokens joined by spaces.
  private static Map<String, Integer> ngrams(List<String> tokens, int maxOrder) {
    Map<String, Integer> counts = new HashMap<>();
    for (int n = 1; n <= maxOrder; n++) {
      for (int i = 0; i + n <= tokens.size(); i++) {
        counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static int ngramOrder(String ngram) {
    int spaces = 0;
    for (int i = 0; i < ngram.length(); i++) {
      if (ngram.charAt(i) == ' ') {
        spaces++;
      }
    }
    return spaces + 1;
  }
}
