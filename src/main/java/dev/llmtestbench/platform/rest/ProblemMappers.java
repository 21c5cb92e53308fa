package dev.llmtestbench.platform.rest;

import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every failure into {@code application/problem+json}; internals never reach the client. */
public final class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

  private ProblemMappers() {}

  private static String path(UriInfo uri) {
    return uri == null ? null : uri.getRequestUri().getRawPath();
  }

  /** Domain failures carry their own status, type and detail. */
  @Provider
  public static class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(ApiException e) {
      return Problem.response(
          e.status(), e.type(), e.title(), e.getMessage(), path(uri), e.violations());
    }
  }

  /** Bean Validation failures on parameters and bodies: one violation per invalid field. */
  @Provider
  public static class ConstraintViolationMapper
      implements ExceptionMapper<ConstraintViolationException> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(ConstraintViolationException e) {
      List<ApiException.Violation> violations =
          e.getConstraintViolations().stream()
              .map(v -> new ApiException.Violation(field(v), v.getMessage()))
              .sorted((a, b) -> a.field().compareTo(b.field()))
              .toList();
      String detail =
          violations.size() == 1
              ? violations.get(0).message()
              : violations.size() + " fields are invalid; see violations.";
      return Problem.response(
          400, "invalid-request", "Invalid request", detail, path(uri), violations);
    }

    private static String field(ConstraintViolation<?> v) {
      // Skip the method and parameter nodes so the field reads like the JSON the client sent.
      StringBuilder sb = new StringBuilder();
      for (Path.Node node : v.getPropertyPath()) {
        switch (node.getKind()) {
          case METHOD, PARAMETER, RETURN_VALUE, CROSS_PARAMETER -> {}
          default -> {
            if (!sb.isEmpty()) {
              sb.append('.');
            }
            sb.append(node.getName());
            if (node.getIndex() != null) {
              sb.append('[').append(node.getIndex()).append(']');
            }
          }
        }
      }
      return sb.isEmpty() ? "body" : sb.toString();
    }
  }

  /** JAX-RS client errors (unknown path, wrong method, unreadable body). */
  @Provider
  public static class WebApplicationExceptionMapper
      implements ExceptionMapper<WebApplicationException> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
      Response big = tooLarge(e, uri);
      if (big != null) {
        return big;
      }
      int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
      if (status >= 500) {
        return unexpected(e, uri);
      }
      if (isJsonFailure(e)) {
        return malformedJson(e, uri);
      }
      String detail;
      if (e instanceof NotFoundException) {
        detail = "No resource at this path. See /openapi for the API.";
      } else if (e instanceof NotAllowedException) {
        detail = "Method not allowed here. Allowed: " + e.getResponse().getAllowedMethods() + ".";
      } else if (e instanceof NotSupportedException) {
        detail =
            "Unsupported content type. See /openapi for the media types this operation accepts.";
      } else {
        detail = e.getMessage();
      }
      return Problem.response(
          status,
          "http-" + status,
          Response.Status.fromStatusCode(status) == null
              ? "Error"
              : Response.Status.fromStatusCode(status).getReasonPhrase(),
          detail,
          path(uri),
          null);
    }
  }

  /** A request body that is not valid JSON or does not fit the expected shape. */
  @Provider
  public static class ProcessingExceptionMapper implements ExceptionMapper<ProcessingException> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(ProcessingException e) {
      Response big = tooLarge(e, uri);
      if (big != null) {
        return big;
      }
      return isJsonFailure(e) ? malformedJson(e, uri) : unexpected(e, uri);
    }
  }

  /** JSON-B failures that escape the provider unwrapped. */
  @Provider
  public static class JsonbExceptionMapper implements ExceptionMapper<JsonbException> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(JsonbException e) {
      Response big = tooLarge(e, uri);
      return big != null ? big : malformedJson(e, uri);
    }
  }

  /** Anything else: logged once with an id; the client gets the id and no internals. */
  @Provider
  public static class CatchAllMapper implements ExceptionMapper<Throwable> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(Throwable e) {
      Response big = tooLarge(e, uri);
      if (big != null) {
        return big;
      }
      if (isJsonFailure(e)) {
        return malformedJson(e, uri);
      }
      if (isDatabaseUnavailable(e)) {
        LOG.warning("Database unavailable on " + path(uri) + ": " + e.getMessage());
        return Response.fromResponse(
                Problem.response(
                    503,
                    "database-unavailable",
                    "Database unavailable",
                    DATABASE_UNAVAILABLE,
                    path(uri),
                    null))
            .header("Retry-After", "10")
            .build();
      }
      return unexpected(e, uri);
    }
  }

  /** The detail of a {@code 503 database-unavailable} problem. */
  public static final String DATABASE_UNAVAILABLE =
      "The database cannot be reached; try again shortly. Runs in progress are settled once it is"
          + " back (restarted from their checkpoints by default; POST"
          + " /api/v1/benchmarks/{id}/restart otherwise); results already written are kept.";

  /**
   * A failure to reach the database: an SQL connection exception (SQLState class 08) anywhere in
   * the cause chain.
   */
  public static boolean isDatabaseUnavailable(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql
          && (t instanceof java.sql.SQLTransientConnectionException
              || t instanceof java.sql.SQLNonTransientConnectionException
              || (sql.getSQLState() != null && sql.getSQLState().startsWith("08")))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A 413 when the failure comes from a request body beyond its limit (the HTTP guard's {@link
   * dev.llmtestbench.platform.web.BodyTooLargeException} anywhere in the cause chain), else null.
   */
  static Response tooLarge(Throwable e, UriInfo uri) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof dev.llmtestbench.platform.web.BodyTooLargeException) {
        return Problem.response(
            413, "payload-too-large", "Payload too large", t.getMessage(), path(uri), null);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  static boolean isJsonFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonbException || t instanceof JsonParsingException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static Response malformedJson(Throwable e, UriInfo uri) {
    String reason = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof JsonParsingException || t instanceof JsonbException) {
        reason = t.getMessage();
      }
    }
    String detail =
        "The request body is not valid JSON for this operation"
            + (reason == null ? "" : ": " + firstLine(reason))
            + ". Check the body against /openapi.";
    return Problem.response(400, "malformed-json", "Malformed JSON", detail, path(uri), null);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = (nl < 0 ? s : s.substring(0, nl)).replaceFirst("^Internal error: ", "");
    if (line.endsWith(".")) {
      line = line.substring(0, line.length() - 1);
    }
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static Response unexpected(Throwable e, UriInfo uri) {
    String id = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected error " + id + " on " + path(uri), e);
    return Problem.response(
        500,
        "internal-error",
        "Internal error",
        "The server failed to handle this request. Report error id " + id + ".",
        path(uri),
        null);
  }
}
