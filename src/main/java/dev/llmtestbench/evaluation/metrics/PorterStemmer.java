package dev.llmtestbench.evaluation.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Porter stemmer as NLTK implements it ({@code nltk.stem.porter.PorterStemmer}), in any of its
 * three modes; the default, {@link Mode#NLTK_EXTENSIONS}, is the one rouge_score and NLTK's METEOR
 * use.
 *
 * <p>Words are handled as sequences of code points, as Python strings are, so that a word with
 * characters outside the Basic Multilingual Plane stems exactly as in NLTK.
 */
public final class PorterStemmer {

  /** The variants of the algorithm, named as in NLTK. */
  public enum Mode {
    /** Faithful to Porter's 1980 paper, which Martin Porter himself deprecates. */
    ORIGINAL_ALGORITHM,
    /** With the changes in the implementations on Martin Porter's website (frozen). */
    MARTIN_EXTENSIONS,
    /** With NLTK's further improvements: NLTK's default, and the mode rouge_score uses. */
    NLTK_EXTENSIONS
  }

  /** The stemmer in NLTK's default mode. */
  public static final PorterStemmer NLTK = new PorterStemmer(Mode.NLTK_EXTENSIONS);

  // NLTK_EXTENSIONS' table of irregular forms, word -> stem.
  private static final Map<String, String> POOL =
      Map.ofEntries(
          Map.entry("sky", "sky"),
          Map.entry("skies", "sky"),
          Map.entry("dying", "die"),
          Map.entry("lying", "lie"),
          Map.entry("tying", "tie"),
          Map.entry("news", "news"),
          Map.entry("innings", "inning"),
          Map.entry("inning", "inning"),
          Map.entry("outings", "outing"),
          Map.entry("outing", "outing"),
          Map.entry("cannings", "canning"),
          Map.entry("canning", "canning"),
          Map.entry("howe", "howe"),
          Map.entry("proceed", "proceed"),
          Map.entry("exceed", "exceed"),
          Map.entry("succeed", "succeed"));

  private final Mode mode;

  /** Creates a stemmer in the given mode. */
  public PorterStemmer(Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("mode is required");
    }
    this.mode = mode;
  }

  /** Returns this stemmer's mode. */
  public Mode mode() {
    return mode;
  }

  /** Stems a word after lower-casing it, as NLTK's {@code stem(word)} does by default. */
  public String stem(String word) {
    return stem(word, true);
  }

  /**
   * Stems a word.
   *
   * @param word the word; not null
   * @param toLowercase whether to lower-case the word first (NLTK's {@code to_lowercase})
   */
  public String stem(String word, boolean toLowercase) {
    String lowered = toLowercase ? PyText.lower(word) : word;
    // NLTK looks the word up as given, not lower-cased.
    if (mode == Mode.NLTK_EXTENSIONS && POOL.containsKey(word)) {
      return POOL.get(word);
    }
    if (mode != Mode.ORIGINAL_ALGORITHM && word.codePointCount(0, word.length()) <= 2) {
      return lowered;
    }
    int[] w = lowered.codePoints().toArray();
    w = step1a(w);
    w = step1b(w);
    w = step1c(w);
    w = step2(w);
    w = step3(w);
    w = step4(w);
    w = step5a(w);
    w = step5b(w);
    return new String(w, 0, w.length);
  }

  // --- Word primitives -------------------------------------------------------------------

  private static boolean isVowelLetter(int c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
  }

  /** Which letters are consonants: y is one at the start or after a vowel. */
  private static boolean[] consonants(int[] w, int length) {
    boolean[] consonant = new boolean[length];
    for (int i = 0; i < length; i++) {
      if (isVowelLetter(w[i])) {
        consonant[i] = false;
      } else if (w[i] == 'y') {
        consonant[i] = i == 0 || !consonant[i - 1];
      } else {
        consonant[i] = true;
      }
    }
    return consonant;
  }

  private static boolean isConsonant(int[] w, int i) {
    return consonants(w, i + 1)[i];
  }

  /** Porter's m: the number of vowel-consonant sequences in the stem. */
  private static int measure(int[] stem) {
    boolean[] consonant = consonants(stem, stem.length);
    int m = 0;
    for (int i = 0; i + 1 < stem.length; i++) {
      if (!consonant[i] && consonant[i + 1]) {
        m++;
      }
    }
    return m;
  }

  private static boolean hasPositiveMeasure(int[] stem) {
    return measure(stem) > 0;
  }

  private static boolean containsVowel(int[] stem) {
    boolean[] consonant = consonants(stem, stem.length);
    for (boolean c : consonant) {
      if (!c) {
        return true;
      }
    }
    return false;
  }

  /** Condition *d: ends with a double consonant. */
  private static boolean endsDoubleConsonant(int[] w) {
    int n = w.length;
    return n >= 2 && w[n - 1] == w[n - 2] && isConsonant(w, n - 1);
  }

  /** Condition *o: ends consonant-vowel-consonant, the last not w, x or y (plus NLTK's vc). */
  private boolean endsCvc(int[] w) {
    int n = w.length;
    if (n >= 3) {
      boolean[] c = consonants(w, n);
      if (c[n - 3]
          && !c[n - 2]
          && c[n - 1]
          && w[n - 1] != 'w'
          && w[n - 1] != 'x'
          && w[n - 1] != 'y') {
        return true;
      }
    }
    if (mode == Mode.NLTK_EXTENSIONS && n == 2) {
      boolean[] c = consonants(w, n);
      return !c[0] && c[1];
    }
    return false;
  }

  private static boolean endsWith(int[] w, String suffix) {
    int n = suffix.length();
    if (n > w.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (w[w.length - n + i] != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int[] dropLast(int[] w, int count) {
    return Arrays.copyOf(w, w.length - count);
  }

  private static int[] append(int[] w, String suffix) {
    int[] out = Arrays.copyOf(w, w.length + suffix.length());
    for (int i = 0; i < suffix.length(); i++) {
      out[w.length + i] = suffix.charAt(i);
    }
    return out;
  }

  private static int[] replaceSuffix(int[] w, String suffix, String replacement) {
    return append(dropLast(w, suffix.length()), replacement);
  }

  /** A suffix rule: the condition tests the stem left once the suffix is removed. */
  private record Rule(String suffix, String replacement, Predicate<int[]> condition) {}

  /**
   * Applies the first rule whose suffix the word ends with; if its condition fails, no later rule
   * is tried (NLTK's {@code _apply_rule_list} without the *d rule, handled in step 1b).
   */
  private static int[] applyRules(int[] word, Rule... rules) {
    for (Rule rule : rules) {
      if (endsWith(word, rule.suffix())) {
        int[] stem = dropLast(word, rule.suffix().length());
        return rule.condition() == null || rule.condition().test(stem)
            ? append(stem, rule.replacement())
            : word;
      }
    }
    return word;
  }

  // --- Steps -----------------------------------------------------------------------------

  private int[] step1a(int[] w) {
    // NLTK only: 'dies' -> 'die' while 'flies' -> 'fli'.
    if (mode == Mode.NLTK_EXTENSIONS && endsWith(w, "ies") && w.length == 4) {
      return replaceSuffix(w, "ies", "ie");
    }
    return applyRules(
        w,
        new Rule("sses", "ss", null),
        new Rule("ies", "i", null),
        new Rule("ss", "ss", null),
        new Rule("s", "", null));
  }

  private int[] step1b(int[] w) {
    // NLTK only: 'died' -> 'die' while 'spied' -> 'spi'.
    if (mode == Mode.NLTK_EXTENSIONS && endsWith(w, "ied")) {
      return replaceSuffix(w, "ied", w.length == 4 ? "ie" : "i");
    }
    if (endsWith(w, "eed")) {
      int[] stem = dropLast(w, 3);
      return measure(stem) > 0 ? append(stem, "ee") : w;
    }
    int[] stem = null;
    for (String suffix : new String[] {"ed", "ing"}) {
      if (endsWith(w, suffix)) {
        int[] candidate = dropLast(w, suffix.length());
        if (containsVowel(candidate)) {
          stem = candidate;
          break;
        }
      }
    }
    if (stem == null) {
      return w;
    }
    if (endsWith(stem, "at")) {
      return append(stem, "e");
    }
    if (endsWith(stem, "bl")) {
      return append(stem, "e");
    }
    if (endsWith(stem, "iz")) {
      return append(stem, "e");
    }
    if (endsDoubleConsonant(stem)) {
      int last = stem[stem.length - 1];
      return last != 'l' && last != 's' && last != 'z' ? dropLast(stem, 1) : stem;
    }
    return measure(stem) == 1 && endsCvc(stem) ? append(stem, "e") : stem;
  }

  private int[] step1c(int[] w) {
    Predicate<int[]> condition =
        mode == Mode.NLTK_EXTENSIONS
            // NLTK: y -> i only after a consonant that is not the whole stem ('spy' -> 'spi').
            ? stem -> stem.length > 1 && isConsonant(stem, stem.length - 1)
            : PorterStemmer::containsVowel;
    return applyRules(w, new Rule("y", "i", condition));
  }

  private int[] step2(int[] w) {
    Predicate<int[]> m0 = PorterStemmer::hasPositiveMeasure;
    if (mode == Mode.NLTK_EXTENSIONS && endsWith(w, "alli") && hasPositiveMeasure(dropLast(w, 4))) {
      return step2(replaceSuffix(w, "alli", "al"));
    }
    Rule[] common = {
      new Rule("ational", "ate", m0),
      new Rule("tional", "tion", m0),
      new Rule("enci", "ence", m0),
      new Rule("anci", "ance", m0),
      new Rule("izer", "ize", m0),
      mode == Mode.ORIGINAL_ALGORITHM ? new Rule("abli", "able", m0) : new Rule("bli", "ble", m0),
      new Rule("alli", "al", m0),
      new Rule("entli", "ent", m0),
      new Rule("eli", "e", m0),
      new Rule("ousli", "ous", m0),
      new Rule("ization", "ize", m0),
      new Rule("ation", "ate", m0),
      new Rule("ator", "ate", m0),
      new Rule("alism", "al", m0),
      new Rule("iveness", "ive", m0),
      new Rule("fulness", "ful", m0),
      new Rule("ousness", "ous", m0),
      new Rule("aliti", "al", m0),
      new Rule("iviti", "ive", m0),
      new Rule("biliti", "ble", m0)
    };
    Rule[] rules;
    switch (mode) {
      case NLTK_EXTENSIONS:
        rules = Arrays.copyOf(common, common.length + 2);
        rules[common.length] = new Rule("fulli", "ful", m0);
        // The 'l' of 'logi' stays with the stem, so short stems like 'geo' work as 'archaeo'.
        int[] word = w;
        rules[common.length + 1] =
            new Rule("logi", "log", stem -> hasPositiveMeasure(dropLast(word, 3)));
        break;
      case MARTIN_EXTENSIONS:
        rules = Arrays.copyOf(common, common.length + 1);
        rules[common.length] = new Rule("logi", "log", m0);
        break;
      default:
        rules = common;
    }
    return applyRules(w, rules);
  }

  private int[] step3(int[] w) {
    Predicate<int[]> m0 = PorterStemmer::hasPositiveMeasure;
    return applyRules(
        w,
        new Rule("icate", "ic", m0),
        new Rule("ative", "", m0),
        new Rule("alize", "al", m0),
        new Rule("iciti", "ic", m0),
        new Rule("ical", "ic", m0),
        new Rule("ful", "", m0),
        new Rule("ness", "", m0));
  }

  private int[] step4(int[] w) {
    Predicate<int[]> m1 = stem -> measure(stem) > 1;
    return applyRules(
        w,
        new Rule("al", "", m1),
        new Rule("ance", "", m1),
        new Rule("ence", "", m1),
        new Rule("er", "", m1),
        new Rule("ic", "", m1),
        new Rule("able", "", m1),
        new Rule("ible", "", m1),
        new Rule("ant", "", m1),
        new Rule("ement", "", m1),
        new Rule("ment", "", m1),
        new Rule("ent", "", m1),
        new Rule(
            "ion",
            "",
            stem ->
                measure(stem) > 1
                    && (stem[stem.length - 1] == 's' || stem[stem.length - 1] == 't')),
        new Rule("ou", "", m1),
        new Rule("ism", "", m1),
        new Rule("ate", "", m1),
        new Rule("iti", "", m1),
        new Rule("ous", "", m1),
        new Rule("ive", "", m1),
        new Rule("ize", "", m1));
  }

  private int[] step5a(int[] w) {
    // Both (m>1) E -> and (m=1 and not *o) E -> are tried, unlike other consecutive rules.
    if (endsWith(w, "e")) {
      int[] stem = dropLast(w, 1);
      int m = measure(stem);
      if (m > 1 || (m == 1 && !endsCvc(stem))) {
        return stem;
      }
    }
    return w;
  }

  private int[] step5b(int[] w) {
    return applyRules(w, new Rule("ll", "l", stem -> measure(dropLast(w, 1)) > 1));
  }

  @Override
  public String toString() {
    return "PorterStemmer[" + mode + "]";
  }
}
