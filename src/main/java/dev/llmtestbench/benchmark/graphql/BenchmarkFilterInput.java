package dev.llmtestbench.benchmark.graphql;

import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

/** GraphQL filter for benchmarks, as GET /api/v1/benchmarks; null fields do not filter. */
@Input("BenchmarkFilter")
public class BenchmarkFilterInput {
  public String status;

  @Description("Runs with a target of this provider.")
  public String provider;

  @Description("Runs with a target of this model (with provider: the same target).")
  public String model;

  @Description("Created at or after this ISO-8601 date-time with offset, or date (UTC).")
  public String createdAfter;

  @Description("Created before this ISO-8601 date-time with offset, or date (UTC).")
  public String createdBefore;

  @Description("Runs carrying every one of these tags.")
  public List<String> tags;
}
