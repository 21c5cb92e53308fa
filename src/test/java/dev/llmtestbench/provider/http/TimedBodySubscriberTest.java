package dev.llmtestbench.provider.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimedBodySubscriberTest {

  private static final Flow.Subscription NOOP =
      new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  @Test
  void shouldNoteTheEndOfTheBodyAndPassItOn() throws Exception {
    AtomicLong end = new AtomicLong();
    var s = new TimedBodySubscriber<>(BodySubscribers.ofString(StandardCharsets.UTF_8), end);
    long before = System.nanoTime();
    s.onSubscribe(NOOP);
    s.onNext(List.of(ByteBuffer.wrap("hel".getBytes(StandardCharsets.UTF_8))));
    assertEquals(0, end.get(), "not before the last byte");
    s.onNext(List.of(ByteBuffer.wrap("lo".getBytes(StandardCharsets.UTF_8))));
    s.onComplete();
    assertTrue(end.get() >= before);
    assertEquals("hello", s.getBody().toCompletableFuture().get());
    long stamped = end.get();
    Thread.sleep(5);
    assertTrue(TimedBodySubscriber.elapsed(end, before) == stamped - before);
  }

  @Test
  void shouldNoteAFailedBodyTooAndFallBackToNowWithoutOne() {
    AtomicLong end = new AtomicLong();
    var s = new TimedBodySubscriber<>(BodySubscribers.ofString(StandardCharsets.UTF_8), end);
    s.onSubscribe(NOOP);
    s.onError(new java.io.IOException("reset"));
    assertTrue(end.get() != 0);
    assertTrue(s.getBody().toCompletableFuture().isCompletedExceptionally());

    long start = System.nanoTime();
    assertTrue(TimedBodySubscriber.elapsed(new AtomicLong(), start) >= 0);
  }
}
