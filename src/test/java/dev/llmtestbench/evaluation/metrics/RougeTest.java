package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rouge_score's own test vectors (the "ground truth" values there come from ROUGE-1.5.5), to the 5
 * places they are given: rouge/rouge_scorer_test.py with rouge/testdata/target.txt and
 * prediction.txt at https://github.com/google-research/google-research/tree/master/rouge. Note that
 * rouge_score's {@code score(target, prediction)} takes the reference first.
 */
class RougeTest {

  private static final double EPSILON = 1e-7;
  private static final double FIVE_PLACES = 0.5e-5;

  // The first two lines of rouge/testdata/target.txt and prediction.txt.
  private static final String TARGET_0 =
      "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM"
          + " EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n";
  private static final String TARGET_1 =
      "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q"
          + " m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing"
          + " tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu"
          + " pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n";
  private static final String PREDICTION_0 =
      "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n";
  private static final String PREDICTION_1 =
      "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J"
          + " XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n";

  private static void assertScore(
      double precision, double recall, double fmeasure, Rouge.Score score, double epsilon) {
    assertEquals(precision, score.precision(), epsilon, "precision");
    assertEquals(recall, score.recall(), epsilon, "recall");
    assertEquals(fmeasure, score.fmeasure(), epsilon, "fmeasure");
  }

  @Test
  void shouldMatchTestRouge1() {
    assertScore(1, 1.0 / 3, 1.0 / 2, Rouge.rougeN("testing", "testing one two", 1), EPSILON);
  }

  @Test
  void shouldMatchTestRouge2() {
    assertScore(1, 1.0 / 2, 2.0 / 3, Rouge.rougeN("testing one", "testing one two", 2), EPSILON);
  }

  @Test
  void shouldMatchTestRougeEmpty() {
    for (int n = 1; n <= 2; n++) {
      assertScore(0, 0, 0, Rouge.rougeN("", "testing one two", n), EPSILON);
    }
    assertScore(0, 0, 0, Rouge.rougeL("", "testing one two"), EPSILON);
  }

  @Test
  void shouldMatchTestRougeLConsecutiveAndNonConsecutive() {
    assertScore(1, 2.0 / 3, 4.0 / 5, Rouge.rougeL("testing one", "testing one two"), EPSILON);
    assertScore(1, 2.0 / 3, 4.0 / 5, Rouge.rougeL("testing two", "testing one two"), EPSILON);
  }

  @Test
  void shouldMatchTestMultipleRougeTypes() {
    assertScore(1, 2.0 / 3, 4.0 / 5, Rouge.rougeN("testing one", "testing one two", 1), EPSILON);
    assertScore(1, 2.0 / 3, 4.0 / 5, Rouge.rougeL("testing one", "testing one two"), EPSILON);
  }

  @Test
  void shouldMatchTestRouge1AgainstRouge155() {
    assertScore(0.68750, 0.40741, 0.51163, Rouge.rougeN(PREDICTION_0, TARGET_0, 1), FIVE_PLACES);
    assertScore(0.65385, 0.40476, 0.50000, Rouge.rougeN(PREDICTION_1, TARGET_1, 1), FIVE_PLACES);
  }

  @Test
  void shouldMatchTestRouge1AgainstRouge155WithStemming() {
    assertScore(
        0.68750, 0.40741, 0.51163, Rouge.rougeN(PREDICTION_0, TARGET_0, 1, true), FIVE_PLACES);
    assertScore(
        0.69231, 0.42857, 0.52941, Rouge.rougeN(PREDICTION_1, TARGET_1, 1, true), FIVE_PLACES);
  }

  @Test
  void shouldMatchTestRouge2AgainstRouge155WithAndWithoutStemming() {
    for (boolean stem : new boolean[] {false, true}) {
      assertScore(
          0.53333, 0.30769, 0.39024, Rouge.rougeN(PREDICTION_0, TARGET_0, 2, stem), FIVE_PLACES);
      assertScore(
          0.48000, 0.29268, 0.36364, Rouge.rougeN(PREDICTION_1, TARGET_1, 2, stem), FIVE_PLACES);
    }
  }

  @Test
  void shouldMatchTestRougeLAgainstRouge155() {
    assertScore(0.68750, 0.40741, 0.51163, Rouge.rougeL(PREDICTION_0, TARGET_0), FIVE_PLACES);
    assertScore(0.65385, 0.40476, 0.50000, Rouge.rougeL(PREDICTION_1, TARGET_1), FIVE_PLACES);
  }

  @Test
  void shouldMatchTestLcsTable() {
    // ref [1, 2, 3, 4, 5] and candidate [2, 5, 3, 4] have an LCS of length 3; [8, 9] none.
    List<String> ref = List.of("1", "2", "3", "4", "5");
    assertEquals(3, Rouge.lcsLength(ref, List.of("2", "5", "3", "4")));
    assertEquals(0, Rouge.lcsLength(ref, List.of("8", "9")));
  }

  @Test
  void shouldRejectNonPositiveN() {
    // testInvalidRougeTypes: rouge0 is a ValueError in rouge_score.
    assertThrows(IllegalArgumentException.class, () -> Rouge.rougeN("a", "a", 0));
  }

  @Test
  void shouldTokenizeAsRougeScore() {
    // Not from rouge_score's tests: tokenize.py's rules (lower-case, non-alphanumerics separate,
    // stem only tokens longer than 3), checked against its code run with NLTK 3.10.3.
    assertEquals(
        List.of("the", "quick", "brown", "fox", "s", "jump", "caf"),
        Rouge.tokenize("The QUICK brown-fox's jumping... Café", true));
    assertEquals(List.of("running", "dogs"), Rouge.tokenize("  Running\tdogs! ", false));
  }

  @Test
  void shouldTakeTheReferenceWithTheBestFmeasure() {
    // score_multi semantics: the whole score of the reference with the best F-measure.
    Rouge.Score best = Rouge.rougeN("a b c d", List.of("a b", "a b c d e"), 1, false);

    assertEquals(Rouge.rougeN("a b c d", "a b c d e", 1), best);
    assertEquals(best, Rouge.rougeN("a b c d", List.of("a b c d e", "a b"), 1, false));
  }

  @Test
  void shouldTakeTheFirstReferenceOnATie() {
    // (P 0.5, R 1) and (P 1, R 0.5) have the same F-measure; numpy's argmax takes the first.
    assertEquals(
        Rouge.rougeN("a b c d", "a b", 1),
        Rouge.rougeN("a b c d", List.of("a b", "a b c d e f g h"), 1, false));
  }
}
