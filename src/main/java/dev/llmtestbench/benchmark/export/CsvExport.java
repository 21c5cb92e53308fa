package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository.TargetCounts;
import dev.llmtestbench.platform.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** One CSV row per result (RFC 4180, with a header), written with Commons CSV. */
final class CsvExport implements ExportWriter {

  static final String[] HEADER = {
    "id",
    "runId",
    "provider",
    "model",
    "testId",
    "itemKey",
    "repeatIndex",
    "status",
    "passed",
    "score",
    "scores",
    "failedAssertions",
    "latencyMs",
    "timeToFirstTokenMs",
    "promptTokens",
    "completionTokens",
    "totalTokens",
    "cost",
    "finishReason",
    "error",
    "errorType",
    "prompt",
    "response",
    "expected",
    "tags",
    "createdAt",
    "serverId"
  };

  private final CSVPrinter printer;

  CsvExport(Writer out) throws IOException {
    this.printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get());
  }

  @Override
  public void start(List<TargetCounts> targets) {}

  @Override
  public void row(ResultRecord r) throws IOException {
    printer.printRecord(
        r.id(),
        r.runId(),
        r.provider(),
        r.model(),
        r.testId(),
        r.itemKey(),
        r.repeatIndex(),
        r.status(),
        r.passed(),
        r.score(),
        r.scores() == null || r.scores().isEmpty() ? null : Json.write(r.scores()),
        String.join("\n", Texts.failedAssertions(r)),
        r.durationMs(),
        r.call().timeToFirstTokenMs(),
        r.promptTokens(),
        r.completionTokens(),
        r.totalTokens(),
        r.call().totalCost(),
        r.finishReason(),
        r.error(),
        r.errorType(),
        r.prompt(),
        r.response(),
        r.expected(),
        r.tags() == null ? null : String.join("|", r.tags()),
        r.createdAt(),
        r.serverId());
  }

  @Override
  public void finish() throws IOException {
    printer.flush();
  }
}
