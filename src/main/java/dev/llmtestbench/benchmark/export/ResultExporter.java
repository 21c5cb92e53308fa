package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.persistence.ResultFilter;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.ResultRepository.TargetCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Streams the results a filter selects in one format, read through a database cursor a page of rows
 * at a time: memory stays constant whatever the number of results. Only the result's own fields are
 * written (those GET /results shows), never a provider's configuration or key.
 */
@ApplicationScoped
public class ResultExporter {

  @Inject ResultRepository results;

  @Inject
  @ConfigProperty(name = "ltb.export.fetch-size", defaultValue = "500")
  int fetchSize;

  public StreamingOutput export(ResultFilter filter, ExportFormat format) {
    return out -> write(filter, format, out);
  }

  void write(ResultFilter filter, ExportFormat format, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    ExportWriter writer =
        switch (format) {
          case CSV -> new CsvExport(w);
          case JSON -> new JsonExport(w, false);
          case JSONL -> new JsonExport(w, true);
          case JUNIT -> new JunitExport(w);
          case HTML -> new HtmlExport(w);
        };
    List<TargetCounts> targets = format.byTarget() ? results.targetCounts(filter) : List.of();
    writer.start(targets);
    results.stream(filter, format.byTarget(), Math.max(1, fetchSize), writer::row);
    writer.finish();
    w.flush();
  }
}
