package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.evaluation.metrics.ChrF.Settings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sacreBLEU's own chrF test vectors, tolerance 1e-4 as there: test/test_chrf.py at
 * https://github.com/mjpost/sacrebleu/blob/f615c7286d4d813370efb824d94fc2bfcd3a6b94/test/test_chrf.py.
 */
class ChrFTest {

  private static final double EPSILON = 1e-4;

  /** sacrebleu.corpus_chrf(hyps, [refs], char_order=6, word_order=0, beta=3, ...). */
  private static double corpus(
      List<String> hypotheses, List<String> references, boolean whitespace, boolean eps) {
    return ChrF.corpusChrf(
        hypotheses, List.of(references), new Settings(6, 0, 3, false, whitespace, eps));
  }

  @Test
  void shouldMatchSacrebleuEpsilonSmoothingCases() {
    // test_cases, eps_smoothing=True
    Object[][] cases = {
      {List.of("abcdefg"), List.of("hijklmnop"), 0.0},
      {List.of("a"), List.of("b"), 0.0},
      {List.of(""), List.of("b"), 0.0},
      {List.of(""), List.of("ref"), 0.0},
      {List.of(""), List.of("reference"), 0.0},
      {List.of("aa"), List.of("ab"), 8.3333},
      {List.of("a", "b"), List.of("a", "c"), 8.3333},
      {List.of("a"), List.of("a"), 16.6667},
      {List.of("a b c"), List.of("a b c"), 50.0},
      {List.of("a b c"), List.of("abc"), 50.0},
      {
        List.of(
            " risk assessment must be made of those who are qualified and expertise in the sector"
                + " - these are the scientists ."),
        List.of(
            "risk assessment has to be undertaken by those who are qualified and expert in that"
                + " area - that is the scientists ."),
        63.361730
      },
      {
        List.of(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "),
        List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."),
        64.1302698
      },
      {
        List.of("Niemand hat die Absicht, eine Mauer zu errichten"),
        List.of("Niemand hat die Absicht, eine Mauer zu errichten"),
        100.0
      }
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> hyps = (List<String>) c[0];
      @SuppressWarnings("unchecked")
      List<String> refs = (List<String>) c[1];
      assertEquals((double) c[2], corpus(hyps, refs, false, true), EPSILON, hyps + " vs " + refs);
    }
  }

  @Test
  void shouldMatchSacrebleuEffectiveOrderCases() {
    // test_cases_effective_order, eps_smoothing=False (sacreBLEU's default)
    Object[][] cases = {
      {List.of("a"), List.of("a"), 100.0},
      {List.of(""), List.of("reference"), 0.0},
      {List.of("a b c"), List.of("a b c"), 100.0},
      {List.of("a b c"), List.of("abc"), 100.0},
      {List.of(""), List.of("c"), 0.0},
      {List.of("a", "b"), List.of("a", "c"), 50.0},
      {List.of("aa"), List.of("ab"), 25.0}
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> hyps = (List<String>) c[0];
      @SuppressWarnings("unchecked")
      List<String> refs = (List<String>) c[1];
      assertEquals((double) c[2], corpus(hyps, refs, false, false), EPSILON, hyps + " vs " + refs);
    }
  }

  @Test
  void shouldMatchSacrebleuKeepWhitespaceCases() {
    // test_cases_keep_whitespace, remove_whitespace=False
    assertEquals(
        67.3481606,
        corpus(
            List.of("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."),
            List.of(
                "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."),
            true,
            false),
        EPSILON);
    assertEquals(
        65.2414427,
        corpus(
            List.of(
                "risk assessment must be made of those who are qualified and expertise in the"
                    + " sector - these are the scientists ."),
            List.of(
                "risk assessment has to be undertaken by those who are qualified and expert in"
                    + " that area - that is the scientists ."),
            true,
            false),
        EPSILON);
  }

  @Test
  void shouldMatchSacrebleuSentenceLevelCases() {
    // test_sentence_level_chrf: sentence_chrf(hyp, refs, eps_smoothing=True), default beta 2
    Settings settings = new Settings(6, 0, 2, false, false, true);
    assertEquals(
        39.14078509,
        ChrF.sentenceChrf(
            "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
            List.of(
                "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo"
                    + " zemře."),
            settings),
        EPSILON);
    assertEquals(
        31.22557079,
        ChrF.sentenceChrf(
            "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
            List.of("A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."),
            settings),
        EPSILON);
    assertEquals(
        57.15704367,
        ChrF.sentenceChrf(
            "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
            List.of(
                "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít,"
                    + " připomněli."),
            settings),
        EPSILON);
  }

  @Test
  void shouldCountCharactersAsCodePoints() {
    // One emoji is one character in Python, so "😀" against itself is a perfect unigram match.
    assertEquals(100.0, ChrF.sentenceChrf("😀", List.of("😀")), 1e-12);
  }
}
