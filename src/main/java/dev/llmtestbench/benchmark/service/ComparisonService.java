package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.api.CompareRequest;
import dev.llmtestbench.benchmark.api.CompareRequest.SideInput;
import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.Comparisons.Cell;
import dev.llmtestbench.benchmark.domain.Comparisons.Column;
import dev.llmtestbench.benchmark.domain.Comparisons.ModelMatrix;
import dev.llmtestbench.benchmark.domain.Comparisons.PassRateChange;
import dev.llmtestbench.benchmark.domain.Comparisons.Row;
import dev.llmtestbench.benchmark.domain.Comparisons.RunComparison;
import dev.llmtestbench.benchmark.domain.Comparisons.ScoreChange;
import dev.llmtestbench.benchmark.domain.Comparisons.Side;
import dev.llmtestbench.benchmark.domain.PairedAnalysis;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.domain.RunSummary;
import dev.llmtestbench.benchmark.domain.RunSummary.TargetSummary;
import dev.llmtestbench.benchmark.domain.Target;
import dev.llmtestbench.benchmark.persistence.ComparisonRepository;
import dev.llmtestbench.benchmark.persistence.ComparisonRepository.MatrixCell;
import dev.llmtestbench.benchmark.persistence.ComparisonRepository.MetricPairs;
import dev.llmtestbench.benchmark.persistence.ComparisonRepository.PairFilter;
import dev.llmtestbench.benchmark.persistence.ComparisonRepository.PairRow;
import dev.llmtestbench.benchmark.persistence.ComparisonRepository.PairTable;
import dev.llmtestbench.benchmark.persistence.ComparisonRepository.RowFilter;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code POST /api/v1/compare}: a run's models side by side (the matrix view's data), or a
 * candidate run against a baseline run on the same dataset with paired tests ({@link
 * PairedAnalysis}). Statistics read counts and score arrays from the database; only the requested
 * page of cases is loaded in full.
 */
@ApplicationScoped
public class ComparisonService {

  static final double DEFAULT_ALPHA = 0.05;
  static final int DEFAULT_EXCERPT = 200;
  static final int MAX_EXCERPT = 10_000;

  @Inject BenchmarkService benchmarks;
  @Inject RunAccess access;
  @Inject ComparisonRepository repository;
  @Inject RunSummaries summaries;

  /** Answers a comparison request: a {@link ModelMatrix} or a {@link RunComparison}. */
  public Object compare(CompareRequest r) {
    boolean matrix = r.runId() != null;
    boolean runs = r.baseline() != null || r.candidate() != null;
    if (matrix == runs) {
      throw ApiException.badRequest(
          "Give either runId (models side by side on one run) or baseline and candidate (a"
              + " candidate run against a baseline run), not "
              + (matrix ? "both." : "neither."),
          List.of(new Violation("runId", "give runId, or baseline and candidate")));
    }
    int limit = Ids.limit(r.limit(), 50, 500);
    int excerpt = r.excerptChars() == null ? DEFAULT_EXCERPT : r.excerptChars();
    if (excerpt < 0 || excerpt > MAX_EXCERPT) {
      throw ApiException.badRequest(
          "excerptChars must be between 0 and " + MAX_EXCERPT + ", was " + excerpt + ".",
          List.of(new Violation("excerptChars", "must be between 0 and " + MAX_EXCERPT)));
    }
    Long cursor = Cursors.decode(r.cursor());
    return matrix ? matrix(r, limit, excerpt, cursor) : runs(r, limit, excerpt, cursor);
  }

