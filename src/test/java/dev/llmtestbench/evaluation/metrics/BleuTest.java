package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmtestbench.evaluation.metrics.Bleu.Settings;
import dev.llmtestbench.evaluation.metrics.Bleu.Smoothing;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * sacreBLEU's own test vectors, with its tolerances: test/test_bleu.py (1e-8) and
 * test/test_sentence_bleu.py (1e-3) at
 * https://github.com/mjpost/sacrebleu/tree/f615c7286d4d813370efb824d94fc2bfcd3a6b94/test.
 */
class BleuTest {

  private static final double EPSILON = 1e-8;

  // test_bleu.py: "test for README example with empty hypothesis strings check".
  private static final List<List<String>> REFS =
      List.of(
          List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."),
          List.of(
              "The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));
  private static final List<String> HYPS =
      List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");

  /** sacrebleu.raw_corpus_bleu: no tokenization, floor smoothing, effective order. */
  private static Bleu.Score rawCorpusBleu(
      List<String> hypotheses, List<List<String>> references, Double floor) {
    return Bleu.corpusBleu(
        hypotheses,
        references,
        new Settings(BleuTokenizer.NONE, false, Smoothing.FLOOR, floor, 4, true));
  }

  private static Settings corpus(BleuTokenizer tokenizer, Smoothing smoothing) {
    return new Settings(tokenizer, false, smoothing, null, 4, false);
  }

  @Test
  void shouldMatchSacrebleuRawBleuCases() {
    // test_raw_bleu_cases
    assertEquals(
        0.0,
        rawCorpusBleu(
                    List.of("this is a test", "another test"),
                    List.of(List.of("ref1", "ref2")),
                    .01)
                .score()
            / 100,
        EPSILON);
    assertEquals(
        1.0,
        rawCorpusBleu(List.of("this is a test"), List.of(List.of("this is a test")), .01).score()
            / 100,
        EPSILON);
    assertEquals(
        0.223606797749979,
        rawCorpusBleu(List.of("this is a fest"), List.of(List.of("this is a test")), .01).score()
            / 100,
        EPSILON);
  }

  @Test
  void shouldMatchSacrebleuCorpusBleuCases() {
    // test_corpus_bleu_cases
    assertEquals(48.530827, Bleu.corpusBleu(HYPS, REFS).score(), EPSILON);
    assertEquals(0.0, Bleu.corpusBleu(List.of("", "", ""), REFS).score(), EPSILON);
    assertEquals(
        49.1919566,
        Bleu.corpusBleu(HYPS, REFS, corpus(BleuTokenizer.NONE, Smoothing.EXP)).score(),
        EPSILON);
    assertEquals(
        48.530827,
        Bleu.corpusBleu(HYPS, REFS, corpus(BleuTokenizer.V13A, Smoothing.EXP)).score(),
        EPSILON);
    assertEquals(
        43.91623493,
        Bleu.corpusBleu(HYPS, REFS, corpus(BleuTokenizer.INTL, Smoothing.EXP)).score(),
        EPSILON);
    assertEquals(
        48.530827,
        Bleu.corpusBleu(HYPS, REFS, corpus(BleuTokenizer.V13A, Smoothing.NONE)).score(),
        EPSILON);
  }

  @Test
  void shouldMatchSacrebleuEffectiveOrderCases() {
    // test_case_effective_order
    assertEquals(
        0.3678794411714425,
        rawCorpusBleu(List.of("test"), List.of(List.of("a test")), .01).score() / 100,
        EPSILON);
    assertEquals(
        1.0,
        rawCorpusBleu(List.of("a test"), List.of(List.of("a test")), .01).score() / 100,
        EPSILON);
    assertEquals(
        0.03218297948685433,
        rawCorpusBleu(List.of("a little test"), List.of(List.of("a test")), .01).score() / 100,
        EPSILON);
  }

  @Test
  void shouldMatchSacrebleuStatistics() {
    // test_case_statistics
    Bleu.Score score =
        rawCorpusBleu(
            List.of("am I am a character sequence"),
            List.of(List.of("I am a symbol string sequence a a")),
            .01);

    assertEquals(List.of(4.0, 2.0, 1.0, 0.0), score.counts());
    assertEquals(List.of(6.0, 5.0, 4.0, 3.0), score.totals());
  }

  @Test
  void shouldMatchSacrebleuScoringFromStatistics() {
    // test_case_scoring: compute_bleu with its default smoothing, 'none'
    Bleu.Score score =
        Bleu.computeBleu(
            new double[] {9, 7, 5, 3},
            new double[] {10, 8, 6, 4},
            11,
            11,
            Smoothing.NONE,
            null,
            false,
            4);

    assertEquals(0.8375922397, score.score() / 100, EPSILON);
  }

  @Test
  void shouldMatchSacrebleuOffsetCases() {
    // test_case_offset: floor 0.0 gives 0; no value means the default floor of 0.1
    List<String> hyp = List.of("am I am a character sequence");
    List<List<String>> ref = List.of(List.of("I am a symbol string sequence a a"));

    assertEquals(0.0, rawCorpusBleu(hyp, ref, 0.0).score() / 100, EPSILON);
    assertEquals(0.1555722182, rawCorpusBleu(hyp, ref, null).score() / 100, EPSILON);
  }

  @Test
  void shouldMatchSacrebleuDegenerateStatistics() {
    // test_case_degenerate_stats: floor smoothing, each exactly 0
    double[][][] stats = {
      {{0, 0, 0, 0}, {4, 4, 2, 1}},
      {{0, 0, 0, 0}, {10, 11, 12, 0}},
      {{0, 0, 0, 0}, {0, 0, 0, 0}},
      {{6, 5, 4, 0}, {6, 5, 4, 3}},
      {{0, 0, 0, 0}, {0, 0, 0, 0}},
      {{0, 0, 0, 0}, {0, 0, 0, 0}}
    };
    int[][] lengths = {{0, 1}, {14, 10}, {0, 0}, {6, 6}, {0, 0}, {1, 5}};
    double[] offsets = {0.0, 0.0, 0.0, 0.0, 0.1, 0.01};
    for (int i = 0; i < stats.length; i++) {
      Bleu.Score score =
          Bleu.computeBleu(
              stats[i][0],
              stats[i][1],
              lengths[i][0],
              lengths[i][1],
              Smoothing.FLOOR,
              offsets[i],
              false,
              4);
      assertEquals(0.0, score.score(), "case " + i);
    }
  }

  @Test
  void shouldMatchSacrebleuMaxNgramOrders() {
    // test_bleu_max_order, compared as sacreBLEU does: formatted to two decimals
    String[] expected = {"77.65", "60.50", "53.93", "48.53", "46.14", "43.28"};
    for (int order = 1; order <= 6; order++) {
      Settings settings =
          new Settings(BleuTokenizer.V13A, false, Smoothing.EXP, null, order, false);
      assertEquals(
          expected[order - 1],
          String.format(Locale.ROOT, "%.2f", Bleu.corpusBleu(HYPS, REFS, settings).score()),
          "order " + order);
    }
  }

  // test_sentence_bleu.py: "Example taken from #98", tolerance 1e-3.
  private static final String REF = "producţia de zahăr brut se exprimă în zahăr alb;";
  private static final String SYS =
      "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

  private static double sentence(
      Smoothing smoothing, Double value, boolean lowercase, BleuTokenizer tokenizer) {
    return Bleu.sentenceBleu(
            SYS, List.of(REF), new Settings(tokenizer, lowercase, smoothing, value, 4, true))
        .score();
  }

  @Test
  void shouldMatchSacrebleuSentenceBleuCases() {
    double eps = 1e-3;
    assertEquals(8.493, sentence(Smoothing.EXP, null, false, BleuTokenizer.V13A), eps);
    assertEquals(0.0, sentence(Smoothing.NONE, null, false, BleuTokenizer.V13A), eps);
    assertEquals(4.51688, sentence(Smoothing.FLOOR, null, false, BleuTokenizer.V13A), eps);
    assertEquals(4.51688, sentence(Smoothing.FLOOR, 0.1, false, BleuTokenizer.V13A), eps);
    assertEquals(10.10, sentence(Smoothing.FLOOR, 0.5, false, BleuTokenizer.V13A), eps);
    assertEquals(14.882, sentence(Smoothing.ADD_K, null, false, BleuTokenizer.V13A), eps);
    assertEquals(14.882, sentence(Smoothing.ADD_K, 1.0, false, BleuTokenizer.V13A), eps);
    assertEquals(21.389, sentence(Smoothing.ADD_K, 2.0, false, BleuTokenizer.V13A), eps);
    assertEquals(7.347, sentence(Smoothing.EXP, null, false, BleuTokenizer.NONE), eps);
    assertEquals(8.493, sentence(Smoothing.EXP, null, false, BleuTokenizer.INTL), eps);
    assertEquals(40.8759, sentence(Smoothing.EXP, null, false, BleuTokenizer.CHAR), eps);
    assertEquals(42.0267, sentence(Smoothing.EXP, null, true, BleuTokenizer.CHAR), eps);
    // The default settings are the first case's.
    assertEquals(8.493, Bleu.sentenceBleu(SYS, List.of(REF)).score(), eps);
  }

  @Test
  void shouldMatchSacrebleuZeroSentenceBleuCases() {
    // test_cases_zero_bleu ("Example taken from #141"): nothing matches, so 0 whatever smoothing
    for (Smoothing smoothing : Smoothing.values()) {
      Settings settings = new Settings(BleuTokenizer.V13A, false, smoothing, null, 4, true);
      assertEquals(
          0.0,
          Bleu.sentenceBleu("this is a cat", List.of("okay thanks"), settings).score(),
          1e-3,
          smoothing.name());
    }
  }

  @Test
  void shouldTokenizeLike13a() {
    // Not from sacreBLEU's tests: outputs of sacreBLEU 2.6.0's Tokenizer13a for these lines.
    assertEquals(
        "Hello , world ! It costs $ 1,000.50 - or 3.5 % .",
        BleuTokenizer.V13A.tokenize("Hello, world! It costs $1,000.50 - or 3.5%."));
    assertEquals("a & b \" c \"", BleuTokenizer.V13A.tokenize("a &amp; b &quot;c&quot;"));
    assertEquals("wasn't 10 - 20", BleuTokenizer.V13A.tokenize("wasn't 10-20"));
  }

  @Test
  void shouldRejectReferenceStreamsOfTheWrongLength() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Bleu.corpusBleu(List.of("a", "b"), List.of(List.of("a"))));
    assertThrows(IllegalArgumentException.class, () -> Bleu.sentenceBleu("a", List.of()));
  }
}
