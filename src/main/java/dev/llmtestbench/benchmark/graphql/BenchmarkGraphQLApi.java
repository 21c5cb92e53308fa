package dev.llmtestbench.benchmark.graphql;

import dev.llmtestbench.benchmark.api.BenchmarkResource;
import dev.llmtestbench.benchmark.api.BenchmarkView;
import dev.llmtestbench.benchmark.api.CreateBenchmarkRequest;
import dev.llmtestbench.benchmark.api.ResultResource;
import dev.llmtestbench.benchmark.api.TargetInput;
import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.Budget;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.RunFilter;
import dev.llmtestbench.benchmark.persistence.ResultFilter;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import dev.llmtestbench.benchmark.service.RunAccess;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.platform.security.Permission;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

/** Benchmarks and results over GraphQL, with the same rules and errors as the REST API. */
@GraphQLApi
public class BenchmarkGraphQLApi {

  @Inject BenchmarkService service;
  @Inject ResultRepository results;
  @Inject RunRepository runs;
  @Inject Callers callers;
  @Inject RunAccess access;

  @Query("benchmark")
  @Description("A benchmark run by id, with its live or final summary.")
  public BenchmarkType benchmark(@NonNull @Id String id) throws GraphQLException {
    require(Permission.VIEW_RESULTS);
    return api(
        () -> {
          BenchmarkRun run =
              service
                  .find(Ids.parse(id, "benchmark"))
                  .filter(r -> access.canRead(r.id()))
                  .orElseThrow(() -> ApiException.notFound("Benchmark", id));
          return nested().benchmark(run);
        });
  }

  @Query("benchmarks")
  @Description(
      "Benchmark runs matching the filter, newest first; pass pageInfo.endCursor as after for the"
          + " next page (the same filter keeps the order). status is kept for compatibility;"
          + " filter.status wins when both are given.")
  public Connection<BenchmarkType> benchmarks(
      @DefaultValue("50") int first, String after, String status, BenchmarkFilterInput filter)
      throws GraphQLException {
    require(Permission.VIEW_RESULTS);
    return api(
        () -> {
          int n = Ids.limit(first, 50, 500);
          BenchmarkFilterInput f = filter == null ? new BenchmarkFilterInput() : filter;
          RunFilter runFilter =
              BenchmarkResource.filter(
                  f.status != null ? f.status : status,
                  f.provider,
                  f.model,
                  f.createdAfter,
                  f.createdBefore,
                  f.tags);
          // Nested fields of the page's benchmarks load for all of them at once.
          Nested nested = nested();
          return Connection.of(
              service.list(Cursors.decode(after), runFilter, n + 1),
              n,
              BenchmarkRun::seq,
              nested::benchmark);
        });
  }

  @Name("resultCount")
  @Description(
      "Results written so far for this benchmark; loaded for a whole page of benchmarks in one"
          + " statement.")
  public int resultCount(@Source BenchmarkType benchmark) {
    // The parent was answered by a query or mutation that checked the caller's access to it.
    return nestedOf(benchmark).resultCount(UUID.fromString(benchmark.id));
  }

  /** The most results one nested {@code Benchmark.results} field returns per benchmark. */
  static final int NESTED_RESULTS_MAX = 100;

  @Name("results")
  @Description(
      "This benchmark's results matching the filter, in the order they were written, with the"
          + " cursors of the top-level results query (page on here with after, or there with"
          + " filter.runId and after). first is at most 100. Loaded for a whole page of benchmarks"
          + " in one statement.")
  public Connection<ResultType> benchmarkResults(
      @Source BenchmarkType benchmark,
      @DefaultValue("10") int first,
      String after,
      ResultFilterInput filter)
      throws GraphQLException {
    if (first < 1 || first > NESTED_RESULTS_MAX) {
      throw new GraphQLException(
          "Benchmark.results: first must be between 1 and "
              + NESTED_RESULTS_MAX
              + ", was "
              + first
              + "; page on with after (pageInfo.endCursor).",
          GraphQLException.ExceptionType.DataFetchingException);
    }
    return api(
        () -> {
          ResultFilterInput f = filter == null ? new ResultFilterInput() : filter;
          ResultFilter parsed =
              ResultResource.filter(f.runId, f.provider, f.model, f.status, f.passed);
          Nested nested = nestedOf(benchmark);
          List<ResultRecord> rows =
              nested.results(
                  UUID.fromString(benchmark.id),
                  new Nested.PageArgs(parsed, Cursors.decode(after), first));
          return Connection.of(rows, first, ResultRecord::seq, nested::result);
        });
  }

  @Name("benchmark")
  @Description(
      "The benchmark this result belongs to; loaded for a whole page of results in one statement.")
  public BenchmarkType resultBenchmark(@Source ResultType result) {
    // The parent result was answered under the caller's visibility; the run is read under it too.
    return nestedOf(result).benchmarkOf(UUID.fromString(result.runId));
  }

