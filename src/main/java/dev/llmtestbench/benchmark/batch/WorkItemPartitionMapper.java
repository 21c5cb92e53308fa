package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.persistence.RunRepository;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.partition.PartitionMapper;
import jakarta.batch.api.partition.PartitionPlan;
import jakarta.batch.api.partition.PartitionPlanImpl;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Properties;
import java.util.UUID;

/** Splits a run's item keys [0, total) into contiguous ranges, one per partition. */
@Dependent
@Named("workItemPartitionMapper")
public class WorkItemPartitionMapper implements PartitionMapper {

  @Inject @BatchProperty String runId;
  @Inject @BatchProperty String partitions;
  @Inject RunRepository runs;

  @Override
  public PartitionPlan mapPartitions() {
    int total =
        runs.find(UUID.fromString(runId))
            .map(r -> r.totalItems() == null ? 0 : r.totalItems())
            .orElse(0);
    int[][] ranges = ranges(total, Integer.parseInt(partitions));
    Properties[] props = new Properties[ranges.length];
    for (int i = 0; i < ranges.length; i++) {
      props[i] = new Properties();
      props[i].setProperty("firstKey", Integer.toString(ranges[i][0]));
      props[i].setProperty("lastKey", Integer.toString(ranges[i][1]));
    }
    PartitionPlanImpl plan = new PartitionPlanImpl();
    plan.setPartitions(ranges.length);
    plan.setThreads(ranges.length);
    plan.setPartitionProperties(props);
    return plan;
  }

  /**
   * Inclusive key ranges covering [0, total) as evenly as possible; never more partitions than
   * items, and one (empty) partition when there are none.
   */
  static int[][] ranges(int total, int partitions) {
    int n = Math.max(1, Math.min(partitions, total));
    int[][] ranges = new int[n][2];
    int base = total / n;
    int extra = total % n;
    int next = 0;
    for (int i = 0; i < n; i++) {
      int size = base + (i < extra ? 1 : 0);
      ranges[i][0] = next;
      ranges[i][1] = next + size - 1;
      next += size;
    }
    return ranges;
  }
}
