package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * YAML datasets: a list of cases, or {@code {cases: [...]}} with optional {@code description},
 * {@code promptTemplate}, {@code assert} (for every case), {@code tags} and {@code targets}. A case
 * has the keys of a JSONL line ({@code id, prompt, vars, expected, assert, tags, metadata, outputs,
 * output, model}); any other key is a variable.
 */
final class YamlImporter {

  private YamlImporter() {}

  static CreateDatasetRequest parse(String text, ImportOptions o, int maxChars, int maxCases) {
    ImportProblems problems = new ImportProblems("YAML");
    Object doc = YamlDocuments.read(text, maxChars, problems);
    List<?> items;
    Map<String, Object> top = Map.of();
    if (doc instanceof List<?> l) {
      items = l;
    } else if (doc instanceof Map<?, ?> m
        && (m.get("cases") instanceof List<?> || m.get("testCases") instanceof List<?>)) {
      top = CaseRows.asMap(m);
      items = (List<?>) (m.get("cases") != null ? m.get("cases") : m.get("testCases"));
    } else {
      throw problems.fatal(
          "document", "expected a list of cases, or an object with a 'cases' list");
    }
    if (items.size() > maxCases) {
      throw problems.fatal(
          "cases",
          items.size() + " cases; the limit is " + maxCases + " (ltb.dataset.max-test-cases)");
    }
    List<AssertionSyntax.Unsupported> unsupported = new ArrayList<>();
    List<TestCaseInput> cases = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String where = "cases[" + i + "]";
      if (!(items.get(i) instanceof Map<?, ?> row)) {
        problems.add(where, "must be an object (a test case)");
        continue;
      }
      cases.add(
          CaseRows.toCase(
              CaseRows.asMap(row), where, o.expectedField(), o.idField(), unsupported, problems));
    }
    List<AssertionSpec> asserts = new ArrayList<>(o.assertions());
    if (top.get("assert") instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        AssertionSpec spec =
            AssertionSyntax.fromObject(
                list.get(i), "assert[" + i + "]", unsupported, problems, ref -> ref);
        if (spec != null) {
          asserts.add(spec);
        }
      }
    }
    List<SuggestedTarget> targets = null;
    if (top.get("targets") instanceof List<?> list) {
      targets = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof Map<?, ?> t
            && t.get("provider") != null
            && t.get("model") != null) {
          targets.add(
              new SuggestedTarget(
                  String.valueOf(t.get("provider")), String.valueOf(t.get("model")), null, null));
        } else {
          problems.add("targets[" + i + "]", "needs a provider and a model");
        }
      }
    }
    Unsupported.check(unsupported, o, problems);
    problems.throwIfAny();
    List<String> tags = new ArrayList<>(o.tags());
    if (top.get("tags") != null) {
      tags.addAll(CaseRows.strings(top.get("tags")));
    }
    Object template = top.get("promptTemplate");
    Object description = top.get("description");
    return new CreateDatasetRequest(
        o.name(),
        o.description() != null
            ? o.description()
            : description == null ? null : String.valueOf(description),
        o.promptTemplate() != null
            ? o.promptTemplate()
            : template == null ? null : String.valueOf(template),
        asserts,
        tags,
        Templates.importMetadata("yaml", problems),
        cases,
        targets,
        null,
        null);
  }
}
