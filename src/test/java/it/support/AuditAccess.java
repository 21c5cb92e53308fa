package it.support;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who may read the audit log in the integration tests: the one place to change when the way an
 * administrator authenticates changes (the identity lane replaces Basic with a bearer token).
 */
public final class AuditAccess {

  /** What GET /api/v1/audit answers a caller without credentials. */
  public static final int ANONYMOUS_STATUS = 401;

  private AuditAccess() {}

  /** Adds an administrator's credentials to a request. */
  public static HttpRequest.Builder asAdmin(HttpRequest.Builder request) {
    String user = System.getProperty("it.admin.user", "admin");
    String password = System.getProperty("it.admin.password", "admin-dev-only");
    return request.header(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }
}
