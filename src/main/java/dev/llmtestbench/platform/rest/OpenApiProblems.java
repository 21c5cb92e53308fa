package dev.llmtestbench.platform.rest;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error responses every operation can give, once for all: the {@code Problem} schema
 * (RFC 9457, as {@link ProblemMappers} writes it) with an example each, 400 for operations that
 * take parameters or a body, 404 for those addressing a resource by path, and 500 and 503
 * everywhere. Responses an operation documents itself are kept. Also adds each operation's example
 * request and response ({@link OpenApiExamples}). Registered as {@code mp.openapi.filter}.
 */
public class OpenApiProblems implements OASFilter {

  private static final String REF = "#/components/schemas/Problem";
  private static final String BASE = "https://llmtestbench.dev/problems/";

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    Components components = openAPI.getComponents();
    components.addSchema("Violation", violation());
    components.addSchema("Problem", problem());
    if (openAPI.getPaths() == null) {
      return;
    }
    OpenApiExamples.apply(openAPI, OpenApiExamples.load());
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              Map<PathItem.HttpMethod, Operation> operations = item.getOperations();
              operations.forEach((method, op) -> addProblems(path, item, method, op));
            });
    OpenApiExamples.addBuilt(openAPI);
  }

  private static void addProblems(
      String path, PathItem item, PathItem.HttpMethod method, Operation op) {
    if (op.getResponses() == null) {
      op.setResponses(OASFactory.createAPIResponses());
    }
    APIResponses responses = op.getResponses();
    boolean pathParams = path.contains("{");
    boolean input =
        pathParams
            || op.getRequestBody() != null
            || (op.getParameters() != null && !op.getParameters().isEmpty())
            || (item.getParameters() != null && !item.getParameters().isEmpty());
    if (input) {
      add(
          responses,
          "400",
          "Invalid input: a parameter, id, cursor, limit or body field (violations name each)",
          400,
          "invalid-request",
          "Invalid request",
          "Invalid parameter limit: limit must be between 1 and 1000, was 0.");
    }
    if (pathParams) {
      add(
          responses,
          "404",
          "The resource the path names does not exist",
          404,
          "not-found",
          "Benchmark not found",
          "Benchmark '9c095a92-cc9a-470a-b83f-87c4dcb57fef' does not exist.");
    }
    if (method == PathItem.HttpMethod.POST && op.getRequestBody() != null) {
      add(
          responses,
          "415",
          "The body is not application/json (or the operation's other accepted type)",
          415,
          "http-415",
          "Unsupported Media Type",
          "The body must be application/json.");
    }
    add(
        responses,
        "500",
        "An unexpected failure; the error id is in the server log",
        500,
        "internal-error",
        "Internal error",
        "Unexpected error 3f2a9c1e; see the server log.");
    add(
        responses,
        "503",
        "The database cannot be reached; retry after the Retry-After header's seconds",
        503,
        "database-unavailable",
        "Database unavailable",
        "The database cannot be reached; try again shortly.");
  }

  private static void add(
      APIResponses responses,
      String code,
      String description,
      int status,
      String type,
      String title,
      String detail) {
    if (responses.hasAPIResponse(code)) {
      APIResponse existing = responses.getAPIResponse(code);
      if (existing.getContent() == null || existing.getContent().getMediaTypes().isEmpty()) {
        existing.setContent(content(status, type, title, detail));
      }
      return;
    }
    responses.addAPIResponse(
        code,
        OASFactory.createAPIResponse()
            .description(description)
            .content(content(status, type, title, detail)));
  }

  private static Content content(int status, String type, String title, String detail) {
    Map<String, Object> example = new java.util.LinkedHashMap<>();
    example.put("type", BASE + type);
    example.put("title", title);
    example.put("status", status);
    example.put("detail", detail);
    example.put("instance", "/api/v1/…");
    MediaType media =
        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)).example(example);
    return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media);
  }

  private static Schema problem() {
    return OASFactory.createSchema()
        .type(List.of(Schema.SchemaType.OBJECT))
        .description("An RFC 9457 problem detail: the body of every error response")
        .required(List.of("type", "title", "status"))
        .addProperty(
            "type",
            string("https://llmtestbench.dev/problems/<kind>; the kinds are listed in docs/api.md"))
        .addProperty("title", string("a short summary of the kind of problem"))
        .addProperty(
            "status",
            OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.INTEGER))
                .description("the HTTP status"))
        .addProperty("detail", string("what went wrong in this request, and how to fix it"))
        .addProperty("instance", string("the request path"))
        .addProperty(
            "violations",
            OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.ARRAY))
                .description("for invalid input: one entry per invalid field or parameter")
                .items(OASFactory.createSchema().ref("#/components/schemas/Violation")));
  }

  private static Schema violation() {
    return OASFactory.createSchema()
        .type(List.of(Schema.SchemaType.OBJECT))
        .description("One invalid field or parameter")
        .addProperty("field", string("the field's path in the body, or the parameter's name"))
        .addProperty("message", string("what is wrong and what to do"));
  }

  private static Schema string(String description) {
    return OASFactory.createSchema()
        .type(List.of(Schema.SchemaType.STRING))
        .description(description);
  }
}
