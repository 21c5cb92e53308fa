package dev.llmtestbench.dataset.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** What importers share: a template that shows one field, and the import's metadata. */
final class Templates {

  private Templates() {}

  /**
   * A template rendering the field as it is: the field's text is data, never parsed as a template
   * itself.
   */
  static String forField(String field, ImportProblems problems) {
    if (!field.matches("[A-Za-z_][\\w-]*")) {
      throw problems.fatal(
          "promptField",
          "'"
              + field
              + "' cannot be used as a variable name (letters, digits, '_' and '-'); pass a"
              + " promptTemplate instead");
    }
    return "{{ " + field + " }}";
  }

  /** The dataset metadata recording where it came from and what was ignored. */
  static Map<String, Object> importMetadata(String format, ImportProblems problems) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("importedFrom", format);
    if (!problems.warnings().isEmpty()) {
      m.put("importWarnings", problems.warnings());
    }
    return m;
  }
}
