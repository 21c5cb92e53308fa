package dev.llmtestbench.benchmark.domain;

import java.time.Instant;
import java.util.List;

/**
 * Which runs a list shows; every non-null part must match.
 *
 * @param status the run's status
 * @param provider a target of the run uses this provider
 * @param model a target of the run uses this model (with {@code provider}: the same target)
 * @param createdAfter created at or after this instant
 * @param createdBefore created before this instant
 * @param tags the run carries every one of these tags
 */
public record RunFilter(
    RunStatus status,
    String provider,
    String model,
    Instant createdAfter,
    Instant createdBefore,
    List<String> tags) {

  public static final RunFilter NONE = new RunFilter(null, null, null, null, null, null);

  public RunFilter {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
