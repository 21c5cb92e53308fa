package dev.llmtestbench.platform.rest;

import dev.llmtestbench.platform.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Puts an example request and response into every operation of the OpenAPI document that has one in
 * {@code META-INF/openapi-examples.json}: real requests and the server's real answers, keyed by
 * operationId, captured from a running server by {@code scripts/openapi_examples.py}. The request
 * example goes to the body's JSON media type; the response example to the JSON media type of the
 * operation's first 2xx response. Examples an operation documents itself are kept.
 */
final class OpenApiExamples {

  static final String RESOURCE = "/META-INF/openapi-examples.json";

  private OpenApiExamples() {}

  /** The examples by operationId: each a map with "request" and/or "response". */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> load() {
    try (InputStream in = OpenApiExamples.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Map.of();
      }
      return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), LinkedHashMap.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void apply(OpenAPI openAPI, Map<String, Map<String, Object>> examples) {
    if (openAPI.getPaths() == null) {
      return;
    }
    openAPI
        .getPaths()
        .getPathItems()
        .values()
        .forEach(item -> item.getOperations().values().forEach(op -> apply(op, examples)));
  }

  private static void apply(Operation op, Map<String, Map<String, Object>> examples) {
    Map<String, Object> example =
        op.getOperationId() == null ? null : examples.get(op.getOperationId());
    if (example == null) {
      return;
    }
    if (example.containsKey("request") && op.getRequestBody() != null) {
      set(op.getRequestBody().getContent(), example.get("request"));
    }
    if (example.containsKey("response") && op.getResponses() != null) {
      op.getResponses().getAPIResponses().entrySet().stream()
          .filter(e -> e.getKey().startsWith("2"))
          .map(Map.Entry::getValue)
          .filter(r -> r.getContent() != null)
          .findFirst()
          .map(APIResponse::getContent)
          .ifPresent(c -> set(c, example.get("response")));
    }
  }

  private static void set(Content content, Object example) {
    if (content == null || content.getMediaTypes() == null) {
      return;
    }
    MediaType json = content.getMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON);
    if (json != null && json.getExample() == null && json.getExamples() == null) {
      json.setExample(example);
    }
  }
}
