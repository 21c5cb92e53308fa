package dev.llmtestbench.dataset.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.platform.rest.ApiException;
import org.junit.jupiter.api.Test;

class HuggingFaceImporterTest {

  private static ImportOptions mapping(String prompt, String expected, String id) {
    return new ImportOptions("hf", null, null, prompt, expected, id, null, null, false, null, null);
  }

  @Test
  void shouldReadTheDatasetsServerRowsShape() {
    // The shape of https://datasets-server.huggingface.co/rows?dataset=openai/gsm8k&config=main
    String json =
        "{\"features\":[{\"feature_idx\":0,\"name\":\"question\"}],"
            + "\"rows\":[{\"row_idx\":7,\"row\":{\"question\":\"1+1?\",\"answer\":\"#### 2\"},"
            + "\"truncated_cells\":[]},"
            + "{\"row_idx\":8,\"row\":{\"question\":\"2+2?\",\"answer\":\"#### 4\"},"
            + "\"truncated_cells\":[]}],\"num_rows_total\":2}";
    CreateDatasetRequest r = HuggingFaceImporter.parse(json, mapping("question", null, null), 100);
    assertEquals("{{ question }}", r.promptTemplate());
    assertEquals(2, r.testCases().size());
    assertEquals("row-7", r.testCases().get(0).id());
    assertEquals("#### 2", r.testCases().get(0).expected());
    assertEquals("1+1?", r.testCases().get(0).vars().get("question"));
  }

  @Test
  void shouldReadArraysAndJsonLinesWithAFieldMapping() {
    String array =
        "[{\"uid\":\"a\",\"q\":\"x?\",\"label\":3},{\"uid\":\"b\",\"q\":\"y?\",\"label\":4}]";
    CreateDatasetRequest r = HuggingFaceImporter.parse(array, mapping("q", "label", "uid"), 100);
    assertEquals("a", r.testCases().get(0).id());
    assertEquals("3", r.testCases().get(0).expected());
    String lines = "{\"q\":\"x?\",\"answer\":\"1\"}\n{\"q\":\"y?\",\"answer\":\"2\"}\n";
    CreateDatasetRequest l = HuggingFaceImporter.parse(lines, mapping("q", null, null), 100);
    assertEquals(2, l.testCases().size());
    assertEquals("2", l.testCases().get(1).expected());
    assertEquals("row-1", l.testCases().get(1).id());
  }

  @Test
  void shouldNameRowsMissingThePromptField() {
    String array = "[{\"q\":\"x?\"},{\"question\":\"y?\"}]";
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> HuggingFaceImporter.parse(array, mapping("q", null, null), 100));
    assertTrue(e.getMessage().contains("rows[1]"), e.getMessage());
    assertTrue(e.getMessage().contains("no field 'q'"), e.getMessage());
  }

  @Test
  void shouldAskForAPromptFieldAndRejectOtherShapes() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> HuggingFaceImporter.parse("[{\"q\":1}]", mapping(null, null, null), 100));
    assertTrue(e.getMessage().contains("promptField"), e.getMessage());
    assertThrows(
        ApiException.class,
        () -> HuggingFaceImporter.parse("{\"data\":[]}", mapping("q", null, null), 100));
    assertThrows(
        ApiException.class,
        () -> HuggingFaceImporter.parse("[{\"q\":1},", mapping("q", null, null), 100));
  }

  @Test
  void shouldStreamRowsWhateverTheKeysAroundThemAndNameRowsThatAreNotObjects() {
    String json =
        "{\"partial\":false,\"rows\":[{\"row_idx\":0,\"row\":{\"q\":\"a\"}},"
            + "{\"row_idx\":1,\"row\":[1,2]},"
            + "{\"row_idx\":2,\"row\":{\"q\":\"c\"}}],"
            + "\"features\":[{\"name\":\"q\",\"type\":{\"dtype\":\"string\"}}]}";
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> HuggingFaceImporter.parse(json, mapping("q", null, null), 100));
    assertTrue(e.getMessage().contains("rows[1].row"), e.getMessage());
    assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
    CreateDatasetRequest r =
        HuggingFaceImporter.parse(
            json.replace("[1,2]", "{\"q\":\"b\"}"), mapping("q", null, null), 100);
    assertEquals(3, r.testCases().size());
    assertEquals("b", r.testCases().get(1).vars().get("q"));
    assertEquals("row-2", r.testCases().get(2).id());
  }

  @Test
  void shouldStopAtTheRowLimitWhileReading() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                HuggingFaceImporter.parse(
                    "{\"q\":1}\n{\"q\":2}\n{\"q\":3}\n", mapping("q", null, null), 2));
    assertTrue(e.getMessage().contains("more than 2 rows"), e.getMessage());
  }
}
