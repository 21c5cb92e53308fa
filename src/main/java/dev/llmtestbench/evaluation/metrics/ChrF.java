package dev.llmtestbench.evaluation.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF and chrF++ as sacreBLEU computes them ({@code sacrebleu/metrics/chrf.py}), on a 0 to 100
 * scale: character n-gram (and optionally word n-gram) F-beta, against the reference with the best
 * score for each segment, statistics summed over a corpus.
 *
 * <p>Characters are Unicode code points, as in Python.
 */
public final class ChrF {

  /**
   * How chrF is computed; {@link #DEFAULT} is sacreBLEU's default chrF.
   *
   * @param charOrder the highest character n-gram order (6)
   * @param wordOrder the highest word n-gram order (0; 2 gives chrF++)
   * @param beta the weight of recall relative to precision (2)
   * @param lowercase whether to lower-case first
   * @param whitespace whether whitespace stays in character n-grams (it is removed by default)
   * @param epsSmoothing chrF++.py's epsilon smoothing instead of sacreBLEU's default of averaging
   *     over the orders that have n-grams on both sides
   */
  public record Settings(
      int charOrder,
      int wordOrder,
      int beta,
      boolean lowercase,
      boolean whitespace,
      boolean epsSmoothing) {

    /** sacreBLEU's chrF: character order 6, no words, beta 2. */
    public static final Settings DEFAULT = new Settings(6, 0, 2, false, false, false);

    public Settings {
      if (charOrder < 0 || wordOrder < 0 || charOrder + wordOrder < 1 || beta < 0) {
        throw new IllegalArgumentException("Orders must be 0 or more with at least one n-gram");
      }
    }
  }

  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private ChrF() {}

  /** Sentence chrF with sacreBLEU's defaults, 0 to 100. */
  public static double sentenceChrf(String hypothesis, List<String> references) {
    return sentenceChrf(hypothesis, references, Settings.DEFAULT);
  }

  /** Sentence chrF of a hypothesis against the best of one or more references, 0 to 100. */
  public static double sentenceChrf(String hypothesis, List<String> references, Settings settings) {
    if (references == null || references.isEmpty()) {
      throw new IllegalArgumentException("At least one reference is required");
    }
    List<List<String>> streams = new ArrayList<>(references.size());
    for (String reference : references) {
      streams.add(Collections.singletonList(reference));
    }
    return corpusChrf(List.of(hypothesis), streams, settings);
  }

  /** Corpus chrF with sacreBLEU's defaults, 0 to 100; references as in {@link Bleu#corpusBleu}. */
  public static double corpusChrf(List<String> hypotheses, List<List<String>> references) {
    return corpusChrf(hypotheses, references, Settings.DEFAULT);
  }

  /**
   * Corpus chrF, 0 to 100.
   *
   * @param hypotheses one line per segment
   * @param references reference streams, each with one line per segment (null for none)
   * @param settings how to compute it
   */
  public static double corpusChrf(
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
    int orders = settings.charOrder() + settings.wordOrder();
    long[] stats = new long[3 * orders];
    for (int segment = 0; segment < hypotheses.size(); segment++) {
      List<Map<String, Integer>> hyp =
          ngrams(preprocess(hypotheses.get(segment), settings), settings);
      long[] best = null;
      double bestF = -1.0;
      for (List<String> stream : references) {
        String line = stream.get(segment);
        if (line == null) {
          continue;
        }
        List<Map<String, Integer>> ref = ngrams(preprocess(line, settings), settings);
        long[] segmentStats = new long[3 * orders];
        for (int i = 0; i < orders; i++) {
          matchStatistics(hyp.get(i), ref.get(i), segmentStats, 3 * i);
        }
        double f = fScore(segmentStats, settings);
        if (f > bestF) {
          bestF = f;
          best = segmentStats;
        }
      }
      if (best == null) {
        throw new IllegalArgumentException("Segment " + segment + " has no reference");
      }
      for (int i = 0; i < stats.length; i++) {
        stats[i] += best[i];
      }
    }
    return fScore(stats, settings);
  }

  private static String preprocess(String line, Settings settings) {
    return settings.lowercase() ? PyText.lower(line) : line;
  }

