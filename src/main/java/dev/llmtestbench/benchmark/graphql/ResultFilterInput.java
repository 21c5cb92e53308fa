package dev.llmtestbench.benchmark.graphql;

/** GraphQL filter for results; null fields do not filter. */
public class ResultFilterInput {
  public String runId;
  public String provider;
  public String model;
  public String status;
  public Boolean passed;
}
