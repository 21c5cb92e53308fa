package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository.TargetCounts;
import java.io.IOException;
import java.util.List;

/**
 * Writes one export: {@link #start} once, {@link #row} per result in the order read, {@link
 * #finish} once. Holds nothing per row, so memory stays constant.
 */
interface ExportWriter {

  /** The runs and targets the rows belong to, in row order when the format groups by target. */
  void start(List<TargetCounts> targets) throws IOException;

  void row(ResultRecord r) throws IOException;

  void finish() throws IOException;
}
