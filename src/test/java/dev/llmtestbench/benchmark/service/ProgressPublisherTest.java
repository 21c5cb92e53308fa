package dev.llmtestbench.benchmark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.monitoring.service.EventBus;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressPublisherTest {

  private final List<RealtimeEvent> published = new CopyOnWriteArrayList<>();
  private final ProgressPublisher progress = new ProgressPublisher();

  ProgressPublisherTest() {
    progress.bus =
        new EventBus() {
          @Override
          public void publish(RealtimeEvent event) {
            published.add(event);
          }
        };
    progress.results =
        new ResultRepository() {
          @Override
          public int count(UUID runId) {
            return 3;
          }
        };
  }

  /** Waits until everything queued on the progress lane so far has run. */
  private void drainLane() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    progress.inOrder(done::countDown);
    assertTrue(done.await(10, TimeUnit.SECONDS));
  }

  private long progressEvents() {
    return published.stream()
        .filter(e -> e.topic().equals(RealtimeEvent.BENCHMARK_PROGRESS))
        .count();
  }

  @Test
  void aRunRestartedAtOnceStillGetsItsNextProgress() throws InterruptedException {
    UUID run = UUID.randomUUID();
    progress.committed(run, 10, List.of());
    drainLane();
    assertEquals(1, progressEvents());

    // The run ends (forget) and is restarted: its first commit comes before the lane has
    // dropped the ended run's count.
    CountDownLatch hold = new CountDownLatch(1);
    progress.inOrder(
        () -> {
          try {
            hold.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    progress.forget(run);
    progress.committed(run, 10, List.of());
    hold.countDown();
    drainLane();
    assertEquals(2, progressEvents(), "the restarted run's progress was published");
  }
}
