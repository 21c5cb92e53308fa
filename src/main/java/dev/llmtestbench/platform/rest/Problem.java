package dev.llmtestbench.platform.rest;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem detail, the body of every error response. */
@JsonbPropertyOrder({"type", "title", "status", "detail", "instance", "violations"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<ApiException.Violation> violations) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://llmtestbench.dev/problems/";

  static Response response(
      int status,
      String type,
      String title,
      String detail,
      String instance,
      List<ApiException.Violation> violations) {
    Problem problem =
        new Problem(
            TYPE_BASE + type,
            title,
            status,
            detail,
            instance,
            violations == null || violations.isEmpty() ? null : violations);
    return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(problem).build();
  }
}
