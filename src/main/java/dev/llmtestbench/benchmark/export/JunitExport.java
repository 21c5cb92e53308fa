package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultRepository.TargetCounts;
import java.io.IOException;
import java.io.Writer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML as CI systems read it (the Ant/Surefire format Jenkins, GitLab and GitHub reporters
 * parse): one {@code testsuite} per run and target, one {@code testcase} per result; a failed
 * evaluation is a {@code failure} whose message lists the failed assertions, a failed call an
 * {@code error} typed by its error type. The suite counts come from one aggregate query before the
 * rows, so the rows stream. Written with StAX.
 */
final class JunitExport implements ExportWriter {

  private final XMLStreamWriter xml;
  private final Map<TargetKey, TargetCounts> counts = new HashMap<>();
  private TargetKey current;

  JunitExport(Writer out) throws IOException {
    this.xml = Xml.writer(out);
  }

  @Override
  public void start(List<TargetCounts> targets) throws IOException {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    double seconds = 0;
    for (TargetCounts t : targets) {
      counts.put(TargetKey.of(t), t);
      tests += t.tests();
      failures += t.failures();
      errors += t.errors();
      seconds += t.seconds();
    }
    try {
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "LLM Test Bench");
      xml.writeAttribute("tests", Integer.toString(tests));
      xml.writeAttribute("failures", Integer.toString(failures));
      xml.writeAttribute("errors", Integer.toString(errors));
      xml.writeAttribute("time", Texts.seconds(seconds));
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
          xml.writeCharacters("  ");
          xml.writeEndElement();
          xml.writeCharacters("\n");
        }
        startSuite(key);
        current = key;
      }
      xml.writeCharacters("    ");
      xml.writeStartElement("testcase");
      xml.writeAttribute("name", Xml.text(Texts.testName(r)));
      xml.writeAttribute("classname", Xml.text(r.provider() + "." + r.model()));
      xml.writeAttribute("time", Texts.seconds(r.durationMs() / 1000.0));
      switch (r.status()) {
        case "failure" -> {
          List<String> failed = Texts.failedAssertions(r);
          xml.writeStartElement("failure");
          xml.writeAttribute("type", "assertion");
          xml.writeAttribute("message", Xml.text(Texts.failureMessage(r, failed)));
          xml.writeCharacters(
              Xml.text(
                  String.join("\n", failed)
                      + (failed.isEmpty() ? "" : "\n")
                      + "score: "
                      + Texts.number(r.score())));
          xml.writeEndElement();
        }
        case "error", "timeout" -> {
          xml.writeStartElement("error");
          xml.writeAttribute("type", Xml.text(r.errorType() == null ? r.status() : r.errorType()));
          xml.writeAttribute("message", Xml.text(r.error() == null ? r.status() : r.error()));
          xml.writeCharacters(Xml.text(r.error()));
          xml.writeEndElement();
        }
        case "skipped" -> xml.writeEmptyElement("skipped");
        default -> {}
      }
      xml.writeStartElement("system-out");
      xml.writeCharacters(
          Xml.text(
              "prompt:\n"
                  + r.prompt()
                  + "\n\nresponse:\n"
                  + (r.response() == null ? "" : r.response())
                  + (r.expected() == null ? "" : "\n\nexpected:\n" + r.expected())));
      xml.writeEndElement();
      xml.writeEndElement();
      xml.writeCharacters("\n");
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  private void startSuite(TargetKey key) throws XMLStreamException {
    TargetCounts t = counts.get(key);
    xml.writeCharacters("  ");
    xml.writeStartElement("testsuite");
    String run = t == null || t.runName() == null ? key.runId().toString() : t.runName();
    xml.writeAttribute("name", Xml.text(run + " | " + key.provider() + "/" + key.model()));
    xml.writeAttribute("id", key.runId().toString());
    xml.writeAttribute("package", Xml.text(key.provider() + "." + key.model()));
    xml.writeAttribute("tests", Integer.toString(t == null ? 0 : t.tests()));
    xml.writeAttribute("failures", Integer.toString(t == null ? 0 : t.failures()));
    xml.writeAttribute("errors", Integer.toString(t == null ? 0 : t.errors()));
    xml.writeAttribute("skipped", Integer.toString(t == null ? 0 : t.skipped()));
    xml.writeAttribute("time", Texts.seconds(t == null ? 0 : t.seconds()));
    if (t != null && t.firstAt() != null) {
      xml.writeAttribute(
          "timestamp",
          DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
              t.firstAt()
                  .withOffsetSameInstant(ZoneOffset.UTC)
                  .toLocalDateTime()
                  .truncatedTo(ChronoUnit.SECONDS)));
    }
    xml.writeCharacters("\n    ");
    xml.writeStartElement("properties");
    property("runId", key.runId().toString());
    property("provider", key.provider());
    property("model", key.model());
    if (t != null && t.runName() != null) {
      property("runName", t.runName());
    }
    xml.writeEndElement();
    xml.writeCharacters("\n");
  }

  private void property(String name, String value) throws XMLStreamException {
    xml.writeEmptyElement("property");
    xml.writeAttribute("name", name);
    xml.writeAttribute("value", Xml.text(value));
  }

  @Override
  public void finish() throws IOException {
    try {
      if (current != null) {
        xml.writeCharacters("  ");
        xml.writeEndElement();
        xml.writeCharacters("\n");
      }
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.flush();
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }
}
