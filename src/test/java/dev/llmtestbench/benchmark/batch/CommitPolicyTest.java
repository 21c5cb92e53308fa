package dev.llmtestbench.benchmark.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommitPolicyTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final AtomicBoolean more = new AtomicBoolean();

  private void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  private CommitPolicy policy(int chunkSize, long idleMillis, long intervalMillis) {
    return new CommitPolicy(nanos::get)
        .configure(chunkSize, idleMillis, intervalMillis, 900, more::get);
  }

  @Test
  void commitsAfterChunkSizeItemsWhenTheyArriveFast() {
    CommitPolicy p = policy(3, 50, 2000);
    more.set(true);
    p.beginCheckpoint();
    assertFalse(p.isReadyToCheckpoint());
    assertFalse(p.isReadyToCheckpoint());
    assertTrue(p.isReadyToCheckpoint());
    p.endCheckpoint();
    p.beginCheckpoint();
    assertFalse(p.isReadyToCheckpoint(), "the count starts again with each chunk");
  }

  @Test
  void aSlowProvidersResultIsCommittedOnItsOwnOnceNothingElseIsReady() {
    CommitPolicy p = policy(100, 50, 2000);
    p.beginCheckpoint();
    advanceMillis(95);
    assertTrue(p.isReadyToCheckpoint(), "open 95 ms, nothing else ready: commit the one item");
  }

  @Test
  void beforeTheIdleFloorItWaitsForMoreEvenWhenNoneIsReady() {
    CommitPolicy p = policy(100, 50, 2000);
    p.beginCheckpoint();
    advanceMillis(5);
    assertFalse(p.isReadyToCheckpoint(), "a steady trickle is grouped for at least 50 ms");
    advanceMillis(44);
    assertFalse(p.isReadyToCheckpoint());
    advanceMillis(1);
    assertTrue(p.isReadyToCheckpoint());
  }

  @Test
  void whileMoreItemsAreReadyOnlyTheCountOrTheIntervalCommits() {
    CommitPolicy p = policy(100, 50, 2000);
    more.set(true);
    p.beginCheckpoint();
    advanceMillis(1999);
    assertFalse(p.isReadyToCheckpoint());
    advanceMillis(1);
    assertTrue(p.isReadyToCheckpoint(), "the interval commits whatever else");
    p.endCheckpoint();
    p.beginCheckpoint();
    advanceMillis(1999);
    assertFalse(p.isReadyToCheckpoint(), "the interval starts again with each chunk");
  }

  @Test
  void withoutLimitsOnlyTheCountCommits() {
    CommitPolicy p = policy(2, 0, 0);
    p.beginCheckpoint();
    advanceMillis(3_600_000);
    assertFalse(p.isReadyToCheckpoint());
    assertTrue(p.isReadyToCheckpoint());
  }

  @Test
  void withoutAReaderToAskTheIdleRuleNeverCommits() {
    CommitPolicy p = new CommitPolicy(nanos::get).configure(100, 50, 2000, 900, null);
    p.beginCheckpoint();
    advanceMillis(1000);
    assertFalse(p.isReadyToCheckpoint());
    advanceMillis(1000);
    assertTrue(p.isReadyToCheckpoint());
  }

  @Test
  void timeCountsFromTheFirstItemWhenNoChunkWasBegun() {
    CommitPolicy p = policy(100, 0, 100);
    advanceMillis(5_000);
    assertFalse(p.isReadyToCheckpoint());
    advanceMillis(100);
    assertTrue(p.isReadyToCheckpoint());
  }

  @Test
  void theChunkTimeoutIsTheTransactionTimeout() {
    assertEquals(900, policy(1, 0, 0).checkpointTimeout());
    assertEquals(0, new CommitPolicy(nanos::get).configure(1, 0, 0, -5, null).checkpointTimeout());
  }
}
