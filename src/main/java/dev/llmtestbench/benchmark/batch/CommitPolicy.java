package dev.llmtestbench.benchmark.batch;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractCheckpointAlgorithm;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * When a partition commits its chunk (results and checkpoint in one transaction), whichever comes
 * first:
 *
 * <ul>
 *   <li>{@code chunkSize} items: fast runs commit in large chunks, few commits per result;
 *   <li>the chunk has been open {@code idleMillis} and no further finished item is ready: a slow
 *       provider's results are committed (and published to live clients) within about that long of
 *       their answer, instead of waiting for later ones, while the time floor bounds the commits a
 *       steady trickle of results causes;
 *   <li>the chunk has been open {@code intervalMillis}, whatever else.
 * </ul>
 *
 * The standard {@code time-limit} counts whole seconds and cannot see whether more items are ready,
 * hence this custom policy. Whether more are ready comes from the partition's reader, which puts a
 * {@link Ready} in the step's transient user data.
 */
@Dependent
@Named("commitPolicy")
public class CommitPolicy extends AbstractCheckpointAlgorithm {

  /** Whether the partition's reader has a finished item ready to hand out at once. */
  @FunctionalInterface
  public interface Ready {
    boolean more();
  }

  @Inject @BatchProperty String chunkSize;
  @Inject @BatchProperty String idleMillis;
  @Inject @BatchProperty String intervalMillis;
  @Inject @BatchProperty String timeoutSeconds;
  @Inject StepContext step;

  private final LongSupplier clock;
  private BooleanSupplier more;
  private int items = -1;
  private long idleNanos;
  private long intervalNanos;
  private int timeout;
  private int read;
  private boolean begun;
  private long began;

  public CommitPolicy() {
    this(System::nanoTime);
  }

  CommitPolicy(LongSupplier clock) {
    this.clock = clock;
  }

  /** For tests: the limits, and whether more items are ready. */
  CommitPolicy configure(
      int chunkSize,
      long idleMillis,
      long intervalMillis,
      int timeoutSeconds,
      BooleanSupplier more) {
    this.items = Math.max(1, chunkSize);
    this.idleNanos = Math.max(0, idleMillis) * 1_000_000L;
    this.intervalNanos = Math.max(0, intervalMillis) * 1_000_000L;
    this.timeout = Math.max(0, timeoutSeconds);
    this.more = more;
    return this;
  }

  private void configured() {
    if (items < 0) {
      configure(
          parse(chunkSize, 100),
          parse(idleMillis, 0),
          parse(intervalMillis, 0),
          parse(timeoutSeconds, 900),
          null);
    }
    if (more == null && step != null && step.getTransientUserData() instanceof Ready r) {
      more = r::more;
    }
  }

  private static int parse(String value, int fallback) {
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  /** The transaction timeout of the next chunk, in seconds (0: the server's default). */
  @Override
  public int checkpointTimeout() {
    configured();
    return timeout;
  }

  @Override
  public void beginCheckpoint() {
    configured();
    read = 0;
    begun = true;
    began = clock.getAsLong();
  }

  @Override
  public void endCheckpoint() {
    read = 0;
    begun = false;
  }

  /** Called after each item is read and processed. */
  @Override
  public boolean isReadyToCheckpoint() {
    configured();
    if (!begun) {
      begun = true;
      began = clock.getAsLong();
    }
    read++;
    if (read >= items) {
      return true;
    }
    long open = clock.getAsLong() - began;
    if (intervalNanos > 0 && open >= intervalNanos) {
      return true;
    }
    return idleNanos > 0 && open >= idleNanos && more != null && !more.getAsBoolean();
  }
}
