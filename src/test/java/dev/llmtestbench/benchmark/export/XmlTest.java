package dev.llmtestbench.benchmark.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class XmlTest {

  @Test
  void keepsWhatXmlCarriesAndReplacesTheRest() {
    String ok = "tab\tline\nreturn\r é 😀 <&>";
    assertSame(ok, Xml.text(ok));
    assertEquals("a\uFFFDb\uFFFDc", Xml.text("a\u0000b\u001Bc"));
    assertEquals("x\uFFFD", Xml.text("x\uD83D"), "a lone surrogate");
    assertEquals("\uFFFDy", Xml.text("\uDE00y"));
    assertEquals("\uFFFD", Xml.text("\uFFFE"));
    assertEquals("", Xml.text(null));
  }
}
