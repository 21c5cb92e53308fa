package dev.llmtestbench.platform.rest;

import java.util.List;

/**
 * A failure the caller can act on, answered as {@code application/problem+json} with its status.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;
  private final List<Violation> violations;

  public ApiException(int status, String type, String title, String detail) {
    this(status, type, title, detail, List.of());
  }

  public ApiException(
      int status, String type, String title, String detail, List<Violation> violations) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.violations = List.copyOf(violations);
  }

  public static ApiException notFound(String what, Object id) {
    return new ApiException(
        404, "not-found", what + " not found", what + " '" + id + "' does not exist.");
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "invalid-request", "Invalid request", detail);
  }

  public static ApiException badRequest(String detail, List<Violation> violations) {
    return new ApiException(400, "invalid-request", "Invalid request", detail, violations);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public List<Violation> violations() {
    return violations;
  }

  /** One invalid field: where it is and what to fix. */
  public record Violation(String field, String message) {}
}
