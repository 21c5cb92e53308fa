package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Invariants of the metrics, checked over generated sentences (fixed seeds, so reproducible). */
class MetricPropertiesTest {

  private static final int RUNS = 400;
  private static final double EPS = 1e-9;

  // Words over two disjoint alphabets; the left one has the letters of the suffixes (which the
  // Porter stemmer strips) and the punctuation, so texts from the two share no character.
  private static final String[] LEFT = words("abcdefghijklmnsy", 25, 1);
  private static final String[] RIGHT = words("opqrtuvwxz", 25, 2);
  private static final String[] SUFFIXES = {"", "", "", "s", "ing", "ed", "ly", "ness", ",", "."};

  private static String[] words(String alphabet, int count, long seed) {
    Random random = new Random(seed);
    String[] words = new String[count];
    for (int i = 0; i < count; i++) {
      StringBuilder w = new StringBuilder();
      int length = 1 + random.nextInt(7);
      for (int j = 0; j < length; j++) {
        w.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      words[i] = w.toString();
    }
    return words;
  }

  private static String sentence(Random random, String[] pool, int minWords) {
    int n = minWords + random.nextInt(15);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String word = pool[random.nextInt(pool.length)];
      if (pool == LEFT) {
        word += SUFFIXES[random.nextInt(SUFFIXES.length)];
      }
      out.add(random.nextInt(10) == 0 ? word.toUpperCase() : word);
    }
    return String.join(random.nextInt(5) == 0 ? "  " : " ", out);
  }

  private static List<String> tokens(String text) {
    return Arrays.asList(text.trim().split("\\s+"));
  }

  private static void assertInRange(double value, double max, String what) {
    assertTrue(value >= 0 && value <= max, what + " out of range: " + value);
  }

  @Test
  void shouldStayWithinBounds() {
    Random random = new Random(11);
    for (int i = 0; i < RUNS; i++) {
      String a = sentence(random, LEFT, 0);
      String b = random.nextBoolean() ? sentence(random, LEFT, 0) : sentence(random, RIGHT, 0);
      for (int n = 1; n <= 3; n++) {
        Rouge.Score s = Rouge.rougeN(a, b, n, random.nextBoolean());
        assertInRange(s.precision(), 1, "ROUGE-N precision");
        assertInRange(s.recall(), 1, "ROUGE-N recall");
        assertInRange(s.fmeasure(), 1, "ROUGE-N F");
      }
      Rouge.Score l = Rouge.rougeL(a, b);
      assertInRange(l.fmeasure(), 1, "ROUGE-L F");
      assertInRange(Bleu.sentenceBleu(a, List.of(b)).score(), 100 + EPS, "BLEU");
      assertInRange(Bleu.sentenceBleu(a, List.of(b)).bp(), 1, "brevity penalty");
      assertInRange(ChrF.sentenceChrf(a, List.of(b)), 100 + EPS, "chrF");
      assertInRange(Gleu.sentenceGleu(List.of(tokens(b)), tokens(a)), 1, "GLEU");
      assertInRange(Meteor.meteorScore(List.of(tokens(b)), tokens(a)), 1, "METEOR");
    }
  }

  @Test
  void shouldScorePerfectlyForIdenticalTexts() {
    Random random = new Random(12);
    for (int i = 0; i < RUNS; i++) {
      String a = sentence(random, LEFT, 2);
      List<String> words = Rouge.tokenize(a, false);
      assertEquals(1.0, Rouge.rougeN(a, a, 1).fmeasure(), EPS, a);
      if (words.size() >= 2) {
        assertEquals(1.0, Rouge.rougeN(a, a, 2, true).fmeasure(), EPS, a);
      }
      assertEquals(1.0, Rouge.rougeL(a, a).fmeasure(), EPS, a);
      assertEquals(100.0, Bleu.sentenceBleu(a, List.of(a)).score(), EPS, a);
      assertEquals(100.0, ChrF.sentenceChrf(a, List.of(a)), EPS, a);
      assertEquals(1.0, Gleu.sentenceGleu(List.of(tokens(a)), tokens(a)), EPS, a);
      // One chunk: METEOR's fragmentation penalty is 0.5 / matches^3, so never quite 1.
      int m = tokens(a).size();
      assertEquals(
          1 - 0.5 / ((double) m * m * m),
          Meteor.meteorScore(List.of(tokens(a)), tokens(a)),
          EPS,
          a);
    }
  }

