package dev.llmtestbench.benchmark.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats results export to, with their media type and file extension. */
public enum ExportFormat {
  CSV("csv", "text/csv; charset=UTF-8", "csv"),
  JSON("json", "application/json", "json"),
  JSONL("jsonl", "application/x-ndjson", "jsonl"),
  JUNIT("junit", "application/xml", "xml"),
  HTML("html", "text/html; charset=UTF-8", "html");

  private final String id;
  private final String mediaType;
  private final String extension;

  ExportFormat(String id, String mediaType, String extension) {
    this.id = id;
    this.mediaType = mediaType;
    this.extension = extension;
  }

  public String id() {
    return id;
  }

  public String mediaType() {
    return mediaType;
  }

  public String extension() {
    return extension;
  }

  /** Whether the format groups results by run and target (JUnit suites, report sections). */
  public boolean byTarget() {
    return this == JUNIT || this == HTML;
  }

  /** The format named (any case), or null if none is. */
  public static ExportFormat parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ExportFormat f : values()) {
      if (f.id.equals(n)) {
        return f;
      }
    }
    return n.equals("junit-xml") || n.equals("xml") ? JUNIT : null;
  }

  public static String names() {
    return Arrays.stream(values()).map(ExportFormat::id).collect(Collectors.joining(", "));
  }
}
