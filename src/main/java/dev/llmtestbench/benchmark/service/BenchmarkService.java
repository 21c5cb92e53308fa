package dev.llmtestbench.benchmark.service;

import dev.llmtestbench.benchmark.api.CreateBenchmarkRequest;
import dev.llmtestbench.benchmark.api.TargetInput;
import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.Gate;
import dev.llmtestbench.benchmark.domain.RunConfig;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.domain.RunSummary;
import dev.llmtestbench.benchmark.domain.Target;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.PromptTemplate;
import dev.llmtestbench.dataset.service.DatasetService;
import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.evaluation.service.GradingService;
import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.service.BenchmarkMetrics;
import dev.llmtestbench.monitoring.service.EventBus;
import dev.llmtestbench.platform.cluster.ServerRegistry;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.provider.service.ProviderRegistry;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.simulator.SimulatorProvider;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Benchmark runs: validate and start, read, cancel, and the state changes the batch job makes. */
@ApplicationScoped
public class BenchmarkService {

  public static final String JOB_NAME = "benchmark-run";
  private static final Logger LOG = Logger.getLogger(BenchmarkService.class.getName());

  @Inject RunRepository runs;
  @Inject RunAccess access;
  @Inject Callers callers;
  @Inject ResultRepository results;
  @Inject RunSummaries summaries;
  @Inject DatasetService datasets;
  @Inject ProviderRegistry providers;
  @Inject BatchLauncher launcher;
  @Inject RunAdmission admission;
  @Inject CancellationRegistry cancellations;
  @Inject ProgressPublisher progress;
  @Inject EventBus bus;
  @Inject dev.llmtestbench.monitoring.service.Alerts alerts;
  @Inject BenchmarkMetrics metrics;
  @Inject dev.llmtestbench.provider.service.ResponseCache responseCache;
  @Inject GradingService grading;
  @Inject ServerRegistry registry;
  @Inject UnsettledRuns unsettled;
  @Inject dev.llmtestbench.platform.settings.SettingsService settings;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.chunk-size", defaultValue = "100")
  int chunkSize;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.checkpoint-interval-ms", defaultValue = "2000")
  int checkpointMillis;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.checkpoint-idle-ms", defaultValue = "50")
  int checkpointIdleMillis;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.max-concurrency", defaultValue = "256")
  int maxConcurrency;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.max-partitions", defaultValue = "16")
  int maxPartitions;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.max-repeats", defaultValue = "100")
  int maxRepeats;

  @Inject
  @ConfigProperty(name = "ltb.cache.enabled", defaultValue = "true")
  boolean cacheByDefault;

  /** Validates the request, stores the run as pending and starts its batch job. */
  /** Shares a run with {@code group} (null: nobody); the caller's rights are checked before. */
  public void share(UUID id, String group) {
    if (!runs.share(id, group)) {
      throw ApiException.notFound("Benchmark", id);
    }
  }