  @Test
  void shouldScoreZeroForTextsWithNothingInCommon() {
    Random random = new Random(13);
    for (int i = 0; i < RUNS; i++) {
      String a = sentence(random, LEFT, 1);
      String b = sentence(random, RIGHT, 1);
      assertEquals(0.0, Rouge.rougeN(a, b, 1, true).fmeasure(), a + " / " + b);
      assertEquals(0.0, Rouge.rougeL(a, b, true).fmeasure(), a + " / " + b);
      assertEquals(0.0, Bleu.sentenceBleu(a, List.of(b)).score(), a + " / " + b);
      assertEquals(0.0, ChrF.sentenceChrf(a, List.of(b)), a + " / " + b);
      assertEquals(0.0, Gleu.sentenceGleu(List.of(tokens(b)), tokens(a)), a + " / " + b);
      assertEquals(0.0, Meteor.meteorScore(List.of(tokens(b)), tokens(a)), a + " / " + b);
    }
  }

  @Test
  void shouldBeSymmetricWhereTheDefinitionIs() {
    Random random = new Random(14);
    for (int i = 0; i < RUNS; i++) {
      String a = sentence(random, LEFT, 0);
      String b = sentence(random, LEFT, 0);
      for (int n = 1; n <= 2; n++) {
        Rouge.Score ab = Rouge.rougeN(a, b, n);
        Rouge.Score ba = Rouge.rougeN(b, a, n);
        assertEquals(ab.fmeasure(), ba.fmeasure(), EPS);
        assertEquals(ab.precision(), ba.recall(), EPS);
      }
      assertEquals(Rouge.rougeL(a, b).fmeasure(), Rouge.rougeL(b, a).fmeasure(), EPS);
      // GLEU is min(precision, recall), so symmetric for one reference (Wu et al., 2016).
      assertEquals(
          Gleu.sentenceGleu(List.of(tokens(b)), tokens(a)),
          Gleu.sentenceGleu(List.of(tokens(a)), tokens(b)),
          EPS);
    }
  }

  @Test
  void shouldBehaveMonotonically() {
    Random random = new Random(15);
    for (int i = 0; i < RUNS; i++) {
      String a = sentence(random, LEFT, 1);
      String extra = sentence(random, LEFT, 1);
      String reference = sentence(random, LEFT, 1);
      // Saying more can only keep or raise ROUGE-1 recall.
      assertTrue(
          Rouge.rougeN(a + " " + extra, reference, 1).recall()
              >= Rouge.rougeN(a, reference, 1).recall() - EPS);
      // The LCS is never longer than the unigram overlap.
      assertTrue(
          Rouge.rougeL(a, reference).recall() <= Rouge.rougeN(a, reference, 1).recall() + EPS);
      // A lower log-probability for any token means a higher perplexity.
      List<Double> logprobs = new ArrayList<>();
      for (int t = 0; t < 1 + random.nextInt(20); t++) {
        logprobs.add(-random.nextDouble() * 5);
      }
      double before = Perplexity.of(logprobs);
      logprobs.set(random.nextInt(logprobs.size()), -6.0);
      assertTrue(Perplexity.of(logprobs) > before);
      assertTrue(before >= 1 && Perplexity.score(before) <= 1 && Perplexity.score(before) > 0);
    }
  }

  @Test
  void shouldTakeTheBestOfSeveralReferences() {
    Random random = new Random(16);
    for (int i = 0; i < RUNS; i++) {
      String hyp = sentence(random, LEFT, 0);
      String r1 = sentence(random, LEFT, 0);
      String r2 = sentence(random, LEFT, 0);
      assertEquals(
          Math.max(Rouge.rougeL(hyp, r1).fmeasure(), Rouge.rougeL(hyp, r2).fmeasure()),
          Rouge.rougeL(hyp, List.of(r1, r2), false).fmeasure());
      assertEquals(
          Math.max(ChrF.sentenceChrf(hyp, List.of(r1)), ChrF.sentenceChrf(hyp, List.of(r2))),
          ChrF.sentenceChrf(hyp, List.of(r1, r2)),
          EPS);
      assertEquals(
          Math.max(
              Meteor.meteorScore(List.of(tokens(r1)), tokens(hyp)),
              Meteor.meteorScore(List.of(tokens(r2)), tokens(hyp))),
          Meteor.meteorScore(List.of(tokens(r1), tokens(r2)), tokens(hyp)));
      assertEquals(
          Math.max(
              Gleu.sentenceGleu(List.of(tokens(r1)), tokens(hyp)),
              Gleu.sentenceGleu(List.of(tokens(r2)), tokens(hyp))),
          Gleu.sentenceGleu(List.of(tokens(r1), tokens(r2)), tokens(hyp)));
    }
  }
}
