package dev.llmtestbench.platform.audit;

import java.time.Instant;

/**
 * One audited action: who did what to which resource, from where, and how it ended. Never holds a
 * request or response body, so no secret sent in a body (a provider's API key, a password) can
 * reach the audit log.
 *
 * @param actor the caller's principal name; null when anonymous
 * @param action what was done, e.g. {@code POST /benchmarks/{id}/cancel}, {@code mutation
 *     createBenchmark} or {@code login}
 * @param resourceType the kind of resource, e.g. {@code benchmarks}, {@code providers}, {@code
 *     auth}
 * @param resourceId the resource's id or name when known
 * @param outcome one of {@link #SUCCESS}, {@link #FAILURE}, {@link #DENIED}, {@link #ERROR}
 * @param status the HTTP status answered, or null when not over HTTP
 * @param error a short error code (a problem type such as {@code not-found}), or null
 * @param ip the client's address (see {@link ClientAddress}), or null
 * @param userAgent the client's User-Agent header, or null
 * @param at when it happened
 */
public record AuditEntry(
    String actor,
    String action,
    String resourceType,
    String resourceId,
    String outcome,
    Integer status,
    String error,
    String ip,
    String userAgent,
    Instant at) {

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";
  public static final String DENIED = "denied";
  public static final String ERROR = "error";

  /**
   * The outcome an HTTP status stands for: 2xx/3xx success, 401/403 denied, 4xx failure, 5xx error.
   */
  public static String outcomeOf(int status) {
    if (status < 400) {
      return SUCCESS;
    }
    if (status == 401 || status == 403) {
      return DENIED;
    }
    return status < 500 ? FAILURE : ERROR;
  }

  /** Bounds every text field to its column, so one odd request cannot fail a whole batch. */
  AuditEntry bounded() {
    return new AuditEntry(
        cut(actor, 255),
        cut(action == null ? "unknown" : action, 255),
        cut(resourceType == null ? "unknown" : resourceType, 100),
        cut(resourceId, 255),
        outcome == null ? SUCCESS : outcome,
        status,
        cut(error, 255),
        ip,
        cut(userAgent, 1000),
        at == null ? Instant.now() : at);
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
