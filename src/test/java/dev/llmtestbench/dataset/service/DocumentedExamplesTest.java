package dev.llmtestbench.dataset.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.evaluation.service.Assertions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The files in docs/examples import, and every assertion they carry compiles. */
class DocumentedExamplesTest {

  private static String read(String name) throws IOException {
    return Files.readString(Path.of("docs/examples", name));
  }

  private static void compiles(CreateDatasetRequest r) {
    Assertions.compileAll(r.assertions());
    for (TestCaseInput c : r.testCases()) {
      Assertions.compileAll(c.assertions());
    }
  }

  @Test
  void shouldImportThePromptfooExample() throws IOException {
    CreateDatasetRequest r =
        PromptfooImporter.parse(
            read("promptfooconfig.yaml"),
            ImportOptions.named(null),
            new PromptfooProviders(Map.of(), Map.of("simulator", "simulator")),
            1 << 20,
            1000);
    // (1 + 2 combinations) tests x 2 prompts.
    assertEquals(6, r.testCases().size());
    assertEquals(3, r.targets().size());
    assertEquals("simulator", r.targets().get(2).provider());
    compiles(r);
  }

  @Test
  void shouldImportTheCsvAndRecordedExamples() throws IOException {
    ImportOptions csv =
        new ImportOptions(
            "capitals",
            null,
            "Capital of {{ country }}?",
            null,
            null,
            null,
            null,
            null,
            false,
            null,
            null);
    CreateDatasetRequest c = CsvImporter.parse(read("capitals.csv"), csv, 100);
    assertEquals(3, c.testCases().size());
    compiles(c);
    CreateDatasetRequest y =
        YamlImporter.parse(read("recorded.yaml"), ImportOptions.named("rec"), 1 << 20, 100);
    assertEquals(2, y.testCases().get(0).outputs().size());
    compiles(y);
  }
}
