package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository.TargetCounts;
import java.util.UUID;

/** A run and one of its targets: what a JUnit suite or a report section covers. */
record TargetKey(UUID runId, String provider, String model) {

  static TargetKey of(ResultRecord r) {
    return new TargetKey(r.runId(), r.provider(), r.model());
  }

  static TargetKey of(TargetCounts t) {
    return new TargetKey(t.runId(), t.provider(), t.model());
  }
}