  @Query("results")
  @Description("Results matching the filter, in the order they were written.")
  public Connection<ResultType> results(
      ResultFilterInput filter, @DefaultValue("50") int first, String after)
      throws GraphQLException {
    require(Permission.VIEW_RESULTS);
    return api(
        () -> {
          int n = Ids.limit(first, 50, 1000);
          ResultFilterInput f = filter == null ? new ResultFilterInput() : filter;
          Nested nested = nested();
          return Connection.of(
              results.query(
                  ResultResource.filter(f.runId, f.provider, f.model, f.status, f.passed)
                      .visibleTo(access.visibility()),
                  Cursors.decode(after),
                  n + 1),
              n,
              ResultRecord::seq,
              nested::result);
        });
  }

  @Mutation("createBenchmark")
  @Description("Starts a benchmark run; follow it with benchmark(id) or the /ws topics.")
  public BenchmarkType createBenchmark(@NonNull BenchmarkInput input) throws GraphQLException {
    require(Permission.RUN_BENCHMARK);
    return api(
        () -> {
          List<TargetInput> targets =
              input.targets == null
                  ? List.of()
                  : input.targets.stream()
                      .map(t -> new TargetInput(t.provider, t.model, options(t.options)))
                      .toList();
          List<AssertionSpec> assertions =
              input.assertions == null
                  ? List.of()
                  : input.assertions.stream()
                      .map(
                          a ->
                              new AssertionSpec(
                                  a.type, a.value, a.threshold, a.weight, a.metric, null, null))
                      .toList();
          BenchmarkRun run =
              service.create(
                  new CreateBenchmarkRequest(
                      input.name,
                      input.description,
                      input.datasetId,
                      targets,
                      assertions,
                      input.repeats,
                      input.concurrency,
                      input.partitions,
                      input.systemPrompt,
                      input.temperature,
                      input.maxTokens,
                      input.timeoutMs,
                      input.tags,
                      input.stream,
                      input.cache,
                      input.cacheAcrossRepeats,
                      null,
                      null,
                      null,
                      null,
                      input.budget == null
                          ? null
                          : new Budget(
                              input.budget.maxCost,
                              input.budget.maxTokens,
                              input.budget.maxDurationSeconds),
                      input.shareWith));
          return nested().benchmark(BenchmarkView.of(run, null));
        });
  }

  @Mutation("cancelBenchmark")
  @Description("Cancels a pending or running benchmark; finished results stay.")
  public BenchmarkType cancelBenchmark(@NonNull @Id String id) throws GraphQLException {
    require(Permission.RUN_BENCHMARK);
    return api(
        () -> {
          UUID uuid = Ids.parse(id, "benchmark");
          access.requireChange(uuid);
          BenchmarkRun run = service.cancel(uuid);
          return nested().benchmark(run);
        });
  }

  @Mutation("restartBenchmark")
  @Description(
      "Restarts a failed, cancelled or interrupted benchmark's batch job from its checkpoints;"
          + " finished results stay.")
  public BenchmarkType restartBenchmark(@NonNull @Id String id) throws GraphQLException {
    require(Permission.RUN_BENCHMARK);
    return api(
        () -> {
          UUID uuid = Ids.parse(id, "benchmark");
          access.requireChange(uuid);
          BenchmarkRun run = service.restart(uuid);
          return nested().benchmark(run);
        });
  }

  /** Loaders of the nested fields of one answer, reading under the current caller's visibility. */
  private Nested nested() {
    return new Nested(access.visibility(), results, runs, service);
  }

  /** The loaders a parent was created with, or loaders for it alone. */
  private Nested nestedOf(BenchmarkType b) {
    return b.nested != null ? b.nested : nested();
  }

  private Nested nestedOf(ResultType r) {
    return r.nested != null ? r.nested : nested();
  }

  /** The caller must hold {@code p} (docs/security.md): else an error, as for REST's 401/403. */
  private void require(Permission p) throws GraphQLException {
    callers.requireInGraphQL(p);
  }

  /** Domain failures reach GraphQL clients with their message; anything else stays hidden. */
  private static <T> T api(java.util.function.Supplier<T> call) throws GraphQLException {
    try {
      return call.get();
    } catch (ApiException e) {
      throw new GraphQLException(
          e.getMessage(), GraphQLException.ExceptionType.DataFetchingException);
    }
  }

  private static Map<String, String> options(List<BenchmarkInput.OptionIn> options) {
    Map<String, String> m = new LinkedHashMap<>();
    if (options != null) {
      for (BenchmarkInput.OptionIn o : options) {
        m.put(o.key, o.value);
      }
    }
    return m;
  }
}
