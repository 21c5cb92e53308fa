package dev.llmtestbench.platform.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque pagination cursors over a row's sequence number. */
public final class Cursors {

  private Cursors() {}

  public static String encode(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("s:" + seq).getBytes(StandardCharsets.UTF_8));
  }

  /** Null for no cursor; a 400 naming the parameter for a cursor this server did not make. */
  public static Long decode(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith("s:")) {
        return Long.parseLong(s.substring(2));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw ApiException.badRequest(
        "Invalid cursor '" + cursor + "'. Pass the nextCursor of a previous page, or omit it.");
  }
}
