package dev.llmtestbench.benchmark.graphql;

import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

/** GraphQL input for createBenchmark; the same fields as the REST request. */
@Input("CreateBenchmarkInput")
public class BenchmarkInput {

  /** A provider/model to call. */
  @Input("TargetInput")
  public static class TargetIn {
    public String provider;
    public String model;
    public List<OptionIn> options;
  }

  /** One option of a target, e.g. latencyMs = 200 for the simulator. */
  @Input("OptionInput")
  public static class OptionIn {
    public String key;
    public String value;
  }

  /** An assertion applied to every test case. */
  @Input("AssertionInput")
  public static class AssertionIn {
    public String type;
    public String value;
    public Double threshold;
    public Double weight;
    public String metric;
  }

  /** Limits that stop the run early; see the REST request's {@code budget}. */
  @Input("BudgetInput")
  public static class BudgetIn {
    public Double maxCost;
    public Long maxTokens;
    public Long maxDurationSeconds;
  }

  public String name;
  public String description;
  public String datasetId;
  public List<TargetIn> targets;
  public List<AssertionIn> assertions;
  public Integer repeats;
  public Integer concurrency;
  public Integer partitions;
  public String systemPrompt;
  public Double temperature;
  public Integer maxTokens;
  public Long timeoutMs;
  public List<String> tags;
  public Boolean stream;
  public Boolean cache;
  public Boolean cacheAcrossRepeats;
  public BudgetIn budget;

  @Description("A group of yours whose members may read the run (docs/security.md, Ownership).")
  public String shareWith;
}
