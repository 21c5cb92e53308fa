package dev.llmtestbench.benchmark.export;

import java.io.IOException;
import java.io.Writer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** StAX writers for the XML exports, and text made safe for XML 1.0. */
final class Xml {

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newInstance();

  private Xml() {}

  /** A StAX writer on {@code out}. */
  static XMLStreamWriter writer(Writer out) throws IOException {
    try {
      return FACTORY.createXMLStreamWriter(out);
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  /** The text with characters XML 1.0 cannot carry replaced by U+FFFD; "" for null. */
  static String text(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(c)) {
        ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (ok) {
          if (out != null) {
            out.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        ok =
            c == '\t'
                || c == '\n'
                || c == '\r'
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD);
      }
      if (!ok && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        out.append(ok ? c : '\uFFFD');
      }
    }
    return out == null ? s : out.toString();
  }
}
