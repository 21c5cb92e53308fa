package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.api.ResultView;
import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository.TargetCounts;
import dev.llmtestbench.platform.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Results as GET /results shows them: a JSON array, or JSON Lines (one object per line). Each
 * result is serialized alone, so nothing accumulates.
 */
final class JsonExport implements ExportWriter {

  private final Writer out;
  private final boolean lines;
  private boolean first = true;

  JsonExport(Writer out, boolean lines) {
    this.out = out;
    this.lines = lines;
  }

  @Override
  public void start(List<TargetCounts> targets) throws IOException {
    if (!lines) {
      out.write('[');
    }
  }

  @Override
  public void row(ResultRecord r) throws IOException {
    if (!lines && !first) {
      out.write(",\n");
    }
    first = false;
    out.write(Json.write(ResultView.of(r)));
    if (lines) {
      out.write('\n');
    }
  }

  @Override
  public void finish() throws IOException {
    if (!lines) {
      out.write("]\n");
    }
    out.flush();
  }
}
