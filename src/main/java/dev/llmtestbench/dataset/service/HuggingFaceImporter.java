package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.platform.json.Json;
import jakarta.json.bind.JsonbException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face datasets JSON: the datasets-server {@code /rows} answer ({@code {"rows":
 * [{"row_idx": 0, "row": {...}}]}}), a JSON array of rows, or JSON lines (the {@code to_json}
 * export). Fields are mapped by name: {@code promptField} (shown by the default template), {@code
 * expectedField} (default {@code expected}, else {@code answer}), {@code idField} (default {@code
 * id}, else the row index); every field is also a variable.
 */
final class HuggingFaceImporter {

  private static final java.lang.reflect.Type LIST = List.class;

  private HuggingFaceImporter() {}

  static CreateDatasetRequest parse(String text, ImportOptions o, int maxCases) {
    ImportProblems problems = new ImportProblems("Hugging Face JSON");
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Long> indexes = new ArrayList<>();
    String body = text.strip();
    if (body.startsWith("[")) {
      List<?> list = read(body, LIST, "document", problems);
      for (int i = 0; i < list.size(); i++) {
        rows.add(object(list.get(i), "rows[" + i + "]", problems));
        indexes.add((long) i);
      }
    } else if (body.startsWith("{") && firstLineIsWholeObject(body)) {
      String[] lines = body.split("\r?\n");
      for (int i = 0; i < lines.length; i++) {
        if (!lines[i].isBlank()) {
          rows.add(
              object(
                  read(lines[i], Object.class, "line " + (i + 1), problems),
                  "line " + (i + 1),
                  problems));
          indexes.add((long) rows.size() - 1);
        }
      }
    } else if (body.startsWith("{")) {
      Map<?, ?> doc = read(body, Map.class, "document", problems);
      if (!(doc.get("rows") instanceof List<?> list)) {
        throw problems.fatal(
            "document",
            "expected the datasets-server shape {\"rows\": [{\"row_idx\": 0, \"row\": {...}}]}, a"
                + " JSON array of rows, or JSON lines");
      }
      for (int i = 0; i < list.size(); i++) {
        Map<String, Object> entry = object(list.get(i), "rows[" + i + "]", problems);
        Object row = entry.get("row");
        rows.add(object(row, "rows[" + i + "].row", problems));
        indexes.add(entry.get("row_idx") instanceof Number n ? n.longValue() : (long) i);
      }
    } else {
      throw problems.fatal("document", "not JSON: expected an object, an array or JSON lines");
    }
    problems.throwIfAny();
    if (rows.size() > maxCases) {
      throw problems.fatal(
          "rows",
          rows.size() + " rows; the limit is " + maxCases + " (ltb.dataset.max-test-cases)");
    }
    if (rows.isEmpty()) {
      throw problems.fatal("rows", "no rows to import");
    }
    String template = o.promptTemplate();
    if (template == null || template.isBlank()) {
      if (o.promptField() == null || o.promptField().isBlank()) {
        throw problems.fatal(
            "promptField",
            "name the field holding the prompt (promptField=question) or pass a promptTemplate;"
                + " the first row has fields "
                + rows.get(0).keySet());
      }
      template = Templates.forField(o.promptField(), problems);
    }
    String expectedField = o.expectedField();
    if (expectedField == null || expectedField.isBlank()) {
      expectedField = rows.get(0).containsKey("expected") ? "expected" : "answer";
    }
    List<TestCaseInput> cases = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      String where = "rows[" + i + "]";
      if (o.promptField() != null
          && !o.promptField().isBlank()
          && !row.containsKey(o.promptField())) {
        problems.add(
            where, "has no field '" + o.promptField() + "' (promptField); it has " + row.keySet());
        continue;
      }
      String idField = o.idField() == null || o.idField().isBlank() ? "id" : o.idField();
      Object id = row.get(idField);
      cases.add(
          new TestCaseInput(
              id != null ? String.valueOf(id) : "row-" + indexes.get(i),
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
    problems.throwIfAny();
    return new CreateDatasetRequest(
        o.name(),
        o.description(),
        template,
        o.assertions(),
        o.tags(),
        Templates.importMetadata("hf", problems),
        cases,
        null);
  }

  private static boolean firstLineIsWholeObject(String body) {
    int nl = body.indexOf('\n');
    if (nl < 0) {
      return false;
    }
    try {
      Json.read(body.substring(0, nl), Map.class);
      return true;
    } catch (JsonbException e) {
      return false;
    }
  }

  private static <T> T read(
      String json, java.lang.reflect.Type type, String where, ImportProblems problems) {
    try {
      T value = Json.read(json, type);
      if (value == null) {
        throw problems.fatal(where, "is empty");
      }
      return value;
    } catch (JsonbException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^Internal error: ", "");
      int nl = m.indexOf('\n');
      throw problems.fatal(where, "invalid JSON: " + (nl < 0 ? m : m.substring(0, nl)));
    }
  }

  private static Map<String, Object> object(Object o, String where, ImportProblems problems) {
    if (o instanceof Map<?, ?> m) {
      return CaseRows.asMap(m);
    }
    problems.add(where, "must be a JSON object (one row)");
    return Map.of();
  }
}
