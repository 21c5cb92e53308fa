package dev.llmtestbench.benchmark.graphql;

import org.eclipse.microprofile.graphql.Input;

/** GraphQL filter for results; null fields do not filter. */
@Input("ResultFilter")
public class ResultFilterInput {
  public String runId;
  public String provider;
  public String model;
  public String status;
  public Boolean passed;
}
