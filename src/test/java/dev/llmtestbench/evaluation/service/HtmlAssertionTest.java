package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * is-html and contains-html. is-html's pass and fail examples are promptfoo's:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#is-html; the
 * heuristic deciding them is documented on {@link HtmlAssertion}.
 */
class HtmlAssertionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<!DOCTYPE html><html><head><title>T</title></head><body><p>Hi</p></body></html>",
        "<div>Content</div>",
        "<h1>Title</h1><p>Paragraph</p>",
        "<img src=\"test.jpg\" />",
        "  <ul><li>one<li>two</ul>\n",
        "<table><tr><td>1<td>2</table>",
        "<p>First<p>Second",
        "<!-- note --><br>",
        "<script>if (a < b && c > d) { x(); }</script>",
        "<my-widget><span>1 < 2</span></my-widget>",
        "<my-card>custom elements count, as in promptfoo</my-card>",
        "<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg>",
        "<DIV CLASS='x'>Upper case</DIV>",
      })
  void shouldPassIsHtmlForHtmlDocumentsAndFragments(String output) {
    assertResult(check("is-html", null, output), true, 1.0, "Output is HTML");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Just text | 'it has text outside HTML elements: \"Just text\"'",
        "Text before <div>HTML</div> text after | 'it has text outside HTML elements: \"Text"
            + " before <div>HTML</div> text after\"'",
        "<?xml version=\"1.0\"?><root>x</root> | it is an XML document, not HTML",
        "<div>Unclosed div | <div> is never closed",
        "Here is some HTML: <div>test</div> | 'it has text outside HTML elements: \"Here is some"
            + " HTML: <div>test</div>\"'",
        "<root><child/></root> | it has no known HTML element",
        "<div><span>x</div></span> | </div> does not close <span>",
        "<div>x</div></p> | </p> closes no element",
        "<div class=\"a>x | 'the tag \"<div class=\"a>x\" is never closed with ''>'''",
        "<script>alert(1) | <script> is never closed",
        "' ' | the output is empty",
      })
  void shouldFailIsHtmlSayingWhy(String output, String problem) {
    assertResult(
        check("is-html", null, output), false, 0.0, "Expected output to be HTML: " + problem);
  }

  @Test
  void shouldPassNotIsHtmlForMixedContent() {
    assertResult(
        check("not-is-html", null, "Here: <b>bold</b>"),
        true,
        1.0,
        "Output is not HTML: it has text outside HTML elements: \"Here: <b>bold</b>\"");
    assertEquals(
        "Expected output not to be HTML", check("not-is-html", null, "<b>bold</b>").reason());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Here is some HTML: <div>test</div>, enjoy",
        "Line one<br>Line two",
        "An image: <IMG SRC='a.png'>",
        "Use <b>bold</b> sparingly.",
        "<hr/>",
      })
  void shouldPassContainsHtmlForAnElementAnywhere(String output) {
    assertResult(check("contains-html", null, output), true, 1.0, "Output contains HTML elements");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a < b and b > c",
        "List<String> names = new ArrayList<>();",
        "<p> is never closed here",
        "</div> without a start",
        "<root><child>XML</child></root>",
        "",
      })
  void shouldFailContainsHtmlWithoutAKnownElement(String output) {
    assertResult(
        check("contains-html", null, output),
        false,
        0.0,
        "Expected output to contain HTML elements: no HTML element (a void tag such as <br>, or a"
            + " start tag and its end tag) found");
  }

  @Test
  void shouldPassNotContainsHtmlForPlainText() {
    assertResult(
        check("not-contains-html", null, "Plain words."),
        true,
        1.0,
        "Output does not contain HTML elements: no HTML element (a void tag such as <br>, or a"
            + " start tag and its end tag) found");
    assertFalse(check("not-contains-html", null, "Plain<br>words.").pass());
  }

  @Test
  void shouldRejectValue() {
    assertEquals(
        "Assertion ('is-html'): 'value' is not used: HTML is recognised by its tags alone. Remove"
            + " 'value'.",
        rejection("is-html", "div"));
  }
}
