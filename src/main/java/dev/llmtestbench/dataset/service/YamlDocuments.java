package dev.llmtestbench.dataset.service;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one YAML document with SnakeYAML's safe constructor (plain maps, lists and scalars; no Java
 * types), no duplicate keys, and few aliases (no "billion laughs"); syntax errors carry their line
 * and column.
 */
final class YamlDocuments {

  private YamlDocuments() {}

  static Object read(String text, int maxChars, ImportProblems problems) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(Math.max(maxChars, 1));
    try {
      return CaseRows.jsonSafe(new Yaml(new SafeConstructor(options)).load(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where =
          mark == null
              ? "document"
              : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw problems.fatal(
          where,
          "invalid YAML: "
              + (e.getContext() == null ? "" : e.getContext() + ", ")
              + problem.strip());
    } catch (YAMLException e) {
      throw problems.fatal("document", "invalid YAML: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
