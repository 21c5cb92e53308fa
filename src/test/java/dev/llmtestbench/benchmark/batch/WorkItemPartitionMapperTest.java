package dev.llmtestbench.benchmark.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkItemPartitionMapperTest {

  @Test
  void shouldSplitKeysIntoContiguousRangesWithTheRemainderFirst() {
    int[][] ranges = WorkItemPartitionMapper.ranges(10, 3);
    assertArrayEquals(new int[] {0, 3}, ranges[0]);
    assertArrayEquals(new int[] {4, 6}, ranges[1]);
    assertArrayEquals(new int[] {7, 9}, ranges[2]);
  }

  @Test
  void shouldNeverPlanMorePartitionsThanItems() {
    int[][] ranges = WorkItemPartitionMapper.ranges(2, 8);
    assertEquals(2, ranges.length);
    assertArrayEquals(new int[] {0, 0}, ranges[0]);
    assertArrayEquals(new int[] {1, 1}, ranges[1]);
  }

  @Test
  void shouldPlanOneEmptyPartitionForNoItems() {
    int[][] ranges = WorkItemPartitionMapper.ranges(0, 4);
    assertEquals(1, ranges.length);
    assertEquals(-1, ranges[0][1], "an empty range ends before it starts");
  }

  @ParameterizedTest
  @CsvSource({"1,1", "7,2", "100,16", "100000,16", "17,17", "5,1"})
  void shouldCoverEveryKeyExactlyOnce(int total, int partitions) {
    int[][] ranges = WorkItemPartitionMapper.ranges(total, partitions);
    int next = 0;
    for (int[] r : ranges) {
      assertEquals(next, r[0]);
      next = r[1] + 1;
      assertEquals(true, r[1] - r[0] + 1 >= total / ranges.length, "ranges are balanced");
    }
    assertEquals(total, next);
  }
}
