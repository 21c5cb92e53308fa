package dev.llmtestbench.evaluation.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python string operations the reference implementations rely on, with Python's semantics:
 * whitespace is what {@code str.isspace()} accepts and lengths count code points.
 */
final class PyText {

  private PyText() {}

  /** Whether Python's {@code str.isspace()} is true for the code point. */
  static boolean isSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0d)
        || (cp >= 0x1c && cp <= 0x20)
        || cp == 0x85
        || cp == 0xa0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200a)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202f
        || cp == 0x205f
        || cp == 0x3000;
  }

  /** Python's {@code text.split()}: the runs of non-whitespace, in order. */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (isSpace(cp)) {
        if (start >= 0) {
          words.add(text.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      words.add(text.substring(start));
    }
    return words;
  }

  /** Python's {@code " ".join(text.split())}: whitespace runs collapsed, ends trimmed. */
  static String normalizeSpace(String text) {
    return String.join(" ", split(text));
  }

  /** Python's {@code text.rstrip()}. */
  static String rstrip(String text) {
    int end = text.length();
    while (end > 0) {
      int cp = text.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return text.substring(0, end);
  }

  /** Python's {@code text.lower()}, which like {@link Locale#ROOT} ignores the user's locale. */
  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
