package dev.llmtestbench.benchmark.domain;

/** The life of a benchmark run (the seeds' session status). */
public enum RunStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  public String db() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static RunStatus of(String db) {
    return valueOf(db.toUpperCase(java.util.Locale.ROOT));
  }

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
