package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NLTK's METEOR test vectors, from nltk/translate/meteor_score.py's doctests,
 * nltk/test/meteor.doctest and nltk/test/unit/translate/test_meteor.py at
 * https://github.com/nltk/nltk/tree/f2a92bd7e360e39a4439e4d97540fd68f2721451.
 *
 * <p>This implementation has no WordNet synonym stage. Every vector below is one where that stage
 * does not change NLTK's result: running NLTK 3.10.3 with a WordNet that has no synonyms gives
 * exactly the published values. (The published multi-reference value is the first reference's
 * score, and NLTK's code takes the maximum, so synonyms did not raise another reference above it.)
 */
class MeteorTest {

  private static List<String> split(String text) {
    return Arrays.asList(text.split(" "));
  }

  private static double rounded(double value) {
    return Math.round(value * 10000) / 10000.0;
  }

  private static final List<String> HYPOTHESIS1 =
      split(
          "It is a guide to action which ensures that the military always obeys the commands of"
              + " the party");
  private static final List<String> REFERENCE1 =
      split(
          "It is a guide to action that ensures that the military will forever heed Party"
              + " commands");
  private static final List<String> REFERENCE2 =
      split(
          "It is the guiding principle which guarantees the military forces always being under"
              + " the command of the Party");
  private static final List<String> REFERENCE3 =
      split("It is the practical guide for the army always to heed the directions of the party");

  @Test
  void shouldMatchSingleMeteorScoreDoctests() {
    assertEquals(
        0.6944,
        rounded(
            Meteor.singleMeteorScore(
                REFERENCE1, HYPOTHESIS1, Meteor.ALPHA, Meteor.BETA, Meteor.GAMMA)));
    assertEquals(
        0.0,
        rounded(
            Meteor.singleMeteorScore(
                split("this is a cat"),
                split("non matching hypothesis"),
                Meteor.ALPHA,
                Meteor.BETA,
                Meteor.GAMMA)));
  }

  @Test
  void shouldMatchMeteorScoreDoctests() {
    assertEquals(
        0.6944,
        rounded(Meteor.meteorScore(List.of(REFERENCE1, REFERENCE2, REFERENCE3), HYPOTHESIS1)));
    assertEquals(
        0.0,
        rounded(
            Meteor.meteorScore(List.of(split("this is a cat")), split("non matching hypothesis"))));
  }

  @Test
  void shouldMatchTestMeteorUnitTest() {
    // test_meteor.py: exact equality, after lower-casing ("this", "is" "test" is Python's
    // implicit concatenation, i.e. a two-word reference).
    assertEquals(
        0.9921875,
        Meteor.meteorScore(
            List.of(List.of("this", "is", "a", "test"), List.of("this", "istest")),
            List.of("THIS", "Is", "a", "tEST")));
  }

  @Test
  void shouldMatchMeteorDoctestFile() {
    // meteor.doctest, whose sentences word_tokenize splits on spaces.
    List<String> mat = split("The cat sat on the mat");
    assertEquals(
        0.0,
        rounded(
            Meteor.meteorScore(
                List.of(split("The candidate has no alignment to any of the references")),
                split("John loves Mary"))));
    assertEquals(0.9977, Meteor.meteorScore(List.of(mat), mat), 1e-2);
    assertEquals(0.5, Meteor.meteorScore(List.of(mat), split("on the mat sat the cat")));
    assertEquals(
        0.9654, rounded(Meteor.meteorScore(List.of(mat), split("The cat was sat on the mat"))));
    // Issue #2751; 'creates'/'create' and 'updates'/'update' align through their Porter stems.
    assertEquals(
        0.7806,
        rounded(
            Meteor.meteorScore(
                List.of(split("create or update a vm set")),
                split("creates or updates a virtual machine scale set"))));
  }

  @Test
  void shouldScoreZeroForEmptySentences() {
    assertEquals(0.0, Meteor.meteorScore(List.of(List.of()), split("a b")));
    assertEquals(0.0, Meteor.meteorScore(List.of(split("a b")), List.of()));
  }
}
