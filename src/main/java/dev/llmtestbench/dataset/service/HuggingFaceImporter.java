package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.platform.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hugging Face datasets JSON: the datasets-server {@code /rows} answer ({@code {"rows":
 * [{"row_idx": 0, "row": {...}}]}}), a JSON array of rows, or JSON lines (the {@code to_json}
 * export). Fields are mapped by name: {@code promptField} (shown by the default template), {@code
 * expectedField} (default {@code expected}, else {@code answer}), {@code idField} (default {@code
 * id}, else the row index); every field is also a variable. Rows are read as a stream, one at a
 * time, and sent on as they are read.
 */
final class HuggingFaceImporter {

  /** How far ahead the first line is read to tell JSON lines from one document. */
  private static final int FIRST_LINE_LIMIT = 1 << 20;

  private HuggingFaceImporter() {}

  /** The whole document in memory: for tests and small files. */
  static CreateDatasetRequest parse(String text, ImportOptions o, int maxCases) {
    return CaseSink.collect(o, sink -> read(new StringReader(text), o, maxCases, sink));
  }

  /**
   * Reads the rows as a stream, sending the template (decided by the first row) and then each row's
   * case to the sink; answers the dataset's import metadata. Throws a 400 listing the rows to fix.
   */
  static Map<String, Object> read(Reader text, ImportOptions o, int maxCases, CaseSink sink) {
    ImportProblems problems = new ImportProblems("Hugging Face JSON");
    Rows2Cases rows = new Rows2Cases(o, maxCases, sink, problems);
    BufferedReader in = new BufferedReader(text, 1 << 16);
    try {
      int first = firstNonBlank(in);
      if (first == '[') {
        try (JsonParser p = jakarta.json.Json.createParser(in)) {
          p.next();
          int i = 0;
          while (p.next() != JsonParser.Event.END_ARRAY) {
            rows.add(value(p), "rows[" + i + "]", i);
            i++;
          }
        }
      } else if (first == '{' && firstLineIsWholeObject(in)) {
        String line;
        int lineNo = 0;
        int index = 0;
        while ((line = in.readLine()) != null) {
          lineNo++;
          if (!line.isBlank()) {
            String where = "line " + lineNo;
            rows.add(readLine(line, where, problems), where, index++);
          }
        }
      } else if (first == '{') {
        document(in, rows, problems);
      } else {
        throw problems.fatal("document", "not JSON: expected an object, an array or JSON lines");
      }
    } catch (JsonParsingException e) {
      throw problems.fatal("document", "invalid JSON: " + firstLine(e.getMessage()));
    } catch (JsonException | IOException e) {
      throw problems.fatal("document", "unreadable JSON: " + firstLine(e.getMessage()));
    }
    if (rows.count == 0) {
      problems.throwIfAny();
      throw problems.fatal("rows", "no rows to import");
    }
    problems.throwIfAny();
    return Templates.importMetadata("hf", problems);
  }

  /** The datasets-server shape: rows under {@code rows}, each {@code {row_idx, row}}. */
  private static void document(BufferedReader in, Rows2Cases rows, ImportProblems problems) {
    try (JsonParser p = jakarta.json.Json.createParser(in)) {
      p.next();
      boolean found = false;
      while (p.next() == JsonParser.Event.KEY_NAME) {
        String key = p.getString();
        JsonParser.Event e = p.next();
        if (key.equals("rows") && e == JsonParser.Event.START_ARRAY) {
          found = true;
          int i = 0;
          while (p.next() != JsonParser.Event.END_ARRAY) {
            Object entry = value(p);
            String where = "rows[" + i + "]";
            if (entry instanceof Map<?, ?> m) {
              long index = m.get("row_idx") instanceof Number n ? n.longValue() : i;
              rows.add(m.get("row"), where + ".row", index);
            } else {
              problems.add(where, "must be a JSON object (one row)");
            }
            i++;
          }
        } else if (e == JsonParser.Event.START_OBJECT) {
          p.skipObject();
        } else if (e == JsonParser.Event.START_ARRAY) {
          p.skipArray();
        }
      }
      if (!found) {
        throw problems.fatal(
            "document",
            "expected the datasets-server shape {\"rows\": [{\"row_idx\": 0, \"row\": {...}}]}, a"
                + " JSON array of rows, or JSON lines");
      }
    }
  }

