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

  /** A cursor over a row's unique name, for lists ordered by name. */
  public static String encodeName(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("n:" + name).getBytes(StandardCharsets.UTF_8));
  }

  /** The name in a cursor of {@link #encodeName}; null for none; a 400 naming it otherwise. */
  public static String decodeName(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith("n:")) {
        return s.substring(2);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw invalid(cursor);
  }

  private static ApiException invalid(String cursor) {
    return ApiException.badRequest(
        "Invalid cursor '" + cursor + "'. Pass the nextCursor of a previous page, or omit it.",
        java.util.List.of(new ApiException.Violation("cursor", "not a nextCursor this list gave")));
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
    throw invalid(cursor);
  }
}
