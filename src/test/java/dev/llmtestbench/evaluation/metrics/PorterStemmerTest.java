package dev.llmtestbench.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.evaluation.metrics.PorterStemmer.Mode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Porter stemmer vectors.
 *
 * <ul>
 *   <li>Martin Porter's test vocabulary and its stems,
 *       https://tartarus.org/martin/PorterStemmer/voc.txt and output.txt (which NLTK's
 *       test_vocabulary_martin_mode checks MARTIN_EXTENSIONS against): the second column below, a
 *       sample of the 23,531 words.
 *   <li>The same words in NLTK_EXTENSIONS and ORIGINAL_ALGORITHM modes (third and fourth columns),
 *       as NLTK 3.10.3 stems them; NLTK's own expected files for those modes are in nltk_data.
 *   <li>nltk/test/stem.doctest and nltk/test/unit/test_stem.py at
 *       https://github.com/nltk/nltk/tree/f2a92bd7e360e39a4439e4d97540fd68f2721451.
 * </ul>
 *
 * <p>During development the whole vocabulary was compared in all three modes (70,593 stems, no
 * difference); the files are not kept in this repository.
 */
class PorterStemmerTest {

  private static final String[][] VOCABULARY = {
    // word, Martin's output.txt, NLTK_EXTENSIONS, ORIGINAL_ALGORITHM
    {"abbey", "abbei", "abbey", "abbei"},
    {"abed", "ab", "abe", "ab"},
    {"aged", "ag", "age", "ag"},
    {"always", "alwai", "alway", "alwai"},
    {"annoying", "annoi", "annoy", "annoi"},
    {"ate", "at", "ate", "at"},
    {"ties", "ti", "tie", "ti"},
    {"apology", "apolog", "apolog", "apologi"},
    {"assemblies", "assembl", "assembl", "assembli"},
    {"as", "as", "as", "a"},
    {"is", "is", "is", "i"},
    {"s", "s", "s", ""},
    {"possibly", "possibl", "possibl", "possibli"},
    {"sensibly", "sensibl", "sensibl", "sensibli"},
    {"infallibly", "infal", "infal", "infallibli"},
    {"corruptibly", "corrupt", "corrupt", "corruptibli"},
    {"adoption", "adopt", "adopt", "adopt"},
    {"agreed", "agre", "agre", "agre"},
    {"allowance", "allow", "allow", "allow"},
    {"bled", "bled", "bled", "bled"},
    {"cats", "cat", "cat", "cat"},
    {"cease", "ceas", "ceas", "ceas"},
    {"controlling", "control", "control", "control"},
    {"defensible", "defens", "defens", "defens"},
    {"dependent", "depend", "depend", "depend"},
    {"failing", "fail", "fail", "fail"},
    {"falling", "fall", "fall", "fall"},
    {"feed", "feed", "feed", "feed"},
    {"goodness", "good", "good", "good"},
    {"happy", "happi", "happi", "happi"},
    {"hissing", "hiss", "hiss", "hiss"},
    {"hopeful", "hope", "hope", "hope"},
    {"inference", "infer", "infer", "infer"},
    {"rate", "rate", "rate", "rate"},
    {"rational", "ration", "ration", "ration"},
    {"roll", "roll", "roll", "roll"},
    {"sing", "sing", "sing", "sing"},
    {"sky", "sky", "sky", "sky"},
    {"tanned", "tan", "tan", "tan"},
    {"troubled", "troubl", "troubl", "troubl"}
  };

  @Test
  void shouldMatchMartinPortersOutputInMartinMode() {
    PorterStemmer stemmer = new PorterStemmer(Mode.MARTIN_EXTENSIONS);
    for (String[] row : VOCABULARY) {
      assertEquals(row[1], stemmer.stem(row[0]), row[0]);
    }
  }

  @Test
  void shouldMatchNltkInNltkAndOriginalModes() {
    PorterStemmer original = new PorterStemmer(Mode.ORIGINAL_ALGORITHM);
    for (String[] row : VOCABULARY) {
      assertEquals(row[2], PorterStemmer.NLTK.stem(row[0]), "NLTK mode: " + row[0]);
      assertEquals(row[3], original.stem(row[0]), "original: " + row[0]);
    }
  }

  @Test
  void shouldMatchNltkStemDoctest() {
    String[] plurals = {
      "caresses",
      "flies",
      "dies",
      "mules",
      "denied",
      "died",
      "agreed",
      "owned",
      "humbled",
      "sized",
      "meeting",
      "stating",
      "siezing",
      "itemization",
      "sensational",
      "traditional",
      "reference",
      "colonizer",
      "plotted"
    };
    List<String> singles = new ArrayList<>();
    for (String plural : plurals) {
      singles.add(PorterStemmer.NLTK.stem(plural));
    }

    assertEquals(
        "caress fli die mule deni die agre own humbl size meet state siez item sensat tradit refer"
            + " colon plot",
        String.join(" ", singles));
  }

  @Test
  void shouldStemOedWithoutError() {
    // test_stem.py test_oed_bug (NLTK issue #1581)
    assertEquals("o", PorterStemmer.NLTK.stem("oed"));
  }

  @Test
  void shouldLowercaseUnlessAskedNotTo() {
    // test_stem.py test_lowercase_option (NLTK issue #2507)
    assertEquals("on", PorterStemmer.NLTK.stem("On"));
    assertEquals("i", PorterStemmer.NLTK.stem("I"));
    assertEquals("I", PorterStemmer.NLTK.stem("I", false));
    assertEquals("github", PorterStemmer.NLTK.stem("Github"));
    assertEquals("Github", PorterStemmer.NLTK.stem("Github", false));
  }

  @Test
  void shouldTreatCharactersOutsideTheBmpAsOneLetterEach() {
    // As in Python, an emoji is one character: two at the end are a double consonant, so step 1b
    // removes one of them ("a😀😀ing" -> "a😀😀" -> "a😀"), as NLTK 3.10.3 does.
    assertEquals("a😀", PorterStemmer.NLTK.stem("a😀😀ing"));
  }

  @Test
  void shouldHandleLongRunsOfYWithoutRecursion() {
    String word = "y".repeat(100_000);
    assertEquals(word.length(), PorterStemmer.NLTK.stem(word).length());
  }
}
