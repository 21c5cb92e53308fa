package dev.llmtestbench.benchmark.graphql;

import dev.llmtestbench.benchmark.api.BenchmarkView;
import dev.llmtestbench.benchmark.domain.RunSummary;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;

/** The GraphQL Benchmark type (SmallRye maps classes with fields, not records). */
@Name("Benchmark")
public class BenchmarkType {

  /** A provider/model a run calls. */
  @Name("Target")
  public static class TargetType {
    public String provider;
    public String model;
  }

  /** A run's aggregate figures. */
  @Name("Summary")
  public static class SummaryType {
    public int total;
    public int completed;
    public TargetSummaryType overall;
    public List<TargetSummaryType> targets;
    public Boolean gatePassed;
    public List<String> gateReasons;

    @Description("Coverage of every interval in the summary (0.95).")
    public Double confidence;

    @Description("Bootstrap resamples behind each mean-score interval.")
    public Integer bootstrapResamples;

    @Description("Seed of the bootstrap: the same results always give the same intervals.")
    public Long bootstrapSeed;

    static SummaryType of(RunSummary s) {
      if (s == null) {
        return null;
      }
      SummaryType t = new SummaryType();
      t.total = s.total();
      t.completed = s.completed();
      t.overall = TargetSummaryType.of(s.overall());
      t.targets = s.targets().stream().map(TargetSummaryType::of).toList();
      t.gatePassed = s.verdict() == null ? null : s.verdict().passed();
      t.gateReasons = s.verdict() == null ? null : s.verdict().reasons();
      if (s.method() != null) {
        t.confidence = s.method().confidence();
        t.bootstrapResamples = s.method().bootstrapResamples();
        t.bootstrapSeed = s.method().bootstrapSeed();
      }
      return t;
    }
  }

  /** Figures of one provider/model (or of the whole run when provider is null). */
  @Name("TargetSummary")
  public static class TargetSummaryType {
    public String provider;
    public String model;
    public int results;
    public int passed;
    public int failed;
    public int errors;
    public Double passRate;
    public Double meanScore;
    public Double latencyP50Ms;
    public Double latencyP95Ms;
    public long promptTokens;
    public long completionTokens;
    public long totalTokens;
    public double totalCost;
    public Double timeToFirstTokenP50Ms;
    public long retries;
    public int cacheHits;
    public Double passRateLower;
    public Double passRateUpper;
    public Double meanScoreStdErr;
    public Double meanScoreLower;
    public Double meanScoreUpper;
    public Double latencyP99Ms;
    public Double passRateStdErr;

    @Description("Distinct test cases; the mean score's error and interval are over cases.")
    public Integer cases;

    public List<MetricSummaryType> metrics;
    public ConsistencyType consistency;

    @Description("Judge and embedding calls made to grade outputs, never part of totalTokens.")
    public long gradingCalls;

    @Description("Tokens of grading calls.")
    public long gradingTokens;

    @Description("US dollars of grading calls (priced ones), never part of totalCost.")
    public double gradingCost;

    static TargetSummaryType of(RunSummary.TargetSummary s) {
      TargetSummaryType t = new TargetSummaryType();
      t.provider = s.provider();
      t.model = s.model();
      t.results = s.results();
      t.passed = s.passed();
      t.failed = s.failed();
      t.errors = s.errors();
      t.passRate = s.passRate();
      t.meanScore = s.meanScore();
      t.latencyP50Ms = s.latencyP50Ms();
      t.latencyP95Ms = s.latencyP95Ms();
      t.promptTokens = s.promptTokens();
      t.completionTokens = s.completionTokens();
      t.totalTokens = s.totalTokens();
      t.totalCost = s.totalCost();
      t.timeToFirstTokenP50Ms = s.timeToFirstTokenP50Ms();
      t.retries = s.retries();
      t.cacheHits = s.cacheHits();
      t.passRateLower = s.passRateLower();
      t.passRateUpper = s.passRateUpper();
      t.meanScoreStdErr = s.meanScoreStdErr();
      t.meanScoreLower = s.meanScoreLower();
      t.meanScoreUpper = s.meanScoreUpper();
      t.latencyP99Ms = s.latencyP99Ms();
      t.passRateStdErr = s.passRateStdErr();
      t.cases = s.cases();
      t.metrics =
          s.metrics() == null
              ? List.of()
              : s.metrics().stream().map(MetricSummaryType::of).toList();
      t.consistency = ConsistencyType.of(s.consistency());
      t.gradingCalls = s.gradingCalls();
      t.gradingTokens = s.gradingTokens();
      t.gradingCost = s.gradingCost();
      return t;
    }
  }