  /** Character n-grams of orders 1..charOrder, then word n-grams of orders 1..wordOrder. */
  private static List<Map<String, Integer>> ngrams(String line, Settings settings) {
    List<Map<String, Integer>> all = new ArrayList<>(settings.charOrder() + settings.wordOrder());
    String chars = settings.whitespace() ? line : String.join("", PyText.split(line));
    int[] offsets = codePointOffsets(chars);
    int length = offsets.length - 1;
    for (int n = 1; n <= settings.charOrder(); n++) {
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i + n <= length; i++) {
        counts.merge(chars.substring(offsets[i], offsets[i + n]), 1, Integer::sum);
      }
      all.add(counts);
    }
    if (settings.wordOrder() > 0) {
      List<String> words = removePunctuation(line);
      for (int n = 1; n <= settings.wordOrder(); n++) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
          counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
        }
        all.add(counts);
      }
    }
    return all;
  }

  /** The start of every code point, plus the end of the text. */
  private static int[] codePointOffsets(String text) {
    int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
    int i = 0;
    int k = 0;
    while (i < text.length()) {
      offsets[k++] = i;
      i += Character.charCount(text.codePointAt(i));
    }
    offsets[k] = text.length();
    return offsets;
  }

  /** chrF+'s word split: punctuation split off the end, or else the start, of each word. */
  private static List<String> removePunctuation(String line) {
    List<String> tokens = new ArrayList<>();
    for (String w : PyText.split(line)) {
      int[] offsets = codePointOffsets(w);
      int length = offsets.length - 1;
      if (length == 1) {
        tokens.add(w);
        continue;
      }
      String last = w.substring(offsets[length - 1]);
      String first = w.substring(0, offsets[1]);
      if (PUNCTUATION.contains(last)) {
        tokens.add(w.substring(0, offsets[length - 1]));
        tokens.add(last);
      } else if (PUNCTUATION.contains(first)) {
        tokens.add(first);
        tokens.add(w.substring(offsets[1]));
      } else {
        tokens.add(w);
      }
    }
    return tokens;
  }

  private static void matchStatistics(
      Map<String, Integer> hyp, Map<String, Integer> ref, long[] stats, int at) {
    long match = 0;
    long hypCount = 0;
    for (Map.Entry<String, Integer> e : hyp.entrySet()) {
      hypCount += e.getValue();
      Integer refCount = ref.get(e.getKey());
      if (refCount != null) {
        match += Math.min(e.getValue(), refCount);
      }
    }
    long refCount = 0;
    for (int count : ref.values()) {
      refCount += count;
    }
    // sacreBLEU counts no hypothesis n-grams for an order the reference has none of.
    stats[at] = ref.isEmpty() ? 0 : hypCount;
    stats[at + 1] = refCount;
    stats[at + 2] = match;
  }

  private static double fScore(long[] stats, Settings settings) {
    double eps = 1e-16;
    double score = 0.0;
    int effectiveOrder = 0;
    double factor = (double) settings.beta() * settings.beta();
    double avgPrec = 0.0;
    double avgRec = 0.0;
    int orders = stats.length / 3;
    for (int i = 0; i < orders; i++) {
      long nHyp = stats[3 * i];
      long nRef = stats[3 * i + 1];
      long nMatch = stats[3 * i + 2];
      double prec = nHyp > 0 ? (double) nMatch / nHyp : eps;
      double rec = nRef > 0 ? (double) nMatch / nRef : eps;
      double denom = factor * prec + rec;
      score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
      if (nHyp > 0 && nRef > 0) {
        avgPrec += prec;
        avgRec += rec;
        effectiveOrder++;
      }
    }
    if (settings.epsSmoothing()) {
      return 100 * score / orders;
    }
    if (effectiveOrder == 0) {
      avgPrec = 0.0;
      avgRec = 0.0;
    } else {
      avgPrec /= effectiveOrder;
      avgRec /= effectiveOrder;
    }
    if (avgPrec + avgRec != 0) {
      double f = (1 + factor) * avgPrec * avgRec;
      f /= factor * avgPrec + avgRec;
      return 100 * f;
    }
    return 0.0;
  }
}
