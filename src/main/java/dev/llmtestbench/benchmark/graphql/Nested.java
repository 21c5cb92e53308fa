package dev.llmtestbench.benchmark.graphql;

import dev.llmtestbench.benchmark.api.BenchmarkView;
import dev.llmtestbench.benchmark.api.ResultView;
import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultFilter;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import dev.llmtestbench.platform.security.Visibility;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The nested fields of one GraphQL answer ({@code Benchmark.resultCount}, {@code
 * Benchmark.results}, {@code Result.benchmark}), each loaded for every parent of the answer at once
 * with {@link PageLoader}s: every Benchmark and Result the answer creates registers here, so the
 * first parent whose field is resolved loads the field for all of them in one statement.
 *
 * <p>Everything is read under the visibility of the caller the answer was made for, so a nested
 * field shows nothing its top-level counterpart would hide, whatever parent it is reached through.
 */
final class Nested {

  /** The arguments of one {@code Benchmark.results} field: its parents share one load. */
  record PageArgs(ResultFilter filter, Long after, int first) {}

  private final Visibility visibility;
  private final ResultRepository results;
  private final BenchmarkService service;
  private final Object lock = new Object();
  private final Set<UUID> benchmarkIds = new LinkedHashSet<>();
  private final PageLoader<Integer> counts;
  private final PageLoader<BenchmarkType> runs;
  private final Map<PageArgs, PageLoader<List<ResultRecord>>> pages = new HashMap<>();

  Nested(
      Visibility visibility,
      ResultRepository results,
      RunRepository runRepository,
      BenchmarkService service) {
    this.visibility = visibility;
    this.results = results;
    this.service = service;
    this.counts = new PageLoader<>(results::counts, 0, lock);
    this.runs =
        new PageLoader<>(
            ids -> {
              Map<UUID, BenchmarkType> found = new LinkedHashMap<>();
              for (BenchmarkRun r : runRepository.findAll(ids, visibility)) {
                found.put(r.id(), benchmark(r));
              }
              return found;
            },
            null,
            lock);
  }

  /** The Benchmark of a run the caller may see, its nested fields loaded with this answer's. */
  BenchmarkType benchmark(BenchmarkRun run) {
    return benchmark(BenchmarkView.of(run, service.summary(run)));
  }

  BenchmarkType benchmark(BenchmarkView view) {
    BenchmarkType b = BenchmarkType.of(view);
    b.nested = this;
    UUID id = UUID.fromString(b.id);
    synchronized (lock) {
      benchmarkIds.add(id);
      runs.prime(id, b); // Result.benchmark of its results needs no statement
      counts.register(List.of(id));
      pages.values().forEach(p -> p.register(List.of(id)));
    }
    return b;
  }

  /** The Result of a result the caller may see, its nested fields loaded with this answer's. */
  ResultType result(ResultRecord record) {
    ResultType r = ResultType.of(ResultView.of(record));
    r.nested = this;
    runs.register(List.of(record.runId()));
    return r;
  }

  int resultCount(UUID benchmark) {
    return counts.get(benchmark);
  }

  /**
   * The first {@code args.first() + 1} results after the cursor of a benchmark, loaded with those
   * of every benchmark of the answer (one more than asked tells whether a next page exists).
   */
  List<ResultRecord> results(UUID benchmark, PageArgs args) {
    PageLoader<List<ResultRecord>> loader;
    synchronized (lock) {
      loader =
          pages.computeIfAbsent(
              args,
              a -> {
                PageLoader<List<ResultRecord>> l =
                    new PageLoader<>(ids -> page(ids, a), List.of(), lock);
                l.register(benchmarkIds);
                return l;
              });
    }
    return loader.get(benchmark);
  }

  private Map<UUID, List<ResultRecord>> page(java.util.Collection<UUID> ids, PageArgs a) {
    UUID runId = a.filter().runId();
    List<UUID> asked =
        runId == null ? List.copyOf(ids) : ids.stream().filter(runId::equals).toList();
    Map<UUID, List<ResultRecord>> found =
        results.firstPerRun(asked, a.filter(), a.after(), a.first() + 1, visibility);
    // Their Result.benchmark fields load together too.
    runs.register(
        found.values().stream().flatMap(List::stream).map(ResultRecord::runId).distinct().toList());
    return found;
  }

  /** The benchmark of a result, loaded with those of every result of the answer; null if hidden. */
  BenchmarkType benchmarkOf(UUID runId) {
    return runs.get(runId);
  }
}