  /** Turns rows into cases as they come; the first row decides the template and expected field. */
  private static final class Rows2Cases {
    private final ImportOptions o;
    private final int maxCases;
    private final CaseSink sink;
    private final ImportProblems problems;
    private final String idField;
    private String expectedField;
    int count;

    Rows2Cases(ImportOptions o, int maxCases, CaseSink sink, ImportProblems problems) {
      this.o = o;
      this.maxCases = maxCases;
      this.sink = sink;
      this.problems = problems;
      this.idField = blank(o.idField()) ? "id" : o.idField();
      this.expectedField = o.expectedField();
    }

    void add(Object value, String where, long index) {
      if (!(value instanceof Map<?, ?> m)) {
        problems.add(where, "must be a JSON object (one row)");
        return;
      }
      Map<String, Object> row = CaseRows.asMap(m);
      if (count++ == 0) {
        start(row);
      }
      if (count > maxCases) {
        throw problems.fatal(
            "rows", "more than " + maxCases + " rows (ltb.dataset.max-test-cases)");
      }
      if (!blank(o.promptField()) && !row.containsKey(o.promptField())) {
        problems.add(
            where, "has no field '" + o.promptField() + "' (promptField); it has " + row.keySet());
        return;
      }
      Object id = row.get(idField);
      sink.add(
          new TestCaseInput(
              id != null ? String.valueOf(id) : "row-" + index,
              null,
              new LinkedHashMap<>(row),
              AssertionSyntax.text(row.get(expectedField)),
              null,
              null,
              null,
              null,
              null,
              null));
    }

    private void start(Map<String, Object> first) {
      String template = o.promptTemplate();
      if (blank(template)) {
        if (blank(o.promptField())) {
          throw problems.fatal(
              "promptField",
              "name the field holding the prompt (promptField=question) or pass a"
                  + " promptTemplate; the first row has fields "
                  + first.keySet());
        }
        template = Templates.forField(o.promptField(), problems);
      }
      if (blank(expectedField)) {
        expectedField = first.containsKey("expected") ? "expected" : "answer";
      }
      sink.template(template);
    }
  }

  /** The next character that is not white space, left unread; -1 at the end. */
  private static int firstNonBlank(BufferedReader in) throws IOException {
    while (true) {
      in.mark(1);
      int c = in.read();
      if (c < 0 || !Character.isWhitespace(c)) {
        in.reset();
        return c;
      }
    }
  }

  /** Whether the first line is a JSON object of its own (JSON lines); nothing is consumed. */
  private static boolean firstLineIsWholeObject(BufferedReader in) throws IOException {
    in.mark(FIRST_LINE_LIMIT + 1);
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n' && line.length() <= FIRST_LINE_LIMIT) {
      line.append((char) c);
    }
    in.reset();
    if (c != '\n') {
      return false;
    }
    try {
      Json.read(line.toString(), Map.class);
      return true;
    } catch (JsonbException e) {
      return false;
    }
  }

  /** The parser's current value (just started) as plain Java: maps, lists, strings, numbers. */
  private static Object value(JsonParser p) {
    JsonValue v = p.getValue();
    return Json.read(v.toString(), Object.class);
  }

  private static Object readLine(String line, String where, ImportProblems problems) {
    try {
      Object value = Json.read(line, Object.class);
      if (value == null) {
        throw problems.fatal(where, "is empty");
      }
      return value;
    } catch (JsonbException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^Internal error: ", "");
      throw problems.fatal(where, "invalid JSON: " + firstLine(m));
    }
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
