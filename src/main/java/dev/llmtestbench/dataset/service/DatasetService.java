package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.dataset.persistence.DatasetRepository;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.JsonbException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates, imports, reads and deletes datasets, validating every case before anything is stored.
 */
@ApplicationScoped
public class DatasetService {

  private static final int MAX_REPORTED_VIOLATIONS = 20;
  private static final Set<String> CASE_KEYS =
      Set.of("id", "prompt", "vars", "expected", "assert", "tags", "metadata");

  @Inject DatasetRepository repository;

  @Inject
  @ConfigProperty(name = "ltb.dataset.max-prompt-chars", defaultValue = "100000")
  int maxPromptChars;

  @Inject
  @ConfigProperty(name = "ltb.dataset.max-test-cases", defaultValue = "100000")
  int maxTestCases;

  public Dataset create(CreateDatasetRequest request) {
    List<TestCaseInput> inputs = request.testCases() == null ? List.of() : request.testCases();
    if (inputs.isEmpty()) {
      throw ApiException.badRequest(
          "A dataset needs at least one test case: add them under testCases.",
          List.of(new Violation("testCases", "must contain at least one test case")));
    }
    if (inputs.size() > maxTestCases) {
      throw ApiException.badRequest(
          "The dataset has "
              + inputs.size()
              + " test cases; the limit is "
              + maxTestCases
              + " (ltb.dataset.max-test-cases).");
    }
    List<Violation> violations = new ArrayList<>();
    List<AssertionSpec> datasetAssertions = nonNull(request.assertions());
    checkAssertions("assertions", datasetAssertions, violations);
    PromptTemplate datasetTemplate =
        request.promptTemplate() == null || request.promptTemplate().isBlank()
            ? null
            : template("promptTemplate", request.promptTemplate(), violations);
    if (!violations.isEmpty()) {
      throw invalid(violations);
    }
    List<TestCase> cases = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      TestCaseInput in = inputs.get(i);
      if (in == null) {
        violations.add(new Violation("testCases[" + i + "]", "must be an object"));
        continue;
      }
      cases.add(validateCase(i, in, datasetTemplate, violations));
    }
    if (!violations.isEmpty()) {
      throw invalid(violations);
    }
    Dataset dataset =
        new Dataset(
            null,
            0,
            request.name().strip(),
            request.description(),
            datasetTemplate == null ? null : request.promptTemplate(),
            datasetAssertions,
            nonNull(request.tags()),
            request.metadata() == null ? Map.of() : request.metadata(),
            cases.size(),
            null);
    return repository.insert(dataset, cases);
  }

  /**
   * Imports JSONL: one test case per line, in the shape of a {@code testCases} entry; any other
   * top-level field becomes a variable (so Hugging Face style rows such as GSM8K's {@code
   * question}/{@code answer} import as they are).
   */
  public Dataset importJsonl(
      String name,
      String description,
      String promptTemplate,
      String expectedField,
      List<AssertionSpec> assertions,
      List<String> tags,
      Reader body) {
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest(
          "Dataset name is required: pass ?name=...",
          List.of(new Violation("name", "Dataset name is required.")));
    }
    List<TestCaseInput> cases = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(body)) {
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        if (cases.size() >= maxTestCases) {
          throw ApiException.badRequest(
              "More than " + maxTestCases + " test cases (ltb.dataset.max-test-cases).");
        }
        cases.add(parseLine(lineNo, line, expectedField));
      }
    } catch (IOException e) {
      throw ApiException.badRequest("Could not read the request body: " + e.getMessage());
    }
    return create(
        new CreateDatasetRequest(name, description, promptTemplate, assertions, tags, null, cases));
  }

  private static TestCaseInput parseLine(int lineNo, String line, String expectedField) {
    Map<String, Object> row;
    try {
      row = Json.read(line, Rows.MAP_TYPE);
    } catch (JsonbException e) {
      throw ApiException.badRequest(
          "Line " + lineNo + " is not a JSON object: " + shorten(e.getMessage()),
          List.of(new Violation("line " + lineNo, "invalid JSON")));
    }
    if (row == null) {
      throw ApiException.badRequest("Line " + lineNo + " is not a JSON object.");
    }
    try {
      Map<String, Object> vars = new LinkedHashMap<>();
      if (row.get("vars") instanceof Map<?, ?> given) {
        given.forEach((k, v) -> vars.put(String.valueOf(k), v));
      }
      String expectedKey =
          expectedField == null || expectedField.isBlank() ? "expected" : expectedField;
      for (Map.Entry<String, Object> e : row.entrySet()) {
        if (!CASE_KEYS.contains(e.getKey()) && !e.getKey().equals(expectedKey)) {
          vars.put(e.getKey(), e.getValue());
        }
      }
      Object expected = row.get(expectedKey);
      List<AssertionSpec> asserts =
          row.get("assert") == null ? null : DatasetRepository.specs(Json.write(row.get("assert")));
      return new TestCaseInput(
          row.get("id") == null ? null : String.valueOf(row.get("id")),
          row.get("prompt") == null ? null : String.valueOf(row.get("prompt")),
          vars,
          expected == null ? null : String.valueOf(expected),
          asserts,
          strings(row.get("tags")),
          row.get("metadata") instanceof Map<?, ?> m ? castMap(m) : null);
    } catch (JsonbException | ClassCastException e) {
      throw ApiException.badRequest(
          "Line " + lineNo + ": a field has the wrong type (" + shorten(e.getMessage()) + ").");
    }
  }

  private TestCase validateCase(
      int i, TestCaseInput in, PromptTemplate datasetTemplate, List<Violation> violations) {
    String at = "testCases[" + i + "]";
    boolean own = in.prompt() != null && !in.prompt().isBlank();
    PromptTemplate template =
        own ? template(at + ".prompt", in.prompt(), violations) : datasetTemplate;
    Map<String, Object> vars = in.vars() == null ? Map.of() : in.vars();
    if (template == null) {
      if (own) {
        // The syntax error is reported already.
      } else {
        violations.add(
            new Violation(
                at + ".prompt", "Give the case a prompt, or the dataset a promptTemplate."));
      }
    } else {
      List<String> missing = template.missing(vars);
      if (!missing.isEmpty()) {
        violations.add(
            new Violation(
                at + ".vars",
                "Missing variable(s) "
                    + missing
                    + " used by the prompt template; add them to vars."));
      } else {
        int length = rendered(template, vars, at + (own ? ".prompt" : ".vars"), violations);
        if (length > maxPromptChars) {
          violations.add(
              new Violation(
                  at + ".prompt",
                  "The prompt is "
                      + length
                      + " characters; the limit is "
                      + maxPromptChars
                      + " (ltb.dataset.max-prompt-chars). Shorten it."));
        }
      }
    }
    if (in.id() != null && in.id().length() > 255) {
      violations.add(new Violation(at + ".id", "must be at most 255 characters"));
    }
    List<AssertionSpec> asserts = nonNull(in.assertions());
    checkAssertions(at + ".assert", asserts, violations);
    return new TestCase(
        null,
        null,
        i,
        in.id(),
        in.prompt() == null || in.prompt().isBlank() ? null : in.prompt(),
        vars,
        in.expected(),
        asserts,
        nonNull(in.tags()),
        in.metadata() == null ? Map.of() : in.metadata());
  }

  private static ApiException invalid(List<Violation> violations) {
    List<Violation> reported =
        violations.size() > MAX_REPORTED_VIOLATIONS
            ? violations.subList(0, MAX_REPORTED_VIOLATIONS)
            : violations;
    return ApiException.badRequest(
        violations.size() == 1
            ? violations.get(0).field() + ": " + violations.get(0).message()
            : violations.size() + " problems in the dataset; see violations.",
        reported);
  }

  /** The compiled template, or null with a violation naming the line of its syntax error. */
  private static PromptTemplate template(String field, String source, List<Violation> violations) {
    try {
      return PromptTemplate.of(source);
    } catch (PromptTemplate.InvalidTemplateException e) {
      violations.add(new Violation(field, "Template syntax error at " + e.getMessage() + "."));
      return null;
    }
  }

  /** The rendered length, or -1 with a violation when the template cannot render these vars. */
  private static int rendered(
      PromptTemplate template, Map<String, Object> vars, String field, List<Violation> violations) {
    try {
      return template.render(vars).length();
    } catch (PromptTemplate.InvalidTemplateException e) {
      violations.add(
          new Violation(field, "The prompt template fails to render: " + e.getMessage()));
      return -1;
    }
  }

  static void checkAssertions(String field, List<AssertionSpec> specs, List<Violation> violations) {
    try {
      Assertions.compileAll(specs);
    } catch (InvalidAssertionException e) {
      violations.add(new Violation(field, e.getMessage()));
    }
  }

  public Optional<Dataset> find(UUID id) {
    return repository.find(id);
  }

  public List<Dataset> list(Long cursor, int limit) {
    return repository.list(cursor, limit);
  }

  public List<TestCase> testCases(UUID id, int from, int limit) {
    return repository.testCases(id, from, limit);
  }

  public void delete(UUID id) {
    if (repository.find(id).isEmpty()) {
      throw ApiException.notFound("Dataset", id);
    }
    if (repository.inUseByActiveRun(id)) {
      throw ApiException.conflict(
          "Dataset " + id + " is used by a pending or running benchmark; cancel it first.");
    }
    repository.delete(id);
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static List<String> strings(Object o) {
    if (o instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return o == null ? null : List.of(String.valueOf(o));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    // Yasson prefixes parser errors with "Internal error: "; the parser's own words are clearer.
    String line = (nl < 0 ? s : s.substring(0, nl)).replaceFirst("^Internal error: ", "");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
