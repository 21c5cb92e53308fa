package dev.llmtestbench.platform.rest;

import java.util.UUID;

/** Parses resource ids from paths and parameters, answering 400 for ids that cannot exist. */
public final class Ids {

  private Ids() {}

  public static UUID parse(String value, String what) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest(
          "'" + value + "' is not a valid " + what + " id: ids are UUIDs.");
    }
  }

  /** The page size, defaulting and bounded, with a 400 naming the limit when out of range. */
  public static int limit(Integer limit, int defaultLimit, int max) {
    if (limit == null) {
      return defaultLimit;
    }
    if (limit < 1 || limit > max) {
      throw ApiException.badRequest("limit must be between 1 and " + max + ", was " + limit + ".");
    }
    return limit;
  }
}
