package dev.llmtestbench.benchmark.batch;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.service.ProgressPublisher;
import dev.llmtestbench.provider.service.ResponseCache;
import jakarta.annotation.Resource;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Writes the results of the chunk's items (their calls have finished: the reader hands out only
 * those) in one batch, in the chunk's transaction with the reader's checkpoint. Events and
 * response-cache writes happen only after that transaction commits.
 */
@Dependent
@Named("resultWriter")
public class ResultWriter extends AbstractItemWriter {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ResultWriter.class.getName());

  @Inject @BatchProperty String runId;
  @Inject ResultRepository results;
  @Inject RunRepository runs;
  @Inject ProgressPublisher progress;
  @Inject ResponseCache cache;

  @Resource TransactionSynchronizationRegistry transactions;

  private UUID run;
  private int total;

  @Override
  public void open(Serializable checkpoint) {
    run = UUID.fromString(runId);
    total = runs.find(run).map(r -> r.totalItems() == null ? 0 : r.totalItems()).orElse(0);
  }

  @Override
  public void writeItems(List<Object> items) {
    List<ResultRecord> done = new ArrayList<>(items.size());
    for (Object o : items) {
      done.add(result((InFlightItem) o));
    }
    if (done.isEmpty()) {
      return;
    }
    results.insertAll(done);
    List<ResultRecord> written = List.copyOf(done);
    if (transactions != null && transactions.getTransactionKey() != null) {
      transactions.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
              if (status == Status.STATUS_COMMITTED) {
                cacheAnswers(written);
                progress.committed(run, total, written);
              }
            }
          });
    } else {
      cacheAnswers(written);
      progress.committed(run, total, written);
    }
  }

  /** Stores new answers in the response cache; a failure there never costs a result. */
  private void cacheAnswers(List<ResultRecord> written) {
    List<ResponseCache.Entry> answers = new ArrayList<>();
    for (ResultRecord r : written) {
      if (r.toCache() != null) {
        answers.add(
            new ResponseCache.Entry(
                r.toCache().key(), r.provider(), r.model(), r.toCache().completion()));
      }
    }
    try {
      cache.storeAll(answers);
    } catch (RuntimeException e) {
      LOG.warning("Response cache write of " + answers.size() + " answers failed: " + e);
    }
  }

  /** The result of an item whose call has finished (the reader hands out only those). */
  private static ResultRecord result(InFlightItem f) {
    try {
      return f.result().join();
    } catch (CompletionException | CancellationException e) {
      // ItemExecutor turns every provider failure into a result; anything else is a defect.
      throw new IllegalStateException(
          "Work item " + f.item().itemKey() + " failed", e.getCause() != null ? e.getCause() : e);
    }
  }
}