  /** One named metric of a target: mean and pass rate with standard errors and intervals. */
  @Name("MetricSummary")
  public static class MetricSummaryType {
    public String metric;
    public int results;
    public int cases;
    public int passed;
    public double passRate;
    public double passRateStdErr;
    public double passRateLower;
    public double passRateUpper;
    public double mean;
    public Double stdErr;
    public Double meanLower;
    public Double meanUpper;

    static MetricSummaryType of(RunSummary.MetricSummary m) {
      MetricSummaryType t = new MetricSummaryType();
      t.metric = m.metric();
      t.results = m.results();
      t.cases = m.cases();
      t.passed = m.passed();
      t.passRate = m.passRate();
      t.passRateStdErr = m.passRateStdErr();
      t.passRateLower = m.passRateLower();
      t.passRateUpper = m.passRateUpper();
      t.mean = m.mean();
      t.stdErr = m.stdErr();
      t.meanLower = m.meanLower();
      t.meanUpper = m.meanUpper();
      return t;
    }
  }

  /** How consistently the repeats of a case agree (runs with repeats above 1). */
  @Name("RepeatConsistency")
  public static class ConsistencyType {
    public int cases;
    public int k;
    public double consistentShare;
    public double pairwiseAgreement;
    public double meanScoreStdDev;
    public double passAtK;
    public double passAllK;

    static ConsistencyType of(RunSummary.RepeatConsistency c) {
      if (c == null) {
        return null;
      }
      ConsistencyType t = new ConsistencyType();
      t.cases = c.cases();
      t.k = c.k();
      t.consistentShare = c.consistentShare();
      t.pairwiseAgreement = c.pairwiseAgreement();
      t.meanScoreStdDev = c.meanScoreStdDev();
      t.passAtK = c.passAtK();
      t.passAllK = c.passAllK();
      return t;
    }
  }

  @Id public String id;
  public String name;
  public String description;
  public String datasetId;
  public String status;
  public String statusReason;
  public List<TargetType> targets;
  public int repeats;
  public int concurrency;
  public int partitions;
  public List<String> tags;
  public Integer totalItems;
  public int completedItems;
  public SummaryType summary;
  public OffsetDateTime createdAt;
  public OffsetDateTime startedAt;
  public OffsetDateTime completedAt;

  @Description("The group whose members may read the run, or null (docs/security.md).")
  public String sharedGroup;

  /** Loads the nested fields for every benchmark of the same answer at once; null: alone. */
  @org.eclipse.microprofile.graphql.Ignore transient Nested nested;

  static BenchmarkType of(BenchmarkView v) {
    BenchmarkType b = new BenchmarkType();
    b.id = v.id();
    b.name = v.name();
    b.description = v.description();
    b.datasetId = v.datasetId();
    b.status = v.status();
    b.statusReason = v.statusReason();
    b.targets =
        v.targets().stream()
            .map(
                t -> {
                  TargetType tt = new TargetType();
                  tt.provider = t.provider();
                  tt.model = t.model();
                  return tt;
                })
            .toList();
    b.repeats = v.repeats();
    b.concurrency = v.concurrency();
    b.partitions = v.partitions();
    b.tags = v.tags();
    b.totalItems = v.totalItems();
    b.completedItems = v.completedItems();
    b.summary = SummaryType.of(v.summary());
    b.createdAt = v.createdAt();
    b.startedAt = v.startedAt();
    b.completedAt = v.completedAt();
    b.sharedGroup = v.sharedGroup();
    return b;
  }
}
