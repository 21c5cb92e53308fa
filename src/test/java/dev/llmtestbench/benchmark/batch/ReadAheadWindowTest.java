package dev.llmtestbench.benchmark.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.WorkItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReadAheadWindowTest {

  /** Keys with a written result: no longer pending. */
  private final Set<Integer> written = new TreeSet<>();

  /** Keys whose call answers the moment it starts. */
  private final Set<Integer> instant = new HashSet<>();

  /** Every call started, by key, in start order. */
  private final Map<Integer, CompletableFuture<ResultRecord>> calls = new LinkedHashMap<>();

  /** Each started call's "the provider has answered" signal, by key. */
  private final Map<Integer, Runnable> answers = new LinkedHashMap<>();

  /** A partition of items 0..n-1 after {@code afterKey}. */
  private ReadAheadWindow window(int size, int afterKey, int n) {
    return new ReadAheadWindow(
        size,
        2 * size,
        afterKey,
        (after, limit) -> {
          List<WorkItem> page = new ArrayList<>();
          for (int k = after + 1; k < n && page.size() < limit; k++) {
            if (!written.contains(k)) {
              page.add(new WorkItem(k, null, 0, 0));
            }
          }
          return page;
        },
        (item, answered) -> {
          CompletableFuture<ResultRecord> f = new CompletableFuture<>();
          calls.put(item.itemKey(), f);
          answers.put(item.itemKey(), answered);
          if (instant.contains(item.itemKey())) {
            f.complete(null);
          }
          return f;
        });
  }

  private long running() {
    return calls.values().stream().filter(f -> !f.isDone()).count();
  }

  /** The next finished item, "written" as the chunk would. */
  private int take(ReadAheadWindow w) throws InterruptedException {
    InFlightItem f = w.next(() -> false, 10);
    written.add(f.item().itemKey());
    return f.item().itemKey();
  }

  @Test
  void keepsTheWindowFullAndHandsOutItemsAsTheyFinish() throws Exception {
    ReadAheadWindow w = window(3, -1, 10);
    instant.add(2);
    assertEquals(2, take(w));
    // Item 2 finished, so item 3 started at once; 0, 1 and 3 are in flight.
    assertEquals(List.of(0, 1, 2, 3), List.copyOf(calls.keySet()));
    assertEquals(3, running());
    assertEquals(-1, w.checkpoint(), "0 and 1 are unfinished, so a restart must start at 0");
    calls.get(0).complete(null);
    assertEquals(0, take(w));
    assertEquals(3, running());
    assertEquals(0, w.checkpoint());
    calls.get(1).complete(null);
    assertEquals(1, take(w));
    assertEquals(3, running());
    assertEquals(2, w.checkpoint(), "0, 1 and 2 are handed out");
    assertEquals(3, w.inFlight());
  }

  @Test
  void finishedItemsWaitingForTheChunkStopNewCallsSoMemoryStaysBounded() throws Exception {
    for (int k = 0; k < 100; k++) {
      instant.add(k);
    }
    ReadAheadWindow w = window(4, -1, 100);
    assertEquals(0, take(w));
    // A provider answering at once: 4 in flight plus 4 finished waiting is the most, so 8 calls
    // had started when the first item was taken, and taking it made room for one more.
    assertEquals(9, calls.size());
    for (int i = 1; i <= 10; i++) {
      assertEquals(i, take(w));
    }
    assertEquals(19, calls.size(), "one new call per item taken, never more");
  }

  @Test
  void aCallAnsweredByItsProviderFreesItsPlaceBeforeItsEvaluationEnds() throws Exception {
    ReadAheadWindow w = window(2, -1, 20);
    instant.add(0);
    assertEquals(0, take(w)); // started 0, 1 and, when 0 finished, 2
    assertEquals(List.of(0, 1, 2), List.copyOf(calls.keySet()));
    answers.get(1).run(); // 1 answered, still evaluating: 3 starts
    assertEquals(List.of(0, 1, 2, 3), List.copyOf(calls.keySet()));
    answers.get(1).run(); // only the first signal counts
    assertEquals(4, calls.size());
    answers.get(2).run(); // 1, 2 evaluating and 3, 4 in flight: 2 x 2 items not handed out
    assertEquals(5, calls.size());
    answers.get(3).run();
    assertEquals(5, calls.size(), "no more than twice the window started and not handed out");
    calls.get(1).complete(null);
    assertEquals(1, take(w));
    assertEquals(6, calls.size(), "taking 1 made room for 5");
    assertEquals(2, w.inFlight(), "4 and 5 wait for their provider");
  }

  @Test
  void endsWhenTheRangeIsDoneWithTheCheckpointAtItsEnd() throws Exception {
    for (int k = 0; k < 6; k++) {
      instant.add(k);
    }
    ReadAheadWindow w = window(4, -1, 6);
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      seen.add(take(w));
    }
    assertNull(w.next(() -> false, 10));
    assertEquals(List.of(0, 1, 2, 3, 4, 5), seen);
    assertEquals(5, w.checkpoint());
    assertEquals(0, w.inFlight());
  }

  @Test
  void aRestartFromTheCheckpointRunsUnwrittenItemsAgainAndSkipsWrittenOnes() throws Exception {
    ReadAheadWindow w = window(3, -1, 8);
    instant.add(1);
    assertEquals(1, take(w));
    calls.get(3).complete(null);
    assertEquals(3, take(w));
    // A crash here: 1 and 3 were written; 0, 2 and 4 were in flight.
    int checkpoint = w.checkpoint();
    assertEquals(-1, checkpoint);
    calls.clear();
    for (int k = 0; k < 8; k++) {
      instant.add(k);
    }
    ReadAheadWindow again = window(3, checkpoint, 8);
    List<Integer> order = new ArrayList<>();
    InFlightItem f;
    while ((f = again.next(() -> false, 10)) != null) {
      order.add(f.item().itemKey());
      written.add(f.item().itemKey());
    }
    assertEquals(List.of(0, 2, 4, 5, 6, 7), order);
    assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), written);
  }

  @Test
  void stoppingAbandonsCallsInFlightButHandsOutFinishedOnes() throws Exception {
    ReadAheadWindow w = window(4, -1, 100);
    instant.add(0);
    assertEquals(0, take(w));
    calls.get(2).complete(null);
    assertEquals(List.of(0, 1, 2, 3, 4, 5), List.copyOf(calls.keySet()));
    assertEquals(2, w.next(() -> true, 10).item().itemKey());
    assertNull(w.next(() -> true, 10));
    for (int k : List.of(1, 3, 4, 5)) {
      assertTrue(calls.get(k).isCancelled());
    }
    assertEquals(6, calls.size(), "nothing new starts once stopping");
    assertEquals(0, w.checkpoint(), "1 was abandoned, so a restart starts there");
  }

  @Test
  void aCallThatCannotStartBecomesAFinishedItem() throws Exception {
    ReadAheadWindow w =
        new ReadAheadWindow(
            2,
            4,
            -1,
            (after, limit) -> after < 0 ? List.of(new WorkItem(0, null, 0, 0)) : List.of(),
            (item, answered) -> {
              throw new IllegalStateException("provider gone");
            });
    InFlightItem f = w.next(() -> false, 10);
    assertTrue(f.result().isCompletedExceptionally());
    assertNull(w.next(() -> false, 10));
  }

  @Test
  void callsCompletingOnOtherThreadsNeverExceedTheWindowAndEveryItemComesOutOnce()
      throws Exception {
    java.util.concurrent.ScheduledExecutorService pool =
        java.util.concurrent.Executors.newScheduledThreadPool(4);
    java.util.concurrent.atomic.AtomicInteger live =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.Random random = new java.util.Random(7);
    int n = 2000;
    try {
      ReadAheadWindow w =
          new ReadAheadWindow(
              16,
              32,
              -1,
              (after, limit) -> {
                List<WorkItem> page = new ArrayList<>();
                for (int k = after + 1; k < n && page.size() < limit; k++) {
                  page.add(new WorkItem(k, null, 0, 0));
                }
                return page;
              },
              (item, answered) -> {
                most.accumulateAndGet(live.incrementAndGet(), Math::max);
                CompletableFuture<ResultRecord> f = new CompletableFuture<>();
                int delay = random.nextInt(3);
                Runnable done =
                    () -> {
                      live.decrementAndGet();
                      f.complete(null);
                    };
                if (delay == 0) {
                  done.run();
                } else {
                  pool.schedule(done, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                return f;
              });
      List<Integer> out = new ArrayList<>();
      InFlightItem f;
      while ((f = w.next(() -> false, 5)) != null) {
        out.add(f.item().itemKey());
        assertTrue(w.checkpoint() < n);
      }
      assertEquals(n, out.size());
      assertEquals(n, new TreeSet<>(out).size());
      assertTrue(most.get() <= 16, "at most 16 calls in flight, saw " + most.get());
      assertEquals(n - 1, w.checkpoint());
    } finally {
      pool.shutdownNow();
    }
  }
}
