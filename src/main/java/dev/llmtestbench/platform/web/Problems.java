package dev.llmtestbench.platform.web;

import dev.llmtestbench.platform.rest.Problem;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Problem details written by servlet filters, before JAX-RS and its exception mappers. */
final class Problems {

  private Problems() {}

  static void write(
      HttpServletRequest req,
      HttpServletResponse res,
      int status,
      String type,
      String title,
      String detail)
      throws IOException {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("type", "https://llmtestbench.dev/problems/" + type)
            .add("title", title)
            .add("status", status)
            .add("detail", detail)
            .add("instance", req.getRequestURI());
    byte[] body = b.build().toString().getBytes(StandardCharsets.UTF_8);
    res.setStatus(status);
    res.setContentType(Problem.MEDIA_TYPE);
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }
}
