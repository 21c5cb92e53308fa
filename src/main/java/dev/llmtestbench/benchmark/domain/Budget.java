package dev.llmtestbench.benchmark.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run may spend before it is stopped: the total cost of its tested calls in US dollars,
 * their total tokens (prompt + completion), and the seconds since it started. Null fields are not
 * limited. Checked about once a second per partition against the results written so far, so a run
 * may overshoot by the calls finishing in that second.
 */
public record Budget(Double maxCost, Long maxTokens, Long maxDurationSeconds) {

  /** Problems with the budget itself, as field/message pairs for a 400 answer. */
  public List<String[]> problems() {
    List<String[]> problems = new ArrayList<>();
    if (maxCost != null && !(maxCost > 0)) {
      problems.add(new String[] {"budget.maxCost", "must be more than 0 US dollars"});
    }
    if (maxTokens != null && maxTokens < 1) {
      problems.add(new String[] {"budget.maxTokens", "must be at least 1"});
    }
    if (maxDurationSeconds != null && maxDurationSeconds < 1) {
      problems.add(new String[] {"budget.maxDurationSeconds", "must be at least 1"});
    }
    return problems;
  }

  /** Whether any limit is set. */
  public boolean limits() {
    return maxCost != null || maxTokens != null || maxDurationSeconds != null;
  }

  /**
   * Why a run that has spent this much must stop, e.g. {@code budget exceeded: cost 0.51 > 0.50};
   * null while it is within its budget.
   */
  public String exceeded(double cost, long tokens, long elapsedSeconds) {
    if (maxCost != null && cost > maxCost) {
      return String.format(Locale.ROOT, "budget exceeded: cost %.6f > %.6f USD", cost, maxCost);
    }
    if (maxTokens != null && tokens > maxTokens) {
      return "budget exceeded: tokens " + tokens + " > " + maxTokens;
    }
    if (maxDurationSeconds != null && elapsedSeconds > maxDurationSeconds) {
      return "budget exceeded: duration " + elapsedSeconds + " s > " + maxDurationSeconds + " s";
    }
    return null;
  }
}
