package it.support;

import java.net.http.HttpRequest;

/**
 * Who may read the audit log in the integration tests: the bootstrap administrator, with the access
 * token {@link Api} logs in for.
 */
public final class AuditAccess {

  /** What GET /api/v1/audit answers a caller without credentials. */
  public static final int ANONYMOUS_STATUS = 401;

  private AuditAccess() {}

  /** Adds an administrator's credentials to a request. */
  public static HttpRequest.Builder asAdmin(HttpRequest.Builder request) {
    return request.header("Authorization", Api.authorization());
  }
}