  public BenchmarkRun create(CreateBenchmarkRequest r) {
    UUID datasetId = Ids.parse(r.datasetId(), "dataset");
    String shareWith = callers.requireMayShareWith(r.shareWith(), "shareWith");
    Dataset dataset =
        datasets
            .findVisible(datasetId)
            .orElseThrow(
                () ->
                    new ApiException(
                        400,
                        "unknown-dataset",
                        "Unknown dataset",
                        "Dataset '"
                            + r.datasetId()
                            + "' does not exist (see GET /api/v1/datasets).",
                        List.of(new Violation("datasetId", "no such dataset"))));
    if (dataset.testCaseCount() == 0) {
      throw ApiException.badRequest(
          "Dataset '" + dataset.name() + "' has no test cases; add some before running it.");
    }
    List<TargetInput> inputs = r.targets();
    if (inputs == null || inputs.isEmpty()) {
      // A dataset may suggest targets: a promptfoo config's providers, or its recorded models.
      inputs =
          dataset.targets().stream()
              .map(t -> new TargetInput(t.provider(), t.model(), t.options()))
              .toList();
    }
    if (inputs.isEmpty()) {
      throw ApiException.badRequest(
          "targets must list at least one {provider, model} (dataset '"
              + dataset.name()
              + "' suggests none).",
          List.of(new Violation("targets", "must list at least one {provider, model}")));
    }
    List<Violation> violations = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      TargetInput t = inputs.get(i);
      if (t == null || t.provider() == null || t.model() == null || t.model().isBlank()) {
        violations.add(new Violation("targets[" + i + "]", "needs a provider and a model"));
        continue;
      }
      Optional<RegisteredProvider> p = providers.find(t.provider());
      if (p.isEmpty()) {
        violations.add(
            new Violation(
                "targets[" + i + "].provider",
                "Unknown provider '"
                    + t.provider()
                    + "'. Known providers: "
                    + providers.names()
                    + "."));
        continue;
      }
      if (SimulatorProvider.TYPE.equals(p.get().adapter()) && t.options() != null) {
        try {
          SimulatorProvider.validateOptions(t.options());
        } catch (IllegalArgumentException e) {
          violations.add(new Violation("targets[" + i + "].options", e.getMessage()));
        }
      }
      targets.add(new Target(t.provider(), t.model(), t.options()));
    }
    try {
      Assertions.compileAll(r.assertions() == null ? List.of() : r.assertions());
      for (String problem : grading.judgeProblems(judgeAssertions(r, dataset))) {
        violations.add(new Violation("assertions", problem));
      }
    } catch (InvalidAssertionException e) {
      violations.add(new Violation("assertions", e.getMessage()));
    }
    int repeats = bounded(r.repeats(), 1, 1, maxRepeats, "repeats", violations);
    // The defaults an administrator stored (GraphQL updateSettings), else the config's.
    dev.llmtestbench.platform.settings.ServerSettings defaults = settings.current();
    int concurrency =
        bounded(
            r.concurrency(),
            defaults.defaultConcurrency(),
            1,
            maxConcurrency,
            "concurrency",
            violations);
    int partitions =
        bounded(
            r.partitions(),
            defaults.defaultPartitions(),
            1,
            maxPartitions,
            "partitions",
            violations);
    long timeoutMs = r.timeoutMs() == null ? defaults.defaultTimeoutMs() : r.timeoutMs();
    if (timeoutMs < 1 || timeoutMs > 600_000) {
      violations.add(new Violation("timeoutMs", "must be between 1 and 600000 milliseconds"));
    }
    if (r.temperature() != null && (r.temperature() < 0 || r.temperature() > 2)) {
      violations.add(new Violation("temperature", "must be between 0 and 2"));
    }
    if (r.maxTokens() != null && r.maxTokens() < 1) {
      violations.add(new Violation("maxTokens", "must be positive"));
    }
    if (!violations.isEmpty()) {
      throw ApiException.badRequest(
          violations.size() == 1
              ? violations.get(0).field() + ": " + violations.get(0).message()
              : violations.size() + " problems in the request; see violations.",
          violations);
    }
    RunConfig config =
        new RunConfig(
            targets,
            r.assertions(),
            repeats,
            concurrency,
            partitions,
            r.systemPrompt(),
            r.temperature(),
            r.maxTokens(),
            timeoutMs,
            Boolean.TRUE.equals(r.stream()),
            r.cache() == null ? cacheByDefault : r.cache(),
            Boolean.TRUE.equals(r.cacheAcrossRepeats()),
            tools(r.tools(), violations),
            responseFormat(r.responseFormat(), violations),
            r.topLogprobs(),
            r.gate(),
            r.budget() == null || !r.budget().limits() ? null : r.budget());
    if (r.budget() != null) {
      for (String[] p : r.budget().problems()) {
        violations.add(new Violation(p[0], p[1]));
      }
    }
    if (r.gate() != null) {
      for (String[] p : r.gate().problems()) {
        violations.add(new Violation(p[0], p[1]));
      }
    }
    if (r.topLogprobs() != null && (r.topLogprobs() < 0 || r.topLogprobs() > 20)) {
      violations.add(new Violation("topLogprobs", "must be between 0 and 20"));
    }
    if (!violations.isEmpty()) {
      throw ApiException.badRequest(
          violations.size() == 1
              ? violations.get(0).field() + ": " + violations.get(0).message()
              : violations.size() + " problems in the request; see violations.",
          violations);
    }
    String name =
        r.name() == null || r.name().isBlank()
            ? dataset.name() + " @ " + OffsetDateTime.now().withNano(0)
            : r.name().strip();
    BenchmarkRun run =
        runs.insert(
            name,
            r.description(),
            datasetId,
            config,
            r.tags() == null ? List.of() : r.tags(),
            access.ownerOfNew(),
            shareWith);
    Properties params = jobParameters(run.id(), config);
    UUID id = run.id();
    boolean now;
    try {
      now =
          admission.admit(
              id, () -> launchQueued(id, params, "started"), e -> queuedStartFailed(id, e));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not start the batch job of run " + id, e);
      runs.finish(
          id, RunStatus.FAILED, "The batch job could not be started: " + e.getMessage(), null);
      throw new ApiException(
          503,
          "job-not-started",
          "Run could not be started",
          "The batch runtime refused the job; the run is marked failed. See the server log.");
    }
    if (!now) {
      queued(id, null);
    }
    return runs.find(run.id()).orElseThrow();
  }

  private static List<ToolSpec> tools(
      List<CreateBenchmarkRequest.ToolInput> tools, List<Violation> violations) {
    List<ToolSpec> specs = new ArrayList<>();
    for (int i = 0; tools != null && i < tools.size(); i++) {
      CreateBenchmarkRequest.ToolInput t = tools.get(i);
      if (t == null || t.name() == null || !t.name().matches("[A-Za-z0-9_-]{1,64}")) {
        violations.add(
            new Violation("tools[" + i + "].name", "1-64 letters, digits, '_' or '-' required"));
        continue;
      }
      specs.add(
          new ToolSpec(
              t.name(),
              t.description(),
              t.parameters() == null ? null : t.parameters().toString()));
    }
    return specs;
  }

  private static ResponseFormat responseFormat(
      CreateBenchmarkRequest.ResponseFormatInput f, List<Violation> violations) {
    if (f == null || f.type() == null || ResponseFormat.TEXT.equals(f.type())) {
      return null;
    }
    if (ResponseFormat.JSON_OBJECT.equals(f.type())) {
      return ResponseFormat.jsonObject();
    }
    if (ResponseFormat.JSON_SCHEMA.equals(f.type())) {
      if (f.schema() == null) {
        violations.add(new Violation("responseFormat.schema", "json_schema needs a schema object"));
        return null;
      }
      return new ResponseFormat(
          ResponseFormat.JSON_SCHEMA,
          f.name() == null ? "answer" : f.name(),
          f.schema().toString());
    }
    violations.add(
        new Violation("responseFormat.type", "must be text, json_object or json_schema"));
    return null;
  }

  private static int bounded(
      Integer value, int defaultValue, int min, int max, String field, List<Violation> violations) {
    if (value == null) {
      return defaultValue;
    }
    if (value < min || value > max) {
      violations.add(
          new Violation(field, "must be between " + min + " and " + max + ", was " + value));
    }
    return value;
  }

  public Optional<BenchmarkRun> find(UUID id) {
    return runs.find(id);
  }

  /** The runs matching {@code filter} that the caller may read, newest first. */
  public List<BenchmarkRun> list(
      Long cursor, dev.llmtestbench.benchmark.domain.RunFilter filter, int limit) {
    return runs.list(cursor, filter, limit, access.visibility());
  }

  /** The run's summary: stored when it ended, computed from its results while it runs. */
  public RunSummary summary(BenchmarkRun run) {
    if (run.status().isTerminal() && run.summary() != null) {
      return run.summary();
    }
    return summaries.live(run.id(), run.totalItems() == null ? 0 : run.totalItems());
  }

  /** Cancels a pending or running run; finished results stay. Cancelling twice is harmless. */
  public BenchmarkRun cancel(UUID id) {
    BenchmarkRun run = runs.find(id).orElseThrow(() -> ApiException.notFound("Benchmark", id));
    if (run.status() == RunStatus.CANCELLED) {
      return run;
    }
    if (run.status().isTerminal()) {
      throw ApiException.conflict(
          "Benchmark " + id + " has already ended with status " + run.status().db() + ".");
    }
    cancellations.cancel(id);
    RunSummary summary = summaries.summarize(id, run.totalItems() == null ? 0 : run.totalItems());
    if (runs.finish(id, RunStatus.CANCELLED, "Cancelled by request.", summary)) {
      if (run.jobExecutionId() != null) {
        try {
          launcher.stop(run.jobExecutionId());
        } catch (JobExecutionNotRunningException | NoSuchJobExecutionException e) {
          // Already over: nothing to stop.
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Stopping job execution " + run.jobExecutionId() + " failed", e);
        }
      }
      ended(runs.find(id).orElseThrow(), RunStatus.CANCELLED, "Cancelled by request.");
    }
    return runs.find(id).orElseThrow();
  }

  /**
   * Restarts the batch job of a failed, cancelled or interrupted run from its checkpoints: finished
   * results stay and only the items without a result are executed (results are idempotent on the
   * run and item key), so the run ends with the summary an uninterrupted run would have had.
   */
  public BenchmarkRun restart(UUID id) {
    BenchmarkRun run = runs.find(id).orElseThrow(() -> ApiException.notFound("Benchmark", id));
    if (run.status() == RunStatus.COMPLETED) {
      throw ApiException.conflict(
          "Benchmark " + id + " has completed; start a new run to run it again.");
    }
    if (run.jobExecutionId() == null) {
      throw ApiException.conflict("Benchmark " + id + " has no batch job to restart.");
    }
    JobExecution last =
        launcher
            .latestExecution(run.jobExecutionId())
            .orElseThrow(
                () ->
                    ApiException.conflict(
                        "The job repository no longer knows the batch job of benchmark "
                            + id
                            + "; start a new run."));
    if (!restartable(last.getBatchStatus()) && !ownerLost(id) && !unsettled.contains(id)) {
      throw ApiException.conflict(
          "The batch job of benchmark "
              + id
              + " (execution "
              + last.getExecutionId()
              + ") is "
              + last.getBatchStatus()
              + runs.owner(id).map(o -> " on server " + o + ", which is live").orElse("")
              + "; only a failed or stopped job, or one whose server has stopped beating, can be"
              + " restarted. A job whose server was killed is marked failed when that server"
              + " starts again.");
    }
    restartJob(id, last.getExecutionId());
    return runs.find(id).orElseThrow();
  }

  /**
   * Whether the server that was running the run's job has not renewed its heartbeat within {@code
   * ltb.cluster.heartbeat-timeout-ms} (a server killed for good, e.g. a replaced pod), so that its
   * still STARTED execution will never end.
   */
  private boolean ownerLost(UUID id) {
    return runs.owner(id).map(owner -> !registry.liveNow(owner)).orElse(false);
  }

  /** Whether a job execution in this batch status can be restarted. */
  public static boolean restartable(BatchStatus status) {
    return status == BatchStatus.FAILED || status == BatchStatus.STOPPED;
  }

  /**
   * Reopens the run and runs the rest of its work: a new execution of the job with the parameters
   * the failed or stopped one was started with. Planning is idempotent, and each partition reads
   * its key range for the items without a result, so the new execution runs exactly what is
   * missing. (Not {@code JobOperator.restart}: it skips partitions that ended as completed, and a
   * partition that stopped on seeing its run cancelled ends so, with items left.)
   */
  public void restartJob(UUID id, long executionId) {
    // Several servers may try at once (recovery at start, recovery of a lost server's runs, the
    // endpoint): the first to claim the restart from this execution does it.
    if (!runs.claimRestart(id, executionId, serverId())) {
      throw ApiException.conflict(
          "Benchmark " + id + " is being restarted already (from execution " + executionId + ").");
    }
    if (!runs.reopen(id)) {
      runs.releaseRestart(id, executionId);
      throw ApiException.conflict("Benchmark " + id + " has completed meanwhile.");
    }
    cancellations.forget(id);
    try {
      Properties params = launcher.parameters(executionId);
      boolean now =
          admission.admit(
              id,
              () -> launchQueued(id, params, "restarted after execution " + executionId),
              e -> queuedStartFailed(id, e));
      if (!now) {
        queued(id, executionId);
      }
    } catch (RuntimeException e) {
      JobExecution now = launcher.latestExecution(executionId).orElse(null);
      if (now != null
          && now.getExecutionId() != executionId
          && !restartable(now.getBatchStatus())) {
        throw ApiException.conflict(
            "Benchmark "
                + id
                + " is being restarted already (execution "
                + now.getExecutionId()
                + ").");
      }
      LOG.log(Level.WARNING, "Restarting job execution " + executionId + " failed", e);
      runs.releaseRestart(id, executionId);
      fail(id, "The batch job could not be restarted: " + e.getMessage());
      throw new ApiException(
          503,
          "job-not-restarted",
          "Run could not be restarted",
          "The batch runtime refused to restart execution " + executionId + ": " + e.getMessage());
    }
  }

  /** The parameters of a run's batch job. */
  private Properties jobParameters(UUID id, RunConfig config) {
    Properties params = new Properties();
    params.setProperty("runId", id.toString());
    params.setProperty("partitions", Integer.toString(config.partitions()));
    // Each chunk's commit also checkpoints the partition in the job repository, which costs about
    // as much as writing a hundred results: commit per chunkSize results (never less than a
    // window's worth), or sooner when results come slowly (CommitPolicy): once no further result
    // is ready after checkpointIdleMillis, or after checkpointMillis whatever else.
    params.setProperty(
        "chunkSize", Integer.toString(Math.max(config.concurrency(), Math.max(1, chunkSize))));
    params.setProperty("checkpointMillis", Integer.toString(Math.max(0, checkpointMillis)));
    params.setProperty("checkpointIdleMillis", Integer.toString(Math.max(0, checkpointIdleMillis)));
    params.setProperty("window", Integer.toString(config.concurrency()));
    return params;
  }

  /**
   * Queues again a run that was waiting for a slot on this server when it stopped (the queue lives
   * in memory): it starts when a slot frees up, as if just created.
   */
  public void requeue(BenchmarkRun run) {
    UUID id = run.id();
    Properties params = jobParameters(id, run.config());
    if (!admission.admit(
        id, () -> launchQueued(id, params, "started"), e -> queuedStartFailed(id, e))) {
      queued(id, null);
    }
  }

  /**
   * Starts the run's job, when {@link RunAdmission} gives it a slot: now, or when a running job
   * ends. False (nothing started) if the run ended while it waited, e.g. cancelled. A start made
   * from the queue that fails fails the run with the reason.
   */
  private boolean launchQueued(UUID id, Properties params, String what) {
    RunStatus status = runs.status(id).orElse(RunStatus.CANCELLED);
    if (status.isTerminal()) {
      return false;
    }
    long executionId = launcher.start(JOB_NAME, params);
    runs.setJobExecution(id, executionId);
    LOG.fine(() -> "Run " + id + " " + what + ": job execution " + executionId + ".");
    return true;
  }

  /**
   * A queued start that failed: the run fails with the reason (it can be restarted later). When
   * that cannot be recorded either (the database is unavailable), the run is left to {@link
   * UnsettledRuns}.
   */
  private void queuedStartFailed(UUID id, RuntimeException e) {
    LOG.log(Level.WARNING, "Starting the queued batch job of run " + id + " failed", e);
    try {
      fail(id, "The batch job could not be started: " + e.getMessage());
    } catch (RuntimeException again) {
      LOG.log(Level.WARNING, "Recording that on run " + id + " failed too; retried later", again);
      unsettled.add(id, null, null);
    }
  }

  /**
   * Records that the run waits in this server's queue: its reason says so, and this server owns it,
   * so that another server takes it over if this one is lost while it waits.
   */
  private void queued(UUID id, Long executionId) {
    runs.markQueued(id, serverId(), queuedReason(), executionId);
  }

  private String queuedReason() {
    return QUEUED_ON
        + serverId()
        + ": "
        + admission.active()
        + " runs are executing (ltb.benchmark.max-active-runs="
        + admission.limit()
        + "), "
        + admission.queued()
        + " waiting; this one starts when a slot frees up.";
  }

  /** The start of the status reason of a run waiting for a slot on a server. */
  public static final String QUEUED_ON = RunRepository.QUEUED_ON;

  /**
   * The judge assertions a run would apply (run, dataset and test-case level), so that an unknown
   * judge is a 400 at creation rather than a run whose every judge fails.
   */
  private List<Assertion> judgeAssertions(CreateBenchmarkRequest r, Dataset dataset) {
    // A set of judges only: the cases of a 100,000-case dataset are read a page at a time, and
    // what they share is kept once.
    java.util.Set<AssertionSpec> specs = new java.util.LinkedHashSet<>();
    if (r.assertions() != null) {
      specs.addAll(r.assertions());
    }
    specs.addAll(dataset.assertions());
    int page = 1000;
    for (int from = 0; from < dataset.testCaseCount(); from += page) {
      for (var tc : datasets.testCases(dataset.id(), from, page)) {
        for (AssertionSpec s : tc.assertions()) {
          if (s != null && Assertions.isJudge(s.type())) {
            specs.add(s);
          }
        }
      }
    }
    return Assertions.compileAll(
        specs.stream().filter(s -> s != null && Assertions.isJudge(s.type())).toList());
  }

  // --- State changes made by the batch job -----------------------------------------------------

  /** Builds what every work item of the run needs; fails if a target's provider is gone. */
  public RunContext context(BenchmarkRun run) {
    Dataset dataset =
        datasets
            .find(run.datasetId())
            .orElseThrow(
                () -> new IllegalStateException("Dataset " + run.datasetId() + " was deleted."));
    List<RegisteredProvider> resolved = new ArrayList<>();
    for (Target t : run.config().targets()) {
      resolved.add(
          providers
              .find(t.provider())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Provider '" + t.provider() + "' is no longer registered.")));
    }
    List<Assertion> base = new ArrayList<>(Assertions.compileAll(run.config().assertions()));
    base.addAll(Assertions.compileAll(dataset.assertions()));
    return new RunContext(
        run.id(),
        dataset.id(),
        run.config(),
        dataset.promptTemplate() == null ? null : PromptTemplate.of(dataset.promptTemplate()),
        List.copyOf(resolved),
        List.copyOf(base),
        serverId());
  }

  public void started(BenchmarkRun run, int total) {
    metrics.benchmarkStarted();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("event", "BenchmarkStarted");
    p.put("session_id", run.id().toString());
    p.put("dataset", run.datasetId() == null ? null : run.datasetId().toString());
    p.put("providers", run.config().targets().stream().map(Target::label).toList());
    p.put("total_tests", total);
    bus.publish(RealtimeEvent.of(RealtimeEvent.BENCHMARK_STARTED, run.id(), p));
  }

  /** Marks a run completed with its summary (only if it is still running). */
  public void complete(UUID runId) {
    BenchmarkRun run = runs.find(runId).orElseThrow();
    RunSummary summary =
        summaries.summarize(runId, run.totalItems() == null ? 0 : run.totalItems());
    String reason = null;
    if (run.config().gate() != null) {
      Gate.Verdict verdict =
          run.config().gate().check(summary.overall(), results.metricMeans(runId));
      summary = summary.withVerdict(verdict);
      reason =
          verdict.passed()
              ? "Gate passed."
              : "Gate failed: " + String.join("; ", verdict.reasons()) + ".";
    }
    if (runs.finish(runId, RunStatus.COMPLETED, reason, summary)) {
      ended(runs.find(runId).orElseThrow(), RunStatus.COMPLETED, null);
    }
    responseCache.purgeExpired();
  }

  /** Marks a run failed with a reason a person can act on (only if it has not ended). */
  public void fail(UUID runId, String reason) {
    BenchmarkRun run = runs.find(runId).orElse(null);
    if (run == null) {
      return;
    }
    RunSummary summary =
        summaries.summarize(runId, run.totalItems() == null ? 0 : run.totalItems());
    if (runs.finish(runId, RunStatus.FAILED, reason, summary)) {
      ended(runs.find(runId).orElseThrow(), RunStatus.FAILED, reason);
    }
  }

  /**
   * After the job of a run that ended early (cancelled, or failed over its budget) has stopped:
   * store the summary of what was finished.
   */
  public void settleCancelled(UUID runId) {
    BenchmarkRun run = runs.find(runId).orElseThrow();
    runs.storeSummary(
        runId, summaries.summarize(runId, run.totalItems() == null ? 0 : run.totalItems()));
    cancellations.forget(runId);
    progress.forget(runId);
    summaries.forget(runId);
  }

  private void ended(BenchmarkRun run, RunStatus status, String reason) {
    Duration duration =
        run.startedAt() == null || run.completedAt() == null
            ? Duration.ZERO
            : Duration.between(run.startedAt(), run.completedAt());
    if (run.startedAt() != null) {
      metrics.benchmarkEnded(status.db(), duration);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("event", "BenchmarkCompleted");
    p.put("session_id", run.id().toString());
    p.put("status", status.db());
    p.put("reason", reason);
    p.put("summary", run.summary());
    p.put("duration_ms", duration.toMillis());
    // After the run's last benchmark.progress, which the progress lane publishes.
    RealtimeEvent completed = RealtimeEvent.of(RealtimeEvent.BENCHMARK_COMPLETED, run.id(), p);
    progress.inOrder(() -> bus.publish(completed));
    if (status == RunStatus.FAILED) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("name", run.name());
      details.put("reason", reason);
      alerts.raise(
          RealtimeEvent.ALERTS_BENCHMARK_FAILED,
          "critical",
          run.id(),
          "Benchmark '" + run.name() + "' failed: " + reason,
          details);
    }
    if (status != RunStatus.CANCELLED) {
      cancellations.forget(run.id());
      progress.forget(run.id());
      summaries.forget(run.id());
    }
  }

  /** This server's identity, recorded on every result it produces. */
  public String serverId() {
    return registry.serverId();
  }
}
