package dev.llmtestbench.platform.security;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

/** The 401 and 403 answers: application/problem+json, with WWW-Authenticate on 401 (RFC 6750). */
public final class AuthProblems {

  static final String TYPE_BASE = "https://llmtestbench.dev/problems/";

  private AuthProblems() {}

  /**
   * The WWW-Authenticate challenge; {@code invalid} when a credential was presented but refused.
   */
  static String challenge(boolean invalid) {
    return invalid
        ? "Bearer realm=\"llm-test-bench\", error=\"invalid_token\""
        : "Bearer realm=\"llm-test-bench\"";
  }

  static String body(int status, String detail, String instance) {
    return status == 401
        ? body(status, "unauthenticated", "Authentication required", detail, instance)
        : body(status, "forbidden", "Forbidden", detail, instance);
  }

  static String body(int status, String type, String title, String detail, String instance) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("type", TYPE_BASE + type)
            .add("title", title)
            .add("status", status)
            .add("detail", detail);
    if (instance != null) {
      b.add("instance", instance);
    }
    return b.build().toString();
  }

  public static Response unauthorized(String detail, boolean invalid, String instance) {
    return Response.status(401)
        .type("application/problem+json")
        .header("WWW-Authenticate", challenge(invalid))
        .entity(body(401, detail, instance))
        .build();
  }

  public static Response forbidden(String detail, String instance) {
    return Response.status(403)
        .type("application/problem+json")
        .entity(body(403, detail, instance))
        .build();
  }
}