  private ModelMatrix matrix(CompareRequest r, int limit, int excerpt, Long cursor) {
    if (r.alpha() != null) {
      throw ApiException.badRequest(
          "alpha applies to baseline/candidate comparisons only; a matrix has no test.",
          List.of(new Violation("alpha", "only with baseline and candidate")));
    }
    RowFilter filter = parse(RowFilter.class, r.cases(), RowFilter.ALL);
    BenchmarkRun run = run(r.runId(), "runId");
    List<Target> targets = run.config().targets();
    int t = Math.max(1, targets.size());
    List<MatrixCell> cells =
        repository.matrix(run.id(), t, cursor == null ? -1 : cursor, limit + 1, filter, excerpt);
    List<Row> rows = new ArrayList<>();
    List<Long> rowKeys = new ArrayList<>();
    Cell[] current = null;
    MatrixCell first = null;
    for (MatrixCell c : cells) {
      if (first == null || c.row() != first.row()) {
        if (first != null) {
          rows.add(row(first, current));
          rowKeys.add(first.row());
        }
        first = c;
        current = new Cell[t];
      }
      current[c.target()] = c.cell();
    }
    if (first != null) {
      rows.add(row(first, current));
      rowKeys.add(first.row());
    }
    String next = null;
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      next = Cursors.encode(rowKeys.get(limit - 1));
    }
    RunSummary summary = benchmarks.summary(run);
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get(i);
      columns.add(
          new Column(
              i,
              target.provider(),
              target.model(),
              target.label(),
              totals(summary, target.provider(), target.model())));
    }
    return new ModelMatrix(
        "models",
        run.id().toString(),
        run.name(),
        run.status().db(),
        run.datasetId() == null ? null : run.datasetId().toString(),
        run.config().repeats(),
        columns,
        List.copyOf(rows),
        next);
  }

  private static Row row(MatrixCell first, Cell[] cells) {
    Boolean passed = null;
    boolean agree = true;
    for (Cell c : cells) {
      if (c == null) {
        continue;
      }
      if (passed == null) {
        passed = c.passed();
      } else if (passed != c.passed()) {
        agree = false;
      }
    }
    return new Row(
        first.testId(),
        first.testCaseId(),
        first.repeat(),
        first.prompt(),
        first.expected(),
        agree,
        Arrays.asList(cells));
  }

  private RunComparison runs(CompareRequest r, int limit, int excerpt, Long cursor) {
    List<Violation> missing = new ArrayList<>();
    if (r.baseline() == null || r.baseline().runId() == null) {
      missing.add(new Violation("baseline.runId", "required: the run to compare against"));
    }
    if (r.candidate() == null || r.candidate().runId() == null) {
      missing.add(new Violation("candidate.runId", "required: the run to compare"));
    }
    double alpha = r.alpha() == null ? DEFAULT_ALPHA : r.alpha();
    if (!(alpha > 0 && alpha < 1)) {
      missing.add(new Violation("alpha", "must be strictly between 0 and 1, was " + alpha));
    }
    if (!missing.isEmpty()) {
      throw ApiException.badRequest(
          missing.size() == 1
              ? missing.get(0).field() + ": " + missing.get(0).message()
              : missing.size() + " problems in the request; see violations.",
          missing);
    }
    PairFilter filter = parse(PairFilter.class, r.cases(), PairFilter.CHANGED);
    BenchmarkRun baseRun = run(r.baseline().runId(), "baseline.runId");
    BenchmarkRun candRun = run(r.candidate().runId(), "candidate.runId");
    finished(baseRun, "baseline");
    finished(candRun, "candidate");
    if (!Objects.equals(baseRun.datasetId(), candRun.datasetId())) {
      throw new ApiException(
          409,
          "incomparable-runs",
          "Runs on different datasets",
          "The baseline ran dataset "
              + baseRun.datasetId()
              + " and the candidate dataset "
              + candRun.datasetId()
              + "; compare runs of the same dataset, or use runId to see one run's models side"
              + " by side.");
    }
    Target baseTarget = target(baseRun, r.baseline(), "baseline");
    Target candTarget = target(candRun, r.candidate(), "candidate");
    ComparisonRepository.Side base =
        new ComparisonRepository.Side(baseRun.id(), baseTarget.provider(), baseTarget.model());
    ComparisonRepository.Side cand =
        new ComparisonRepository.Side(candRun.id(), candTarget.provider(), candTarget.model());

    PairTable table = repository.pairTable(base, cand);
    if (table.pairs() == 0) {
      throw new ApiException(
          409,
          "incomparable-runs",
          "No matching cases",
          "No (test case, repeat) of the baseline target has a result of the candidate target;"
              + " there is nothing to compare.");
    }
    PairedAnalysis analysis =
        new PairedAnalysis(
            alpha,
            summaries.statistics().method().bootstrapResamples(),
            summaries.statistics().method().bootstrapSeed());
    PassRateChange passRate =
        analysis.passRate(
            table.bothPass(), table.regressions(), table.improvements(), table.bothFail());
    ScoreChange score = analysis.score(null, table.baselineScores(), table.candidateScores());
    List<ScoreChange> metrics = new ArrayList<>();
    for (MetricPairs m : repository.metricPairs(base, cand)) {
      metrics.add(analysis.score(m.metric(), m.baseline(), m.candidate()));
    }
    metrics = analysis.holm(metrics);

    List<PairRow> page =
        repository.pairs(base, cand, filter, cursor == null ? -1 : cursor, limit + 1, excerpt);
    String next = page.size() > limit ? Cursors.encode(page.get(limit - 1).key()) : null;
    List<String> notes = new ArrayList<>();
    int baselineOnly = table.baselineResults() - table.pairs();
    int candidateOnly = table.candidateResults() - table.pairs();
    if (baselineOnly > 0 || candidateOnly > 0) {
      notes.add(
          baselineOnly
              + " baseline and "
              + candidateOnly
              + " candidate result(s) have no match (another repeat count or a missing case);"
              + " they are left out of every figure, not counted as passes or failures.");
    }
    if (baseRun.config().repeats() > 1 || candRun.config().repeats() > 1) {
      notes.add(
          "Pairs are matched by case and repeat and tested as independent pairs; repeats of one"
              + " case are correlated, so read p-values as optimistic.");
    }
    return new RunComparison(
        "runs",
        side(baseRun, baseTarget),
        side(candRun, candTarget),
        alpha,
        analysis.confidence(),
        table.pairs(),
        baselineOnly,
        candidateOnly,
        passRate,
        score,
        metrics,
        passRate.regressions(),
        passRate.improvements(),
        analysis.verdict(passRate),
        analysis.reason(passRate),
        notes,
        page.stream().limit(limit).map(PairRow::change).toList(),
        next);
  }

  private Side side(BenchmarkRun run, Target target) {
    return new Side(
        run.id().toString(),
        run.name(),
        run.status().db(),
        target.provider(),
        target.model(),
        totals(benchmarks.summary(run), target.provider(), target.model()));
  }

  private static TargetSummary totals(RunSummary summary, String provider, String model) {
    if (summary == null) {
      return null;
    }
    return summary.targets().stream()
        .filter(s -> provider.equals(s.provider()) && model.equals(s.model()))
        .findFirst()
        .orElse(null);
  }

  private BenchmarkRun run(String id, String field) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest(
          field + ": '" + id + "' is not a valid benchmark id; ids are UUIDs.",
          List.of(new Violation(field, "not a UUID")));
    }
    return benchmarks
        .find(uuid)
        .filter(found -> access.canRead(found.id()))
        .orElseThrow(
            () ->
                new ApiException(
                    404,
                    "not-found",
                    "Benchmark not found",
                    field + ": benchmark '" + id + "' does not exist (see GET /api/v1/benchmarks).",
                    List.of(new Violation(field, "no such benchmark"))));
  }

  private static void finished(BenchmarkRun run, String side) {
    if (run.status() != RunStatus.COMPLETED) {
      throw new ApiException(
          409,
          "run-not-completed",
          "Run not completed",
          "The "
              + side
              + " run "
              + run.id()
              + " is "
              + run.status().db()
              + "; only completed runs can be compared. Wait for it (GET /api/v1/benchmarks/"
              + run.id()
              + ") or compare another run; a live run's models can be shown with runId.");
    }
  }

  /** The side's target: the one named, or the run's only one. */
  private static Target target(BenchmarkRun run, SideInput input, String side) {
    List<Target> targets = run.config().targets();
    List<Target> matches =
        targets.stream()
            .filter(t -> input.provider() == null || t.provider().equals(input.provider()))
            .filter(t -> input.model() == null || t.model().equals(input.model()))
            .map(t -> new Target(t.provider(), t.model(), null))
            .distinct()
            .toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    List<String> labels = targets.stream().map(Target::label).distinct().toList();
    String field = side + (input.model() == null ? ".provider" : ".model");
    String detail =
        matches.isEmpty()
            ? side
                + ": run "
                + run.id()
                + " has no target "
                + (input.provider() == null ? "" : input.provider() + "/")
                + (input.model() == null ? "*" : input.model())
                + "; its targets are "
                + labels
                + "."
            : side
                + ": run "
                + run.id()
                + " has several targets "
                + labels
                + "; name one with provider and model.";
    throw ApiException.badRequest(detail, List.of(new Violation(field, detail)));
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed =
          Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT))
              .toList();
      throw ApiException.badRequest(
          "cases: '" + value + "' is not one of " + allowed + ".",
          List.of(new Violation("cases", "one of " + allowed)));
    }
  }
}
