package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A promptfoo configuration ({@code promptfooconfig.yaml}) as a dataset: every prompt × every test
 * is a case; {@code defaultTest} vars, assertions and metadata apply to every test; a var whose
 * value is a list expands into one test per value (promptfoo's combinations); assertion values are
 * rendered with the test's vars; the providers become the dataset's suggested targets. Anything
 * that needs files, code or webhooks is refused (or skipped with {@code skipUnsupported}).
 */
final class PromptfooImporter {

  private static final Set<String> IGNORED_KEYS =
      Set.of(
          "sharing",
          "outputPath",
          "evaluateOptions",
          "commandLineOptions",
          "env",
          "writeLatestResults",
          "tags",
          "metadata",
          "nunjucksFilters",
          "extensions",
          "derivedMetrics",
          "redteam",
          "scenarios");
  private static final Set<String> KNOWN_KEYS =
      Set.of("description", "prompts", "providers", "targets", "tests", "defaultTest");
  private static final Set<String> TEST_KEYS =
      Set.of("vars", "assert", "description", "metadata", "options", "threshold", "providers");

  private PromptfooImporter() {}

  static CreateDatasetRequest parse(
      String text, ImportOptions o, PromptfooProviders providers, int maxChars, int maxCases) {
    ImportProblems problems = new ImportProblems("promptfoo");
    Object doc = YamlDocuments.read(text, maxChars, problems);
    if (!(doc instanceof Map<?, ?> raw)) {
      throw problems.fatal(
          "document", "a promptfoo config is a YAML object with prompts and tests");
    }
    Map<String, Object> config = CaseRows.asMap(raw);
    for (String key : config.keySet()) {
      if (IGNORED_KEYS.contains(key)) {
        problems.warn("Key '" + key + "' is not supported here and was ignored.");
      } else if (!KNOWN_KEYS.contains(key)) {
        problems.warn("Unknown key '" + key + "' was ignored.");
      }
    }
    List<String[]> prompts = prompts(config.get("prompts"), problems);
    List<SuggestedTarget> targets =
        targets(
            config.containsKey("providers") ? config.get("providers") : config.get("targets"),
            providers,
            problems);
    List<AssertionSyntax.Unsupported> unsupported = new ArrayList<>();
    Map<String, Object> defaults = Map.of();
    Object dt = config.get("defaultTest");
    if (dt instanceof String s) {
      throw problems.fatal(
          "defaultTest", "'" + s + "' refers to a file, which this server cannot read; inline it");
    } else if (dt instanceof Map<?, ?> m) {
      defaults = CaseRows.asMap(m);
    } else if (dt != null) {
      problems.add("defaultTest", "must be an object");
    }
    List<Map<String, Object>> tests = tests(config.get("tests"), problems);
    problems.throwIfAny();
    List<TestCaseInput> cases = new ArrayList<>();
    for (int t = 0; t < tests.size(); t++) {
      String where = "tests[" + t + "]";
      Map<String, Object> test = tests.get(t);
      for (String key : test.keySet()) {
        if (!TEST_KEYS.contains(key)) {
          problems.warn(where + ": key '" + key + "' is not supported here and was ignored.");
        } else if (key.equals("options") || key.equals("threshold") || key.equals("providers")) {
          problems.warn(
              "Test key '"
                  + key
                  + "' is not supported here and was ignored (first at "
                  + where
                  + ").");
        }
      }
      Map<String, Object> vars = new LinkedHashMap<>();
      merge(vars, defaults.get("vars"), "defaultTest.vars", problems);
      merge(vars, test.get("vars"), where + ".vars", problems);
      List<Object> asserts = new ArrayList<>();
      addAll(asserts, defaults.get("assert"), "defaultTest.assert", problems);
      addAll(asserts, test.get("assert"), where + ".assert", problems);
      Map<String, Object> metadata = new LinkedHashMap<>();
      merge(metadata, defaults.get("metadata"), "defaultTest.metadata", problems);
      merge(metadata, test.get("metadata"), where + ".metadata", problems);
      if (test.get("description") != null) {
        metadata.put("description", String.valueOf(test.get("description")));
      }
      List<Map<String, Object>> combos = combinations(vars);
      for (int c = 0; c < combos.size(); c++) {
        Map<String, Object> combo = combos.get(c);
        List<AssertionSpec> specs = new ArrayList<>();
        for (int a = 0; a < asserts.size(); a++) {
          AssertionSpec spec =
              AssertionSyntax.fromObject(
                  asserts.get(a),
                  where + ".assert[" + a + "]",
                  unsupported,
                  problems,
                  id -> providers.ref(id, problems));
          if (spec != null) {
            specs.add(rendered(spec, combo, where + ".assert[" + a + "].value", problems));
          }
        }
        for (int p = 0; p < prompts.size(); p++) {
          if (cases.size() >= maxCases) {
            throw problems.fatal(
                where, "more than " + maxCases + " cases (ltb.dataset.max-test-cases)");
          }
          String id =
              "test-"
                  + (t + 1)
                  + (combos.size() > 1 ? "." + (c + 1) : "")
                  + (prompts.size() > 1 ? "-prompt-" + (p + 1) : "");
          Map<String, Object> meta = new LinkedHashMap<>(metadata);
          meta.put("prompt", prompts.get(p)[1]);
          cases.add(
              new TestCaseInput(
                  id,
                  prompts.get(p)[0],
                  combo,
                  null,
                  specs,
                  prompts.size() > 1 ? List.of("prompt:" + prompts.get(p)[1]) : null,
                  meta,
                  null,
                  null,
                  null));
        }
      }
    }
    Unsupported.check(unsupported, o, problems);
    problems.throwIfAny();
    Object description = config.get("description");
    String name = o.name();
    if ((name == null || name.isBlank()) && description != null) {
      name = String.valueOf(description);
    }
    return new CreateDatasetRequest(
        name,
        o.description() != null
            ? o.description()
            : description == null ? null : String.valueOf(description),
        null,
        o.assertions(),
        o.tags(),
        Templates.importMetadata("promptfoo", problems),
        cases,
        targets,
        null,
        null);
  }

  /** Each prompt as {text, label}. */
  private static List<String[]> prompts(Object value, ImportProblems problems) {
    List<?> list;
    if (value == null) {
      throw problems.fatal("prompts", "is required: give at least one prompt");
    } else if (value instanceof String s) {
      list = List.of(s);
    } else if (value instanceof List<?> l) {
      list = l;
    } else if (value instanceof Map<?, ?> m) {
      throw problems.fatal(
          "prompts",
          "maps of prompt files " + m.keySet() + " cannot be read here; inline the prompts");
    } else {
      throw problems.fatal("prompts", "must be a prompt or a list of prompts");
    }
    List<String[]> prompts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object p = list.get(i);
      String where = "prompts[" + i + "]";
      String text;
      String label = null;
      if (p instanceof String s) {
        text = s;
      } else if (p instanceof Map<?, ?> m
          && (m.get("raw") instanceof String || m.get("id") instanceof String)) {
        text = String.valueOf(m.get("raw") != null ? m.get("raw") : m.get("id"));
        label = m.get("label") == null ? null : String.valueOf(m.get("label"));
      } else {
        problems.add(where, "must be text or an object with 'raw' (and optionally 'label')");
        continue;
      }
      if (text.startsWith("file://")) {
        problems.add(
            where,
            "'"
                + text
                + "' is a file, which this server cannot read; paste the prompt inline instead");
        continue;
      }
      try {
        PromptTemplate.of(text);
      } catch (PromptTemplate.InvalidTemplateException e) {
        problems.add(where, "template syntax error at " + e.getMessage());
        continue;
      }
      prompts.add(new String[] {text, label != null ? label : "prompt-" + (i + 1)});
    }
    return prompts;
  }

  private static List<SuggestedTarget> targets(
      Object value, PromptfooProviders providers, ImportProblems problems) {
    List<?> list = value == null ? List.of() : value instanceof List<?> l ? l : List.of(value);
    List<SuggestedTarget> targets = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object p = list.get(i);
      SuggestedTarget t = null;
      if (p instanceof String id) {
        t = providers.target(id, null, problems);
      } else if (p instanceof Map<?, ?> m && m.get("id") instanceof String id) {
        t =
            providers.target(
                id, m.get("label") == null ? null : String.valueOf(m.get("label")), problems);
        if (m.get("config") != null) {
          problems.warn(
              "providers[" + i + "].config is not applied; set generation options on the run.");
        }
      } else {
        problems.add("providers[" + i + "]", "must be a provider id or an object with an 'id'");
      }
      if (t != null) {
        targets.add(t);
      }
    }
    return targets;
  }

  private static List<Map<String, Object>> tests(Object value, ImportProblems problems) {
    if (value == null) {
      // promptfoo runs each prompt once without variables.
      return List.of(Map.of());
    }
    if (value instanceof String s) {
      throw problems.fatal(
          "tests", "'" + s + "' refers to a file, which this server cannot read; inline the tests");
    }
    if (!(value instanceof List<?> list)) {
      throw problems.fatal("tests", "must be a list of tests");
    }
    List<Map<String, Object>> tests = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> m) {
        tests.add(CaseRows.asMap(m));
      } else {
        problems.add(
            "tests[" + i + "]",
            list.get(i) instanceof String s && s.startsWith("file://")
                ? "'" + s + "' refers to a file, which this server cannot read; inline the test"
                : "must be an object with vars and assert");
      }
    }
    return tests;
  }

  private static void merge(
      Map<String, Object> into, Object value, String where, ImportProblems problems) {
    if (value instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if (v instanceof String s && s.startsWith("file://")) {
              problems.add(
                  where + "." + k,
                  "'" + s + "' is a file, which this server cannot read; inline it");
            }
            into.put(String.valueOf(k), v);
          });
    } else if (value != null) {
      problems.add(where, "must be an object");
    }
  }

  private static void addAll(
      List<Object> into, Object value, String where, ImportProblems problems) {
    if (value instanceof List<?> l) {
      into.addAll(l);
    } else if (value != null) {
      problems.add(where, "must be a list of assertions");
    }
  }

  /** promptfoo expands list-valued vars into one test per combination. */
  static List<Map<String, Object>> combinations(Map<String, Object> vars) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, Object> e : vars.entrySet()) {
      List<?> values = e.getValue() instanceof List<?> l && !l.isEmpty() ? l : null;
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : out) {
        if (values == null) {
          partial.put(e.getKey(), e.getValue());
          next.add(partial);
        } else {
          for (Object v : values) {
            Map<String, Object> copy = new LinkedHashMap<>(partial);
            copy.put(e.getKey(), v);
            next.add(copy);
          }
        }
      }
      out = next;
    }
    return out;
  }

  private static AssertionSpec rendered(
      AssertionSpec spec, Map<String, Object> vars, String where, ImportProblems problems) {
    if (spec.value() == null || !spec.value().contains("{{") && !spec.value().contains("{%")) {
      return spec;
    }
    try {
      return new AssertionSpec(
          spec.type(),
          PromptTemplate.of(spec.value()).render(vars),
          spec.threshold(),
          spec.weight(),
          spec.metric(),
          spec.provider(),
          spec.options());
    } catch (PromptTemplate.InvalidTemplateException e) {
      problems.add(where, "template error at " + e.getMessage());
      return spec;
    }
  }
}
