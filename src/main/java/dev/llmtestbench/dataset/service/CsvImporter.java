package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV test cases in promptfoo's conventions: the header names the columns, each column is a
 * variable except {@code __expected} / {@code __expected1..n} (inline assertions such as {@code
 * contains: Paris}), {@code __description}, {@code __metric} (metric name of the row's assertions),
 * {@code __metadata:<key>}, {@code __providerOutput} (a recorded output) and the expected-answer
 * column ({@code expected} unless named otherwise), which is also a variable.
 */
final class CsvImporter {

  private CsvImporter() {}

  /** The whole document in memory: for tests and small files. */
  static CreateDatasetRequest parse(String text, ImportOptions o, int maxCases) {
    return CaseSink.collect(o, sink -> read(new StringReader(text), o, maxCases, sink));
  }

  /**
   * Reads the CSV as a stream, sending the template and then each row's case to the sink as it is
   * read; answers the dataset's import metadata. Throws a 400 listing the rows to fix.
   */
  static Map<String, Object> read(Reader text, ImportOptions o, int maxCases, CaseSink sink) {
    ImportProblems problems = new ImportProblems("CSV");
    List<AssertionSyntax.Unsupported> unsupported = new ArrayList<>();
    Reader body;
    try {
      body = withoutBom(text);
    } catch (IOException e) {
      throw problems.fatal("document", "unreadable CSV: " + e.getMessage());
    }
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setAllowMissingColumnNames(false)
            .setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.DISALLOW)
            .get();
    int cases = 0;
    String expectedColumn = blank(o.expectedField()) ? "expected" : o.expectedField();
    String template = o.promptTemplate();
    try (CSVParser parser = CSVParser.builder().setReader(body).setFormat(format).get()) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty()) {
        throw problems.fatal("line 1", "the header row is missing: name the columns first");
      }
      if (blank(template)) {
        String promptColumn = blank(o.promptField()) ? "prompt" : o.promptField();
        if (!header.contains(promptColumn)) {
          throw problems.fatal(
              "header",
              "no prompt: pass promptTemplate (e.g. 'Translate {{ text }}') or name the column"
                  + " holding the prompt with promptField (columns: "
                  + header
                  + ")");
        }
        template = Templates.forField(promptColumn, problems);
      }
      sink.template(template);
      int row = 0;
      for (CSVRecord record : parser) {
        row++;
        String where = "row " + row + " (line " + parser.getCurrentLineNumber() + ")";
        if (!record.isConsistent()) {
          problems.add(
              where,
              "has "
                  + record.size()
                  + " fields but the header has "
                  + header.size()
                  + "; quote fields that contain commas");
          continue;
        }
        if (cases >= maxCases) {
          throw problems.fatal(
              where, "more than " + maxCases + " test cases (ltb.dataset.max-test-cases)");
        }
        cases++;
        sink.add(toCase(record, header, where, expectedColumn, o, unsupported, problems));
      }
    } catch (UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
      throw problems.fatal("document", "unreadable CSV: " + e.getMessage());
    } catch (IOException e) {
      throw problems.fatal("document", "unreadable CSV: " + e.getMessage());
    }
    Unsupported.check(unsupported, o, problems);
    problems.throwIfAny();
    return Templates.importMetadata("csv", problems);
  }

  /** The reader past a leading byte order mark, if there is one. */
  private static Reader withoutBom(Reader text) throws IOException {
    PushbackReader r = new PushbackReader(text, 1);
    int first = r.read();
    if (first >= 0 && first != '\uFEFF') {
      r.unread(first);
    }
    return r;
  }

  private static TestCaseInput toCase(
      CSVRecord record,
      List<String> header,
      String where,
      String expectedColumn,
      ImportOptions o,
      List<AssertionSyntax.Unsupported> unsupported,
      ImportProblems problems) {
    Map<String, Object> vars = new LinkedHashMap<>();
    Map<String, Object> metadata = new LinkedHashMap<>();
    List<AssertionSpec> asserts = new ArrayList<>();
    String expected = null;
    String id = null;
    String metric = null;
    Map<String, Object> outputs = null;
    for (int i = 0; i < header.size(); i++) {
      String column = header.get(i);
      String value = record.get(i);
      String at = where + ", column '" + column + "'";
      if (column.startsWith("__expected")) {
        if (!value.isBlank()) {
          AssertionSpec spec = AssertionSyntax.fromInline(value, at, unsupported);
          if (spec != null) {
            asserts.add(spec);
          }
        }
      } else if (column.equals("__description")) {
        metadata.put("description", value);
      } else if (column.equals("__metric")) {
        metric = value.isBlank() ? null : value.strip();
      } else if (column.startsWith("__metadata:")) {
        metadata.put(column.substring("__metadata:".length()), value);
      } else if (column.equals("__providerOutput")) {
        outputs = Map.of(o.recordedModelOrDefault(), value);
      } else if (column.equals("__threshold")
          || column.equals("__prefix")
          || column.equals("__suffix")) {
        if (!value.isBlank()) {
          problems.warn("Column '" + column + "' is not supported here and was ignored.");
        }
      } else if (!blank(o.idField()) && column.equals(o.idField())) {
        id = value;
      } else {
        vars.put(column, value);
        if (column.equals(expectedColumn)) {
          expected = value;
        }
      }
    }
    if (metric != null) {
      String m = metric;
      asserts.replaceAll(
          s -> new AssertionSpec(s.type(), s.value(), s.threshold(), s.weight(), m, null, null));
    }
    return new TestCaseInput(
        id, null, vars, expected, asserts, null, metadata, outputs, null, null);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
