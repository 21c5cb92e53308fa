package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.output;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static dev.llmtestbench.evaluation.service.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.Assertion;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * is-xml and contains-xml, after promptfoo:
 * https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#is-xml and
 * #contains-xml (including requiredElements), with the JDK's parser in its secure configuration.
 */
class XmlAssertionTest {

  private static final String ANALYSIS =
      "{\"requiredElements\": [\"analysis.classification\", \"analysis.color\"]}";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<root><child>Content</child></root>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root a=\"1\"/>",
        "\n  <root><!-- note --><x>&amp;&lt;</x><![CDATA[a < b]]></root>\n",
        "<ns:root><ns:child/></ns:root>",
      })
  void shouldPassIsXmlForWellFormedDocuments(String output) {
    assertResult(check("is-xml", null, output), true, 1.0, "Output is well-formed XML");
  }

  @Test
  void shouldFailIsXmlForAMissingEndTagWithParserPosition() {
    assertResult(
        check("is-xml", null, "<root><child>Content</child></root"),
        false,
        0.0,
        "Expected output to be well-formed XML: not well-formed at line 1, column 35: XML"
            + " document structures must start and end within the same entity.");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sure: <root/>",
        "<a></a><b></b>",
        "<a>Tom & Jerry</a>",
        "<a>&nbsp;</a>",
        "plain text",
      })
  void shouldFailIsXmlUnlessTheWholeOutputIsOneWellFormedDocument(String output) {
    assertFalse(check("is-xml", null, output).pass(), output);
  }

  @Test
  void shouldFailIsXmlForEmptyOutput() {
    assertEquals(
        "Expected output to be well-formed XML: the output is empty",
        check("is-xml", null, "   ").reason());
  }

  @Test
  void shouldRefuseDoctypesSoNoEntityIsEverExpandedOrFetched() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    String bomb =
        "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><l>&b;</l>";

    for (String output : new String[] {xxe, bomb}) {
      String reason = check("is-xml", null, output).reason();
      assertTrue(
          reason.endsWith("DOCTYPE declarations are not accepted (DTDs are disabled for security)"),
          reason);
    }
  }

  @Test
  void shouldCheckRequiredElementsAsDottedPathsFromTheRoot() {
    assertResult(
        check(
            "is-xml",
            ANALYSIS,
            "<analysis><classification>T-shirt</classification><color>Red</color></analysis>"),
        true,
        1.0,
        "Output is well-formed XML with the elements analysis.classification, analysis.color");
    assertResult(
        check("is-xml", ANALYSIS, "<analysis><classification>T-shirt</classification></analysis>"),
        false,
        0.0,
        "Expected output to be well-formed XML with the elements analysis.classification,"
            + " analysis.color: it lacks the element analysis.color");
  }

  @Test
  void shouldPassNotIsXmlForText() {
    assertResult(
        check("not-is-xml", null, "Just text"),
        true,
        1.0,
        "Output is not well-formed XML: not well-formed at line 1, column 1: Content is not"
            + " allowed in prolog.");
    assertEquals(
        "Expected output not to be well-formed XML", check("not-is-xml", null, "<a/>").reason());
  }

  @Test
  void shouldPassContainsXmlForXmlInsideProse() {
    assertResult(
        check(
            "contains-xml",
            null,
            "Sure, here is your xml:\n<root><child>Content</child></root>\nlet me know!"),
        true,
        1.0,
        "Output contains well-formed XML");
  }

  @Test
  void shouldTryElementsNestedInAMalformedOne() {
    assertTrue(check("contains-xml", null, "<a>Tom & Jerry <b>fine</b></a>").pass());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a < b and c > d", "List<String> names", "<p>unclosed", "no tags", ""})
  void shouldFailContainsXmlWithoutACompleteElement(String output) {
    assertResult(
        check("contains-xml", null, output),
        false,
        0.0,
        "Expected output to contain well-formed XML: no XML element found");
  }

  @Test
  void shouldCheckRequiredElementsFromTheFragmentsRoot() {
    String value = "{\"requiredElements\": [\"root.child\"]}";

    assertTrue(check("contains-xml", value, "Text <root><child>C</child></root>").pass());
    assertResult(
        check("contains-xml", value, "Text <wrapper><root><child>C</child></root></wrapper>"),
        false,
        0.0,
        "Expected output to contain well-formed XML with the elements root.child: it lacks the"
            + " element root.child");
  }

  @Test
  void shouldPassNotContainsXmlForPlainText() {
    assertResult(
        check("not-contains-xml", null, "no markup"),
        true,
        1.0,
        "Output does not contain well-formed XML: no XML element found");
  }

  @Test
  void shouldRejectMalformedRequiredElements() {
    assertEquals(
        "Assertion ('is-xml'): 'value' has the unknown key \"required\". Allowed keys:"
            + " requiredElements.",
        rejection("is-xml", "{\"required\": [\"a\"]}"));
    assertEquals(
        "Assertion ('contains-xml'): 'value' must list at least one required element, e.g."
            + " {\"requiredElements\": [\"analysis.classification\", \"analysis.color\"]}",
        rejection("contains-xml", "{\"requiredElements\": []}"));
    assertTrue(
        rejection("is-xml", "{\"requiredElements\": [\"a..b\"]}")
            .contains("'requiredElements' must list dot-separated element paths"));
  }

  @Test
  void shouldShareOneCompiledAssertionAcrossThreads() {
    Assertion xml = Assertions.compile(spec("contains-xml", "{\"requiredElements\": [\"r.c\"]}"));

    long passes =
        IntStream.range(0, 2_000)
            .parallel()
            .filter(
                i -> xml.evaluate(output(i % 2 == 0 ? "<r><c>" + i + "</c></r>" : "<r/>")).pass())
            .count();

    assertEquals(1_000, passes);
  }
}
