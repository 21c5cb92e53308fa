package dev.llmtestbench.platform.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CursorsTest {

  @Test
  void shouldRoundTripSequenceNumbers() {
    assertEquals(42L, Cursors.decode(Cursors.encode(42)));
    assertNull(Cursors.decode(null));
    assertNull(Cursors.decode(" "));
  }

  @Test
  void shouldRejectCursorsItDidNotMake() {
    ApiException e = assertThrows(ApiException.class, () -> Cursors.decode("garbage!"));
    assertEquals(400, e.status());
    assertThrows(ApiException.class, () -> Cursors.decode(Cursors.encode(1).substring(1)));
  }

  @Test
  void shouldOfferANextCursorOnlyWhenMoreRowsExist() {
    Page<Long> last = Page.of(List.of(1L, 2L), 2, Long::longValue);
    assertNull(last.nextCursor());
    Page<Long> more = Page.of(List.of(1L, 2L, 3L), 2, Long::longValue);
    assertEquals(List.of(1L, 2L), more.items());
    assertEquals(2L, Cursors.decode(more.nextCursor()));
  }

  @Test
  void shouldRoundTripNamesAndKeepKindsApart() {
    assertEquals("openai-é/x", Cursors.decodeName(Cursors.encodeName("openai-é/x")));
    assertNull(Cursors.decodeName(null));
    ApiException e = assertThrows(ApiException.class, () -> Cursors.decodeName(Cursors.encode(3)));
    assertEquals("cursor", e.violations().get(0).field());
    assertThrows(ApiException.class, () -> Cursors.decode(Cursors.encodeName("a")));
  }
}
