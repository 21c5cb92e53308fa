package dev.llmtestbench.evaluation.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** At most N tasks run at once, at most M wait, the rest are rejected; slots are given back. */
class BoundedExecutorTest {

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void shouldNeverRunMoreThanTheLimitAtOnceAndRunEveryTask() throws Exception {
    BoundedExecutor executor = new BoundedExecutor(threads, 2, 100);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(40);
    for (int i = 0; i < 40; i++) {
      executor.execute(
          () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            done.countDown();
          });
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(2, most.get());
    assertEquals(0, executor.queued());
  }

  @Test
  void shouldRejectWhenTheQueueIsFull() {
    List<Runnable> held = new ArrayList<>();
    BoundedExecutor executor = new BoundedExecutor(held::add, 1, 2);
    executor.execute(() -> {});
    executor.execute(() -> {});
    executor.execute(() -> {});
    var e = assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> {}));
    assertEquals("1 running and 2 waiting, the most allowed", e.getMessage());
    assertEquals(1, held.size());
    assertEquals(2, executor.queued());

    // The held worker drains the queue on its thread, then frees its slot.
    held.get(0).run();
    assertEquals(0, executor.queued());
    executor.execute(() -> {});
    assertEquals(2, held.size());
  }

  @Test
  void shouldKeepGoingAfterATaskThrows() throws Exception {
    BoundedExecutor executor = new BoundedExecutor(threads, 1, 10);
    CountDownLatch after = new CountDownLatch(1);
    executor.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    executor.execute(after::countDown);
    assertTrue(after.await(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldGiveTheSlotBackWhenTheDelegateRejects() {
    AtomicInteger calls = new AtomicInteger();
    BoundedExecutor executor =
        new BoundedExecutor(
            task -> {
              if (calls.incrementAndGet() == 1) {
                throw new RejectedExecutionException("shutting down");
              }
            },
            1,
            0);
    assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> {}));
    executor.execute(() -> {}); // the slot was released, so this reaches the delegate
    assertEquals(2, calls.get());
  }
}
