package dev.llmtestbench.dataset.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.rest.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvImporterTest {

  private static ImportOptions options(String template) {
    return new ImportOptions(
        "csv", null, template, null, null, null, null, null, false, null, "gpt-4o");
  }

  @Test
  void shouldMapColumnsToVarsAndExpectedColumnsToAssertions() {
    String csv =
        "language,text,__expected1,__expected2,__description,__metadata:topic,__metric,expected\n"
            + "French,\"Hello, world\",icontains: bonjour,not-contains: hello,greeting,small"
            + " talk,translation,Bonjour\n"
            + "German,Thanks,equals: Danke,,thanks,,,Danke\n";
    CreateDatasetRequest r =
        CsvImporter.parse(csv, options("Translate to {{ language }}: {{ text }}"), 100);
    assertEquals("Translate to {{ language }}: {{ text }}", r.promptTemplate());
    assertEquals(2, r.testCases().size());
    TestCaseInput first = r.testCases().get(0);
    assertEquals(
        Map.of("language", "French", "text", "Hello, world", "expected", "Bonjour"), first.vars());
    assertEquals("Bonjour", first.expected());
    assertEquals(
        List.of(
            new AssertionSpec("icontains", "bonjour", null, null, "translation", null, null),
            new AssertionSpec("not-contains", "hello", null, null, "translation", null, null)),
        first.assertions());
    assertEquals(Map.of("description", "greeting", "topic", "small talk"), first.metadata());
    assertEquals(
        List.of(new AssertionSpec("equals", "Danke", null, null, null, null, null)),
        r.testCases().get(1).assertions());
  }

  @Test
  void shouldUseAPromptColumnAndRecordProviderOutputs() {
    String csv = "prompt,__providerOutput\nSay hi,hi there\n";
    CreateDatasetRequest r = CsvImporter.parse(csv, options(null), 100);
    assertEquals("{{ prompt }}", r.promptTemplate());
    assertEquals(Map.of("gpt-4o", "hi there"), r.testCases().get(0).outputs());
  }

  @Test
  void shouldNameRowAndColumnOfAnUnsupportedAssertion() {
    String csv = "q,__expected\na,contains: x\nb,javascript: output.length > 2\n";
    ApiException e =
        assertThrows(ApiException.class, () -> CsvImporter.parse(csv, options("{{q}}"), 100));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("row 2"), e.getMessage());
    assertTrue(e.getMessage().contains("column '__expected'"), e.getMessage());
    assertTrue(e.getMessage().contains("'javascript'"), e.getMessage());
  }

  @Test
  void shouldSkipUnsupportedAssertionsWhenAsked() {
    String csv = "q,__expected\nb,javascript: output.length > 2\n";
    ImportOptions o =
        new ImportOptions("csv", null, "{{q}}", null, null, null, null, null, true, null, null);
    CreateDatasetRequest r = CsvImporter.parse(csv, o, 100);
    assertEquals(List.of(), r.testCases().get(0).assertions());
    assertTrue(r.metadata().get("importWarnings").toString().contains("javascript"));
  }

  @Test
  void shouldReportRowsWithTheWrongNumberOfFields() {
    String csv = "a,b\n1,2\n3,4,5\n";
    ApiException e =
        assertThrows(ApiException.class, () -> CsvImporter.parse(csv, options("{{a}}"), 100));
    assertTrue(e.getMessage().contains("row 2 (line 3)"), e.getMessage());
    assertTrue(e.getMessage().contains("has 3 fields but the header has 2"), e.getMessage());
  }

  @Test
  void shouldRequireAPrompt() {
    ApiException e =
        assertThrows(ApiException.class, () -> CsvImporter.parse("a,b\n1,2\n", options(null), 100));
    assertTrue(e.getMessage().contains("promptTemplate"), e.getMessage());
  }

  @Test
  void shouldRejectDuplicateHeadersAndBrokenQuotes() {
    assertThrows(ApiException.class, () -> CsvImporter.parse("a,a\n1,2\n", options("{{a}}"), 100));
    assertThrows(
        ApiException.class, () -> CsvImporter.parse("a,b\n\"1,2\n", options("{{a}}"), 100));
  }

  @Test
  void shouldEnforceTheCaseLimit() {
    ApiException e =
        assertThrows(
            ApiException.class, () -> CsvImporter.parse("a\n1\n2\n3\n", options("{{a}}"), 2));
    assertTrue(e.getMessage().contains("more than 2"), e.getMessage());
  }

  @Test
  void shouldSkipAByteOrderMark() {
    CreateDatasetRequest r =
        CsvImporter.parse("\uFEFFq,expected\nhi,there\n", options("{{q}}"), 10);
    assertEquals("hi", r.testCases().get(0).vars().get("q"));
    assertEquals("there", r.testCases().get(0).expected());
  }
}
