package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.dataset.persistence.DatasetRepository;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import dev.llmtestbench.platform.security.Caller;
import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.platform.security.Visibility;
import dev.llmtestbench.provider.service.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.JsonbException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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
  private static final Set<String> CASE_KEYS = CaseRows.JSONL_KEYS;

  @Inject DatasetRepository repository;
  @Inject ProviderRegistry providers;
  @Inject Callers callers;

  @Inject
  @ConfigProperty(name = "ltb.dataset.max-import-bytes", defaultValue = "52428800")
  long maxImportBytes;

  @Inject
  @ConfigProperty(name = "ltb.dataset.max-prompt-chars", defaultValue = "100000")
  int maxPromptChars;

  @Inject
  @ConfigProperty(name = "ltb.dataset.max-test-cases", defaultValue = "100000")
  int maxTestCases;

  /**
   * Creates a dataset owned by the current caller, shared as the request asks ({@link
   * #sharingForNew}).
   */
  public Dataset create(CreateDatasetRequest request) {
    return create(request, sharingForNew(request.shareWith(), request.sharedWithAll()));
  }

  private Dataset create(CreateDatasetRequest request, Dataset.Sharing sharing) {
    List<TestCaseInput> inputs = request.testCases() == null ? List.of() : request.testCases();
    if (inputs.isEmpty()) {
      throw noCases();
    }
    if (inputs.size() > maxTestCases) {
      throw ApiException.badRequest(
          "The dataset has "
              + inputs.size()
              + " test cases; the limit is "
              + maxTestCases
              + " (ltb.dataset.max-test-cases).");
    }
    try (CaseStream stream =
        stream(
            request.name().strip(),
            request.description(),
            request.promptTemplate(),
            request.assertions(),
            request.tags(),
            request.metadata(),
            sharing)) {
      inputs.forEach(stream::add);
      return stream.finish(request.targets(), request.metadata());
    }
  }

  private static ApiException noCases() {
    return ApiException.badRequest(
        "A dataset needs at least one test case: add them under testCases.",
        List.of(new Violation("testCases", "must contain at least one test case")));
  }

  /**
   * A dataset being stored as its cases arrive: the dataset-level fields are checked at once, each
   * case when {@linkplain CaseStream#add added}; valid cases are written in batches within one
   * transaction, so memory stays constant however many there are, and nothing is stored unless
   * {@link CaseStream#finish} finds every case valid (closing an unfinished stream stores nothing).
   */
  CaseStream stream(
      String name,
      String description,
      String promptTemplate,
      List<AssertionSpec> assertions,
      List<String> tags,
      Map<String, Object> metadata,
      Dataset.Sharing sharing) {
    List<Violation> violations = new ArrayList<>();
    List<AssertionSpec> datasetAssertions = nonNull(assertions);
    checkAssertions("assertions", datasetAssertions, violations);
    boolean hasTemplate = promptTemplate != null && !promptTemplate.isBlank();
    PromptTemplate template =
        hasTemplate ? template("promptTemplate", promptTemplate, violations) : null;
    if (!violations.isEmpty()) {
      throw invalid(violations, violations.size());
    }
    return new CaseStream(
        new Dataset(
            null,
            0,
            name,
            description,
            hasTemplate ? promptTemplate : null,
            datasetAssertions,
            nonNull(tags),
            metadata == null ? Map.of() : metadata,
            0,
            null,
            List.of(),
            sharing),
        template);
  }

  /** See {@link #stream}. */
  final class CaseStream implements AutoCloseable {

    private final Dataset dataset;
    private final PromptTemplate template;
    private final List<Violation> reported = new ArrayList<>();
    private final Set<String> models = new java.util.TreeSet<>();
    private int problems;
    private int count;
    private DatasetRepository.Writer writer;

    private CaseStream(Dataset dataset, PromptTemplate template) {
      this.dataset = dataset;
      this.template = template;
    }

    /** Checks the next case and, while every case so far is valid, queues it for storing. */
    void add(TestCaseInput in) {
      int i = count++;
      if (i >= maxTestCases) {
        throw ApiException.badRequest(
            "More than " + maxTestCases + " test cases (ltb.dataset.max-test-cases).");
      }
      List<Violation> violations = new ArrayList<>();
      TestCase c;
      if (in == null) {
        violations.add(new Violation("testCases[" + i + "]", "must be an object"));
        c = null;
      } else {
        c = validateCase(i, in, template, violations);
      }
      if (!violations.isEmpty()) {
        problems += violations.size();
        for (Violation v : violations) {
          if (reported.size() < MAX_REPORTED_VIOLATIONS) {
            reported.add(v);
          }
        }
        return;
      }
      models.addAll(c.outputs().keySet());
      if (problems == 0) {
        if (writer == null) {
          writer = repository.open(dataset);
        }
        writer.add(c);
      }
    }

    /**
     * Stores the dataset if every case was valid, with the metadata given and the targets given
     * (checked) or, without any, one {@code recorded} target per model with recorded outputs.
     */
    Dataset finish(List<SuggestedTarget> given, Map<String, Object> metadata) {
      if (count == 0) {
        throw noCases();
      }
      if (problems > 0) {
        throw invalid(reported, problems);
      }
      List<Violation> violations = new ArrayList<>();
      List<SuggestedTarget> targets = targets(given, models, violations);
      if (!violations.isEmpty()) {
        throw invalid(violations, violations.size());
      }
      return writer.commit(metadata == null ? Map.of() : metadata, targets);
    }

    @Override
    public void close() {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /** The import formats {@link #importFile} reads. */
  public static final List<String> FORMATS = List.of("jsonl", "csv", "yaml", "hf", "promptfoo");

  /**
   * Imports a file in one of {@link #FORMATS}; nothing is stored unless every case is valid. The
   * body may be at most {@code ltb.dataset.max-import-bytes}.
   */
  public Dataset importFile(
      String format, ImportOptions o, Dataset.Sharing sharing, InputStream body) {
    if (format == null || !FORMATS.contains(format)) {
      throw ApiException.badRequest(
          "Unknown format '" + format + "'; use one of " + FORMATS + ".",
          List.of(new Violation("format", "must be one of " + FORMATS)));
    }
    if (!"promptfoo".equals(format) && (o.name() == null || o.name().isBlank())) {
      throw ApiException.badRequest(
          "Dataset name is required: pass ?name=...",
          List.of(new Violation("name", "Dataset name is required.")));
    }
    InputStream limited = new LimitedInputStream(body, maxImportBytes);
    if ("csv".equals(format) || "hf".equals(format)) {
      checkNameLength(o.name());
      Reader reader = new InputStreamReader(limited, StandardCharsets.UTF_8);
      try (Streamed sink = new Streamed(o, sharing)) {
        Map<String, Object> metadata =
            "csv".equals(format)
                ? CsvImporter.read(reader, o, maxTestCases, sink)
                : HuggingFaceImporter.read(reader, o, maxTestCases, sink);
        return sink.finish(metadata);
      }
    }
    if ("jsonl".equals(format)) {
      checkNameLength(o.name());
      return importJsonl(
          o.name(),
          o.description(),
          o.promptTemplate(),
          o.expectedField(),
          o.assertions(),
          o.tags(),
          sharing,
          new InputStreamReader(limited, StandardCharsets.UTF_8));
    }
    String text;
    try {
      text = new String(limited.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ApiException.badRequest("Could not read the request body: " + e.getMessage());
    }
    int maxChars = (int) Math.min(Integer.MAX_VALUE - 16, maxImportBytes);
    CreateDatasetRequest request =
        switch (format) {
          case "yaml" -> YamlImporter.parse(text, o, maxChars, maxTestCases);
          default -> {
            Map<String, String> registered = new LinkedHashMap<>();
            providers.all().forEach(p -> registered.put(p.name(), p.adapter()));
            yield PromptfooImporter.parse(
                text,
                o,
                new PromptfooProviders(o.providerMap(), registered),
                maxChars,
                maxTestCases);
          }
        };
    if (request.name() == null || request.name().isBlank()) {
      throw ApiException.badRequest(
          "Dataset name is required: pass ?name=... (or give the config a description).",
          List.of(new Violation("name", "Dataset name is required.")));
    }
    checkNameLength(request.name());
    return create(request, sharing);
  }

  private static void checkNameLength(String name) {
    if (name.length() > 255) {
      throw ApiException.badRequest(
          "Dataset name must be at most 255 characters.",
          List.of(new Violation("name", "at most 255 characters")));
    }
  }

  /** A streaming importer's cases, stored as they come with the import's options. */
  private final class Streamed implements CaseSink, AutoCloseable {
    private final ImportOptions o;
    private final Dataset.Sharing sharing;
    private CaseStream stream;

    Streamed(ImportOptions o, Dataset.Sharing sharing) {
      this.o = o;
      this.sharing = sharing;
    }

    @Override
    public void template(String promptTemplate) {
      stream =
          stream(
              o.name().strip(),
              o.description(),
              promptTemplate,
              o.assertions(),
              o.tags(),
              null,
              sharing);
    }

    @Override
    public void add(TestCaseInput testCase) {
      stream.add(testCase);
    }

    Dataset finish(Map<String, Object> metadata) {
      return stream.finish(null, metadata);
    }

    @Override
    public void close() {
      if (stream != null) {
        stream.close();
      }
    }
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
      Dataset.Sharing sharing,
      Reader body) {
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest(
          "Dataset name is required: pass ?name=...",
          List.of(new Violation("name", "Dataset name is required.")));
    }
    try (CaseStream stream =
            stream(name.strip(), description, promptTemplate, assertions, tags, null, sharing);
        BufferedReader reader = new BufferedReader(body)) {
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (!line.isBlank()) {
          stream.add(parseLine(lineNo, line, expectedField));
        }
      }
      return stream.finish(null, null);
    } catch (IOException e) {
      throw ApiException.badRequest("Could not read the request body: " + e.getMessage());
    }
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
          row.get("metadata") instanceof Map<?, ?> m ? castMap(m) : null,
          row.get("outputs") instanceof Map<?, ?> o ? castMap(o) : null,
          row.get("output") == null ? null : String.valueOf(row.get("output")),
          row.get("model") == null ? null : String.valueOf(row.get("model")));
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
        in.metadata() == null ? Map.of() : in.metadata(),
        RecordedOutputs.parse(in, at, violations));
  }

  /**
   * The targets given, checked; without any, one {@code recorded} target per model the cases have
   * recorded outputs for.
   */
  private static List<SuggestedTarget> targets(
      List<SuggestedTarget> given, Set<String> models, List<Violation> violations) {
    if (given != null && !given.isEmpty()) {
      for (int i = 0; i < given.size(); i++) {
        SuggestedTarget t = given.get(i);
        if (t == null
            || t.provider() == null
            || t.provider().isBlank()
            || t.model() == null
            || t.model().isBlank()) {
          violations.add(new Violation("targets[" + i + "]", "needs a provider and a model"));
        }
      }
      return given;
    }
    return models.stream()
        .map(m -> new SuggestedTarget(RecordedOutputs.PROVIDER, m, null, null))
        .toList();
  }

  /** A 400 listing the first violations of {@code total}. */
  private static ApiException invalid(List<Violation> violations, int total) {
    List<Violation> reported =
        violations.size() > MAX_REPORTED_VIOLATIONS
            ? violations.subList(0, MAX_REPORTED_VIOLATIONS)
            : violations;
    return ApiException.badRequest(
        total == 1
            ? violations.get(0).field() + ": " + violations.get(0).message()
            : total + " problems in the dataset; see violations.",
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

  /** The dataset, whoever may see it: for the batch job, which runs without a caller. */
  public Optional<Dataset> find(UUID id) {
    return repository.find(id);
  }

  /** The dataset if the current caller may read it (docs/security.md "Ownership"). */
  public Optional<Dataset> findVisible(UUID id) {
    return repository.find(id, Visibility.of(callers.current()));
  }

  /** The datasets the current caller may read, newest first. */
  public List<Dataset> list(Long cursor, int limit) {
    return repository.list(Visibility.of(callers.current()), cursor, limit);
  }

  /**
   * How a dataset the current caller creates is shared: owned by them, readable by the members of
   * {@code shareWith} (a group they are in, unless admin) and by everyone when {@code all}, which
   * only admins may ask (a 403 otherwise).
   */
  public Dataset.Sharing sharingForNew(String shareWith, Boolean all) {
    String group = callers.requireMayShareWith(shareWith, "shareWith");
    boolean everyone = Boolean.TRUE.equals(all);
    if (everyone) {
      requireAdminForAll("sharedWithAll");
    }
    Caller c = callers.current();
    return new Dataset.Sharing(c == null ? null : Visibility.ownerKey(c), group, everyone);
  }

  private void requireAdminForAll(String field) {
    if (!Visibility.of(callers.current()).all()) {
      throw new ApiException(
          403,
          "forbidden",
          "Forbidden",
          field
              + ": only an admin shares a dataset with everyone; share it with your group"
              + " instead.");
    }
  }

  /**
   * A 404 unless the current caller may read the dataset, a 403 when they read it (shared with
   * their group or everyone) but are neither its owner nor an admin.
   */
  public Dataset requireChange(UUID id) {
    Visibility v = Visibility.of(callers.current());
    Dataset d = repository.find(id, v).orElseThrow(() -> ApiException.notFound("Dataset", id));
    if (!v.canChange(d.sharing().owner())) {
      throw new ApiException(
          403,
          "forbidden",
          "Forbidden",
          "Dataset "
              + id
              + " is shared with you; only its owner or an admin changes or deletes it.");
    }
    return d;
  }

  /**
   * Shares a dataset the current caller may change with {@code group} (null: nobody) and, for
   * admins only, with everyone; answers it as it now is.
   */
  public Dataset share(UUID id, String group, Boolean all) {
    Dataset d = requireChange(id);
    String checked = callers.requireMayShareWith(group, "group");
    boolean everyone = all == null ? d.sharing().all() : all;
    if (everyone != d.sharing().all()) {
      requireAdminForAll("sharedWithAll");
    }
    if (!repository.share(id, checked, everyone)) {
      throw ApiException.notFound("Dataset", id);
    }
    return repository.find(id).orElseThrow(() -> ApiException.notFound("Dataset", id));
  }

  public List<TestCase> testCases(UUID id, int from, int limit) {
    return repository.testCases(id, from, limit);
  }

  /** Deletes a dataset the current caller may change, unless a pending or running run needs it. */
  public void delete(UUID id) {
    requireChange(id);
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
