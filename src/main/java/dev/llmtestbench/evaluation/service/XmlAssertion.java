package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * {@code is-xml} and {@code contains-xml}: the output is, or contains, well-formed XML (XML 1.0,
 * without namespace checks), checked by the JDK's own SAX parser in its secure configuration: DTDs
 * are refused, so a {@code <!DOCTYPE>} fails the check, and no external entity or DTD is ever
 * loaded.
 *
 * <p>{@code is-xml} parses the whole output with surrounding whitespace removed. {@code
 * contains-xml} looks for elements in the text: each outermost run from a start tag to its matching
 * end tag (or a self-closing tag) is a candidate, and the assertion holds if one candidate, or,
 * failing that, one of the elements nested in it, is well-formed. Optionally every one of {@code
 * requiredElements} (dot-separated paths from the root element, e.g. {@code analysis.color}) must
 * occur, as in promptfoo.
 */
final class XmlAssertion extends BaseAssertion {

  private static final SAXParserFactory FACTORY = secureFactory();

  /** Ignores content; DefaultHandler throws on fatal errors and ignores everything else. */
  private static final DefaultHandler QUIET = new DefaultHandler();

  private static final String NOT_WELL_FORMED = "not well-formed";
  private static final Pattern ELEMENT_PATH = Pattern.compile("[^.\\s<>]+(\\.[^.\\s<>]+)*");
  private static final int BUDGET_PER_CHAR = 8;
  private static final int MIN_BUDGET = 1 << 16;

  private final boolean whole;
  private final List<String> requiredElements;
  private final String verb;
  private final String negatedFact;
  private final AssertionResult whenValid;

  /**
   * Creates the assertion.
   *
   * @param whole true for {@code is-xml}, false for {@code contains-xml}
   * @param requiredElements dot-separated element paths that must occur; may be empty
   */
  XmlAssertion(Settings settings, boolean whole, List<String> requiredElements) {
    super(settings);
    this.whole = whole;
    this.requiredElements = List.copyOf(requiredElements);
    String what = whole ? "be well-formed XML" : "contain well-formed XML";
    String fact = whole ? "is well-formed XML" : "contains well-formed XML";
    String with =
        requiredElements.isEmpty()
            ? ""
            : " with the elements " + String.join(", ", requiredElements);
    this.verb = what + with;
    this.negatedFact =
        (whole ? "is not well-formed XML" : "does not contain well-formed XML") + with;
    this.whenValid = outputResult(true, verb, fact + with, null);
  }

  /**
   * Reads the optional value {@code {"requiredElements": ["root.child", ...]}}.
   *
   * @return the required element paths, empty without a value
   */
  static List<String> requiredElements(String value, AssertionValues.Problems problems) {
    if (value == null) {
      return List.of();
    }
    String example = "{\"requiredElements\": [\"analysis.classification\", \"analysis.color\"]}";
    JsonObject object =
        AssertionValues.jsonObject(value, Set.of("requiredElements"), example, problems);
    List<String> paths = new ArrayList<>();
    if (object.get("requiredElements") instanceof JsonArray array) {
      for (JsonValue item : array) {
        if (!(item instanceof JsonString path)
            || !ELEMENT_PATH.matcher(path.getString()).matches()) {
          throw problems.apply(
              "'requiredElements' must list dot-separated element paths, e.g. "
                  + example
                  + "; "
                  + JsonSupport.describe(item)
                  + " is not one.");
        }
        paths.add(path.getString());
      }
    }
    if (paths.isEmpty()) {
      throw problems.apply("'value' must list at least one required element, e.g. " + example);
    }
    return List.copyOf(paths);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String problem = whole ? wholeProblem(ctx.output().strip()) : containedProblem(ctx.output());
    if (problem == null) {
      return whenValid;
    }
    return outputResult(false, verb + ": " + problem, null, negatedFact + ": " + problem);
  }

  private String wholeProblem(String xml) {
    if (xml.isEmpty()) {
      return "the output is empty";
    }
    return problem(xml);
  }

  private String containedProblem(String output) {
    List<Span> candidates = candidates(output);
    if (candidates.isEmpty()) {
      return "no XML element found";
    }
    long budget = Math.max(MIN_BUDGET, (long) BUDGET_PER_CHAR * output.length());
    String first = null;
    // Outermost elements that parsed but lacked a required element; what they contain is not
    // tried again, since required paths start at the root of what is parsed.
    Set<Integer> wellFormedRoots = new HashSet<>();
    for (Span span : candidates) {
      if (span.depth() > 0 && wellFormedRoots.contains(span.root())) {
        continue;
      }
      budget -= span.end() - span.start();
      if (budget < 0) {
        return first != null ? first : "too much malformed XML-like text to check";
      }
      String problem = problem(output.substring(span.start(), span.end()));
      if (problem == null) {
        return null;
      }
      if (span.depth() == 0 && !problem.startsWith(NOT_WELL_FORMED)) {
        wellFormedRoots.add(span.start());
      }
      first = first == null ? problem : first;
    }
    return first;
  }

