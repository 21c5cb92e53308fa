package dev.llmtestbench.evaluation.metrics;

import java.util.regex.Pattern;

/** sacreBLEU's tokenizers ({@code sacrebleu/tokenizers}): each returns tokens joined by spaces. */
public enum BleuTokenizer {

  /** {@code none}: the text as it is. */
  NONE {
    @Override
    public String tokenize(String line) {
      return line;
    }
  },

  /** {@code 13a}: sacreBLEU's default, equivalent to mteval-v13a.pl as used by WMT. */
  V13A {
    @Override
    public String tokenize(String line) {
      String text = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
      if (text.contains("&")) {
        text =
            text.replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
      }
      text = " " + text + " ";
      text = SYMBOLS.matcher(text).replaceAll(" $1 ");
      text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
      text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
      text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
      return PyText.normalizeSpace(text);
    }
  },

  /**
   * {@code intl}: mteval-v14.pl's international tokenization on Unicode punctuation and symbols.
   */
  INTL {
    @Override
    public String tokenize(String line) {
      String text = INTL_PUNCT_AFTER_NON_NUMBER.matcher(line).replaceAll("$1 $2 ");
      text = INTL_PUNCT_BEFORE_NON_NUMBER.matcher(text).replaceAll(" $1 $2");
      text = INTL_SYMBOL.matcher(text).replaceAll(" $1 ");
      return PyText.normalizeSpace(text);
    }
  },

  /** {@code char}: every character a token. */
  CHAR {
    @Override
    public String tokenize(String line) {
      StringBuilder out = new StringBuilder(line.length() * 2);
      line.codePoints()
          .forEach(
              cp -> {
                if (out.length() > 0) {
                  out.append(' ');
                }
                out.appendCodePoint(cp);
              });
      return out.toString();
    }
  };

  // tokenizer_re.py, kept character for character.
  private static final Pattern SYMBOLS =
      Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
  private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
  private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
  private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");
  // tokenizer_intl.py.
  private static final Pattern INTL_PUNCT_AFTER_NON_NUMBER = Pattern.compile("(\\P{N})(\\p{P})");
  private static final Pattern INTL_PUNCT_BEFORE_NON_NUMBER = Pattern.compile("(\\p{P})(\\P{N})");
  private static final Pattern INTL_SYMBOL = Pattern.compile("(\\p{S})");

  /** Tokenizes one line. */
  public abstract String tokenize(String line);
}
