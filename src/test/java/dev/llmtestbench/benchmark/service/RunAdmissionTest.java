package dev.llmtestbench.benchmark.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunAdmissionTest {

  private final List<UUID> started = new ArrayList<>();

  private boolean start(UUID id) {
    started.add(id);
    return true;
  }

  @Test
  void startsUpToTheLimitThenQueuesFirstComeFirstServed() {
    RunAdmission a = RunAdmission.withLimit(2);
    UUID r1 = UUID.randomUUID(), r2 = UUID.randomUUID(), r3 = UUID.randomUUID();
    UUID r4 = UUID.randomUUID();
    assertTrue(a.admit(r1, () -> start(r1), e -> {}));
    assertTrue(a.admit(r2, () -> start(r2), e -> {}));
    assertFalse(a.admit(r3, () -> start(r3), e -> {}));
    assertFalse(a.admit(r4, () -> start(r4), e -> {}));
    assertEquals(List.of(r1, r2), started);
    assertTrue(a.isQueued(r3));
    assertEquals(2, a.active());
    assertEquals(2, a.queued());

    a.release(r2);
    assertEquals(List.of(r1, r2, r3), started);
    a.release(UUID.randomUUID()); // a job this server did not start frees nothing
    assertEquals(List.of(r1, r2, r3), started);
    a.release(r1);
    assertEquals(List.of(r1, r2, r3, r4), started);
    assertEquals(2, a.active());
    a.release(r1); // twice: nothing more
    assertEquals(2, a.active());
    a.release(r3);
    a.release(r4);
    assertEquals(0, a.active());
  }

  @Test
  void aRunThatEndedWhileQueuedGivesItsSlotToTheNext() {
    RunAdmission a = RunAdmission.withLimit(1);
    UUID r1 = UUID.randomUUID(), cancelled = UUID.randomUUID(), r3 = UUID.randomUUID();
    a.admit(r1, () -> start(r1), e -> {});
    a.admit(cancelled, () -> false, e -> {});
    a.admit(r3, () -> start(r3), e -> {});
    a.release(r1);
    assertEquals(List.of(r1, r3), started);
    assertEquals(1, a.active());
  }

  @Test
  void aFailedStartFreesTheSlot() {
    RunAdmission a = RunAdmission.withLimit(1);
    UUID r1 = UUID.randomUUID(), r2 = UUID.randomUUID(), r3 = UUID.randomUUID();
    IllegalStateException refused = new IllegalStateException("refused");
    assertSame(
        refused,
        assertThrows(
            IllegalStateException.class,
            () ->
                a.admit(
                    r1,
                    () -> {
                      throw refused;
                    },
                    e -> {})));
    assertEquals(0, a.active());

    List<RuntimeException> later = new ArrayList<>();
    a.admit(r1, () -> start(r1), e -> {});
    a.admit(
        r2,
        () -> {
          throw refused;
        },
        later::add);
    a.admit(r3, () -> start(r3), e -> {});
    a.release(r1);
    assertEquals(List.of(refused), later);
    assertEquals(List.of(r1, r3), started);
    assertEquals(1, a.active());
  }

  @Test
  void neverMoreThanTheLimitRunAtOnceUnderContention() throws Exception {
    int limit = 4;
    int runs = 200;
    RunAdmission a = RunAdmission.withLimit(limit);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(runs);
    ExecutorService jobs = Executors.newFixedThreadPool(8);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < runs; i++) {
        UUID id = UUID.randomUUID();
        clients.submit(
            () ->
                a.admit(
                    id,
                    () -> {
                      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                      jobs.submit( // the job runs elsewhere and ends a little later
                          () -> {
                            try {
                              Thread.sleep(1);
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            running.decrementAndGet();
                            a.release(id);
                            // Counted once released, so that all 200 are released at the end.
                            done.countDown();
                          });
                      return true;
                    },
                    e -> {}));
      }
      assertTrue(done.await(30, TimeUnit.SECONDS), "every run started and ended");
    } finally {
      clients.shutdownNow();
      jobs.shutdownNow();
    }
    assertTrue(peak.get() <= limit, "at most " + limit + " at once, saw " + peak.get());
    assertEquals(0, a.active());
    assertEquals(0, a.queued());
  }
}
