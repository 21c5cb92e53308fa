package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code is-html} and {@code contains-html}, decided by a documented heuristic over the tags in the
 * output, not by an HTML parser; element names are matched regardless of case, attributes are not
 * checked.
 *
 * <p>{@code contains-html}: the output contains at least one HTML element: a void element tag of a
 * known HTML element ({@code <br>}, {@code <img src="a.png">}, {@code <hr/>}, ...), or a start tag
 * of a known element followed later by its end tag ({@code <b>...</b>}). So "a < b", {@code
 * List<String>} or an unclosed {@code <p>} do not count.
 *
 * <p>{@code is-html}, as promptfoo defines it: the whole output, with surrounding whitespace
 * removed, is HTML: it does not start with an XML declaration; it has no text outside elements
 * (comments and a {@code <!DOCTYPE>} may stand there); every start tag is closed by its end tag,
 * properly nested, except void elements, self-closing tags ({@code <x/>}) and elements whose end
 * tag HTML lets one omit ({@code p}, {@code li}, {@code td}, ..., closed by the next sibling or by
 * their parent's end tag); the content of {@code script}, {@code style}, {@code textarea} and
 * {@code title} is skipped up to their end tag; and at least one element is a known HTML element,
 * so {@code <root><child/></root>} is not HTML; a custom element (a name with a hyphen, {@code
 * <my-card>}) counts as one, and other unknown names (e.g. SVG's {@code path}) are allowed.
 */
final class HtmlAssertion extends BaseAssertion {

  /** The elements of the HTML Living Standard, without obsolete ones. */
  static final Set<String> ELEMENTS =
      words(
          "a abbr address area article aside audio b base bdi bdo blockquote "
              + "body br button canvas caption cite code col colgroup data datalist "
              + "dd del details dfn dialog div dl dt em embed fieldset figcaption "
              + "figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i "
              + "iframe img input ins kbd label legend li link main map mark math "
              + "menu meta meter nav noscript object ol optgroup option output p "
              + "picture pre progress q rp rt ruby s samp script search section "
              + "select slot small source span strong style sub summary sup svg table "
              + "tbody td template textarea tfoot th thead time title tr track u ul "
              + "var video wbr");

  private static final Set<String> VOID =
      words("area base br col embed hr img input link meta source track wbr");
  private static final Set<String> RAW_TEXT = Set.of("script", "style", "textarea", "title");
  private static final Set<String> OPTIONAL_END =
      words(
          "html head body p li dt dd option optgroup tr td th thead tbody tfoot "
              + "colgroup caption rp rt");

  /** Elements that a start tag of the same name implicitly closes ({@code <li>a<li>b}). */
  private static final Set<String> SIBLING_CLOSED =
      Set.of("p", "li", "dt", "dd", "option", "tr", "td", "th");

  private final boolean whole;
  private final String verb;
  private final String negatedFact;
  private final AssertionResult whenHtml;

  /**
   * Creates the assertion.
   *
   * @param whole true for {@code is-html}, false for {@code contains-html}
   */
  HtmlAssertion(Settings settings, boolean whole) {
    super(settings);
    this.whole = whole;
    this.verb = whole ? "be HTML" : "contain HTML elements";
    this.negatedFact = whole ? "is not HTML" : "does not contain HTML elements";
    this.whenHtml = outputResult(true, verb, whole ? "is HTML" : "contains HTML elements", null);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String problem = whole ? notHtml(ctx.output().strip()) : noElement(ctx.output());
    if (problem == null) {
      return whenHtml;
    }
    return outputResult(false, verb + ": " + problem, null, negatedFact + ": " + problem);
  }

  /** Returns why the text holds no HTML element, or null when it holds one. */
  static String noElement(String text) {
    Set<String> opened = null;
    int i = text.indexOf('<');
    while (i >= 0 && i + 1 < text.length()) {
      boolean closing = text.charAt(i + 1) == '/';
      int nameStart = closing ? i + 2 : i + 1;
      int nameEnd = nameEnd(text, nameStart);
      int end = nameEnd > nameStart ? tagEnd(text, nameEnd) : -1;
      if (end < 0) {
        i = text.indexOf('<', i + 1);
        continue;
      }
      String name = text.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
      if (ELEMENTS.contains(name)) {
        if (closing) {
          if (opened != null && opened.contains(name)) {
            return null;
          }
        } else if (VOID.contains(name)) {
          return null;
        } else {
          opened = opened == null ? new HashSet<>() : opened;
          opened.add(name);
        }
      }
      i = text.indexOf('<', end + 1);
    }
    return "no HTML element (a void tag such as <br>, or a start tag and its end tag) found";
  }

  /** Returns why the text is not HTML as a whole, or null when it is. */
  static String notHtml(String text) {
    if (text.isEmpty()) {
      return "the output is empty";
    }
    if (text.regionMatches(true, 0, "<?xml", 0, 5)) {
      return "it is an XML document, not HTML";
    }
    Deque<String> open = new ArrayDeque<>();
    boolean known = false;
    int i = 0;
    while (i < text.length()) {
      int lt = text.indexOf('<', i);
      int textEnd = lt < 0 ? text.length() : lt;
      if (open.isEmpty() && !isBlank(text, i, textEnd)) {
        return "it has text outside HTML elements: " + excerpt(text, i);
      }
      if (lt < 0) {
        break;
      }
      if (text.startsWith("<!--", lt)) {
        int close = text.indexOf("-->", lt + 4);
        if (close < 0) {
          return "a comment is never closed";
        }
        i = close + 3;
        continue;
      }
      char next = lt + 1 < text.length() ? text.charAt(lt + 1) : ' ';
      boolean closing = next == '/';
      int nameStart = closing ? lt + 2 : lt + 1;
      int nameEnd = nameEnd(text, nameStart);
      if (next == '!' || nameEnd == nameStart) {
        // A <!DOCTYPE ...>, or a '<' that starts no tag ("a < b") and is just text.
        int end = next == '!' ? tagEnd(text, lt + 2) : -1;
        if (end < 0 && open.isEmpty()) {
          return "it has text outside HTML elements: " + excerpt(text, lt);
        }
        i = end < 0 ? lt + 1 : end + 1;
        continue;
      }
      int end = tagEnd(text, nameEnd);
      if (end < 0) {
        return "the tag " + excerpt(text, lt) + " is never closed with '>'";
      }
      String name = text.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
      // As in promptfoo, a custom element (a name with a hyphen) is as good as a known one.
      known |= ELEMENTS.contains(name) || name.indexOf('-') > 0;
      if (closing) {
        String problem = close(open, name);
        if (problem != null) {
          return problem;
        }
        i = end + 1;
        continue;
      }
      if (SIBLING_CLOSED.contains(name) && name.equals(open.peek())) {
        open.pop();
      }
      boolean selfClosing = text.charAt(end - 1) == '/';
      i = end + 1;
      if (VOID.contains(name) || selfClosing) {
        continue;
      }
      if (RAW_TEXT.contains(name)) {
        int endTag = indexOfIgnoreCase(text, "</" + name, i);
        if (endTag < 0) {
          return "<" + name + "> is never closed";
        }
        i = endTag;
      }
      open.push(name);
    }
    while (!open.isEmpty() && OPTIONAL_END.contains(open.peek())) {
      open.pop();
    }
    if (!open.isEmpty()) {
      return "<" + open.peek() + "> is never closed";
    }
    return known ? null : "it has no known HTML element";
  }

  private static String close(Deque<String> open, String name) {
    // End tags that HTML lets one omit are implied by the parent's end tag.
    while (!open.isEmpty() && !open.peek().equals(name) && OPTIONAL_END.contains(open.peek())) {
      open.pop();
    }
    if (name.equals(open.peek())) {
      open.pop();
      return null;
    }
    if (VOID.contains(name)) {
      return null; // A stray </br> is ignored, as browsers do.
    }
    return open.isEmpty()
        ? "</" + name + "> closes no element"
        : "</" + name + "> does not close <" + open.peek() + ">";
  }

  private static int nameEnd(String text, int start) {
    int i = start;
    if (i >= text.length() || !isAsciiLetter(text.charAt(i))) {
      return start;
    }
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '_')) {
        break;
      }
      i++;
    }
    // A name must end the tag or be followed by whitespace, '/' or '>': "<a.b>" is no tag.
    if (i < text.length()) {
      char c = text.charAt(i);
      if (!(Character.isWhitespace(c) || c == '/' || c == '>')) {
        return start;
      }
    }
    return i;
  }

  private static Set<String> words(String words) {
    return Set.of(words.split(" "));
  }

  private static boolean isBlank(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Quotes the text from an index on, cut short before it is copied. */
  private static String excerpt(String text, int from) {
    int start = from;
    while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    return quote(text.substring(start, Math.min(text.length(), start + 100)).strip());
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Returns the index of the '>' ending a tag whose name ends at {@code from}, or -1. */
  private static int tagEnd(String text, int from) {
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '<') {
        return -1;
      } else if (c == '>') {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfIgnoreCase(String text, String part, int from) {
    for (int i = from; i <= text.length() - part.length(); i++) {
      if (text.regionMatches(true, i, part, 0, part.length())) {
        return i;
      }
    }
    return -1;
  }
}
