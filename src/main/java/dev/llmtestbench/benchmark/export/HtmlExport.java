package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository.TargetCounts;
import java.io.IOException;
import java.io.Writer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A self-contained HTML report (inline CSS, no scripts, images or links to other origins): a
 * summary table of every run and target, then one table per target with each result's status,
 * score, latency, prompt, response, expected answer and what failed. Written as polyglot XHTML with
 * StAX, so every character is escaped and the document is well-formed.
 */
final class HtmlExport implements ExportWriter {

  private static final String CSS =
      "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1f24}"
          + "table{border-collapse:collapse;margin:0.5rem 0 1.5rem;width:100%}"
          + "th,td{border:1px solid #d0d7de;padding:0.25rem 0.5rem;vertical-align:top;"
          + "text-align:left;font-size:0.85rem}"
          + "th{background:#f6f8fa}td.t{white-space:pre-wrap;max-width:28rem;"
          + "overflow-wrap:anywhere}"
          + "tr.success td.s{color:#1a7f37}tr.failure td.s{color:#cf222e}"
          + "tr.error td.s,tr.timeout td.s{color:#9a6700}"
          + "td.n{text-align:right;font-variant-numeric:tabular-nums}";

  private final XMLStreamWriter xml;
  private final Map<TargetKey, TargetCounts> counts = new HashMap<>();
  private TargetKey current;
  private int section;

  HtmlExport(Writer out) throws IOException {
    this.xml = Xml.writer(out);
  }

  @Override
  public void start(List<TargetCounts> targets) throws IOException {
    int total = 0;
    for (TargetCounts t : targets) {
      counts.put(TargetKey.of(t), t);
      total += t.tests();
    }
    try {
      xml.writeDTD("<!DOCTYPE html>");
      xml.writeCharacters("\n");
      xml.writeStartElement("html");
      xml.writeDefaultNamespace("http://www.w3.org/1999/xhtml");
      xml.writeAttribute("lang", "en");
      xml.writeStartElement("head");
      xml.writeEmptyElement("meta");
      xml.writeAttribute("charset", "utf-8");
      element("title", "LLM Test Bench results");
      element("style", CSS);
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeStartElement("body");
      element("h1", "LLM Test Bench results");
      element(
          "p",
          total
              + " results in "
              + targets.size()
              + " run target(s), exported "
              + OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
              + ".");
      xml.writeStartElement("table");
      xml.writeAttribute("class", "summary");
      row(
          "th",
          "Run",
          "Provider",
          "Model",
          "Results",
          "Passed",
          "Failed",
          "Errors",
          "Pass rate",
          "Mean score");
      for (TargetCounts t : targets) {
        row(
            "td",
            t.runName() == null ? t.runId().toString() : t.runName() + " (" + t.runId() + ")",
            t.provider(),
            t.model(),
            Integer.toString(t.tests()),
            Integer.toString(t.passed()),
            Integer.toString(t.failures()),
            Integer.toString(t.errors()),
            t.tests() == 0
                ? ""
                : String.format(Locale.ROOT, "%.1f%%", 100.0 * t.passed() / t.tests()),
            Texts.number(t.meanScore()));
      }
      xml.writeEndElement();
      xml.writeCharacters("\n");
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  @Override
  public void row(ResultRecord r) throws IOException {
    try {
      TargetKey key = TargetKey.of(r);
      if (!key.equals(current)) {
        if (current != null) {
          xml.writeEndElement();
          xml.writeCharacters("\n");
        }
        TargetCounts t = counts.get(key);
        String run = t == null || t.runName() == null ? key.runId().toString() : t.runName();
        xml.writeStartElement("h2");
        xml.writeAttribute("id", "target-" + ++section);
        xml.writeCharacters(Xml.text(run + " | " + key.provider() + "/" + key.model()));
        xml.writeEndElement();
        xml.writeStartElement("table");
        row(
            "th",
            "#",
            "Test",
            "Status",
            "Score",
            "Latency (ms)",
            "Prompt",
            "Response",
            "Expected",
            "Failed assertions / error");
        current = key;
      }
      List<String> failed = Texts.failedAssertions(r);
      String why =
          r.error() != null
              ? (r.errorType() == null ? "" : r.errorType() + ": ") + r.error()
              : String.join("\n", failed);
      xml.writeStartElement("tr");
      xml.writeAttribute("class", Xml.text(r.status()));
      cell("n", Integer.toString(r.itemKey()));
      cell(null, Texts.testName(r));
      cell("s", r.status());
      cell("n", Texts.number(r.score()));
      cell("n", String.format(Locale.ROOT, "%.1f", r.durationMs()));
      cell("t", r.prompt());
      cell("t", r.response());
      cell("t", r.expected());
      cell("t", why);
      xml.writeEndElement();
      xml.writeCharacters("\n");
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  private void element(String name, String text) throws XMLStreamException {
    xml.writeStartElement(name);
    xml.writeCharacters(Xml.text(text));
    xml.writeEndElement();
  }

  private void cell(String cssClass, String text) throws XMLStreamException {
    xml.writeStartElement("td");
    if (cssClass != null) {
      xml.writeAttribute("class", cssClass);
    }
    xml.writeCharacters(Xml.text(text));
    xml.writeEndElement();
  }

  private void row(String cell, String... texts) throws XMLStreamException {
    xml.writeStartElement("tr");
    for (String t : texts) {
      xml.writeStartElement(cell);
      xml.writeCharacters(Xml.text(t));
      xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeCharacters("\n");
  }

  @Override
  public void finish() throws IOException {
    try {
      if (current != null) {
        xml.writeEndElement();
      } else {
        element("p", "No results match.");
      }
      xml.writeEndElement();
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.flush();
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }
}
