package dev.llmtestbench.provider.http;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notes the moment a response body has been read in full, on the thread that read it. Latency
 * stamped there excludes the time an answer waits for a free executor thread when many arrive at
 * once, which is queueing in this process, not the provider's time.
 */
public final class TimedBodySubscriber<T> implements BodySubscriber<T> {

  private final BodySubscriber<T> delegate;
  private final AtomicLong completedAt;

  /** Wraps {@code delegate}; {@code completedAt} receives {@link System#nanoTime()} at the end. */
  public TimedBodySubscriber(BodySubscriber<T> delegate, AtomicLong completedAt) {
    this.delegate = delegate;
    this.completedAt = completedAt;
  }

  /** {@code handler}, with the end of every body it reads noted in {@code completedAt}. */
  public static <T> java.net.http.HttpResponse.BodyHandler<T> timed(
      java.net.http.HttpResponse.BodyHandler<T> handler, AtomicLong completedAt) {
    return info -> new TimedBodySubscriber<>(handler.apply(info), completedAt);
  }

  /** Nanoseconds from {@code start} to the noted end, or to now when no body was read. */
  public static long elapsed(AtomicLong completedAt, long start) {
    long end = completedAt.get();
    return (end != 0 ? end : System.nanoTime()) - start;
  }

  @Override
  public CompletionStage<T> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    delegate.onSubscribe(subscription);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    delegate.onNext(item);
  }

  @Override
  public void onError(Throwable throwable) {
    completedAt.compareAndSet(0, System.nanoTime());
    delegate.onError(throwable);
  }

  @Override
  public void onComplete() {
    completedAt.compareAndSet(0, System.nanoTime());
    delegate.onComplete();
  }
}