  /** Returns why the text is not acceptable XML, or null when it is. */
  private String problem(String xml) {
    PathCollector paths = requiredElements.isEmpty() ? null : new PathCollector();
    try {
      SAXParser parser;
      // A SAXParserFactory is not guaranteed to be thread-safe; parsers are cheap to create.
      synchronized (FACTORY) {
        parser = FACTORY.newSAXParser();
      }
      parser.parse(new InputSource(new StringReader(xml)), paths != null ? paths : QUIET);
    } catch (SAXParseException e) {
      return NOT_WELL_FORMED
          + " at line "
          + e.getLineNumber()
          + ", column "
          + e.getColumnNumber()
          + ": "
          + describe(e);
    } catch (SAXException | java.io.IOException | ParserConfigurationException e) {
      return NOT_WELL_FORMED + ": " + e.getMessage();
    }
    if (paths != null) {
      for (String path : requiredElements) {
        if (!paths.seen.contains(path)) {
          return "it lacks the element " + path;
        }
      }
    }
    return null;
  }

  private static String describe(SAXParseException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("DOCTYPE")
        ? "DOCTYPE declarations are not accepted (DTDs are disabled for security)"
        : message;
  }

  /**
   * Finds the spans of elements: outermost first, then those nested in them. A stray end tag
   * discards the elements open at that point, so an unclosed start tag yields no span.
   */
  static List<Span> candidates(String text) {
    List<Span> spans = new ArrayList<>();
    Deque<int[]> open = new ArrayDeque<>(); // {start, nameStart, nameEnd}
    int i = text.indexOf('<');
    while (i >= 0 && i < text.length() - 1) {
      char next = text.charAt(i + 1);
      int end = tagEnd(text, i);
      if (end < 0) {
        i = text.indexOf('<', i + 1);
        continue;
      }
      if (next == '/') {
        int nameEnd = nameEnd(text, i + 2);
        int[] top = open.peek();
        if (top != null
            && nameEnd > i + 2
            && text.regionMatches(top[1], text, i + 2, nameEnd - (i + 2))
            && top[2] - top[1] == nameEnd - (i + 2)) {
          open.pop();
          spans.add(new Span(top[0], end + 1, open.size(), root(open, top[0])));
        } else {
          open.clear();
        }
      } else if (isNameStart(next)) {
        int nameEnd = nameEnd(text, i + 1);
        if (text.charAt(end - 1) == '/') {
          spans.add(new Span(i, end + 1, open.size(), root(open, i)));
        } else {
          open.push(new int[] {i, i + 1, nameEnd});
        }
      }
      i = text.indexOf('<', end + 1);
    }
    // Outermost (depth 0) spans first, in text order; deeper ones after, for a second chance.
    spans.sort(
        (a, b) ->
            a.depth() != b.depth()
                ? Integer.compare(a.depth(), b.depth())
                : Integer.compare(a.start(), b.start()));
    return spans;
  }

  private static int root(Deque<int[]> open, int start) {
    return open.isEmpty() ? start : open.peekLast()[0];
  }

  /** An element's place in the text, its nesting depth and where its outermost ancestor starts. */
  record Span(int start, int end, int depth, int root) {}

  /** Returns the index of the '>' closing the tag at {@code start}, or -1 if there is none. */
  private static int tagEnd(String text, int start) {
    char quote = 0;
    for (int i = start + 1; i < text.length(); i++) {
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

  private static int nameEnd(String text, int start) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!(isNameStart(c) || Character.isDigit(c) || c == '-' || c == '.')) {
        break;
      }
      i++;
    }
    return i;
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static SAXParserFactory secureFactory() {
    // The JDK's own implementation, whatever else is on the class path, so the features below
    // are known to exist.
    SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
    try {
      factory.setNamespaceAware(false);
      factory.setValidating(false);
      factory.setXIncludeAware(false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("The JDK's SAX parser lacks a security feature", e);
    }
    return factory;
  }

  /** Records the dot-separated path of every element, from the root. */
  private static final class PathCollector extends DefaultHandler {
    final Set<String> seen = new HashSet<>();
    private final Deque<String> path = new ArrayDeque<>();

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
      String parent = path.peek();
      String current = parent == null ? qName : parent + "." + qName;
      path.push(current);
      seen.add(current);
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
      path.pop();
    }
  }
}
