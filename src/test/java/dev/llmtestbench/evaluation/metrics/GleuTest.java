package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The doctests of NLTK's nltk/translate/gleu_score.py, which print 4 decimals and an ellipsis:
 * https://github.com/nltk/nltk/blob/f2a92bd7e360e39a4439e4d97540fd68f2721451/nltk/translate/gleu_score.py.
 */
class GleuTest {

  private static List<String> split(String text) {
    return Arrays.asList(text.split(" "));
  }

  /** Checks a doctest's truncated value, e.g. {@code 0.0909...}: the value starts with it. */
  private static void assertTruncated(String expectedPrefix, double actual) {
    String shown = Double.toString(actual);
    assertEquals(
        expectedPrefix, shown.substring(0, Math.min(shown.length(), expectedPrefix.length())));
  }

  private static final List<String> HYP1 =
      split(
          "It is a guide to action which ensures that the military always obeys the commands of"
              + " the party");
  private static final List<String> REF1A =
      split(
          "It is a guide to action that ensures that the military will forever heed Party"
              + " commands");
  private static final List<String> REF1B =
      split(
          "It is the guiding principle which guarantees the military forces always being under"
              + " the command of the Party");
  private static final List<String> REF1C =
      split("It is the practical guide for the army always to heed the directions of the party");
  private static final List<String> HYP2 =
      split("he read the book because he was interested in world history");
  private static final List<String> REF2A =
      split("he was interested in world history because he read the book");

  @Test
  void shouldMatchTheTheTheExample() {
    assertTruncated(
        "0.0909",
        Gleu.sentenceGleu(
            List.of(split("the cat is on the mat")), split("the the the the the the the")));
  }

  @Test
  void shouldMatchMachineTranslationExamples() {
    List<String> hyp2 =
        split(
            "It is to insure the troops forever hearing the activity guidebook that party"
                + " direct");
    assertTruncated("0.4393", Gleu.sentenceGleu(List.of(REF1A), HYP1));
    assertTruncated("0.1206", Gleu.sentenceGleu(List.of(REF1A), hyp2));
  }

  @Test
  void shouldMatchCorpusGleuExample() {
    assertTruncated(
        "0.5673",
        Gleu.corpusGleu(
            List.of(List.of(REF1A, REF1B, REF1C), List.of(REF2A)), List.of(HYP1, HYP2), 1, 4));
  }

  @Test
  void shouldDifferFromTheMeanOfSentenceScoresAsInTheDoctest() {
    double score1 = Gleu.sentenceGleu(List.of(REF1A), HYP1);
    double score2 = Gleu.sentenceGleu(List.of(REF2A), HYP2);
    assertTruncated("0.6144", (score1 + score2) / 2);
  }

  @Test
  void shouldScoreZeroWithoutNgrams() {
    // NLTK's corner case: no n-grams at all gives 0 rather than a division by zero.
    assertEquals(0.0, Gleu.sentenceGleu(List.of(List.of()), List.of()));
  }

  @Test
  void shouldRejectMismatchedCorpus() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Gleu.corpusGleu(List.of(List.of(REF1A)), List.of(HYP1, HYP2), 1, 4));
  }
}
