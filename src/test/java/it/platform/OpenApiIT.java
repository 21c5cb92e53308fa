package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import it.support.Api;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document: valid against the OpenAPI 3.x specification (swagger-parser's
 * validating parser reports no message), and complete: every JAX-RS resource method of the
 * application is an operation with a summary, a success response and documented
 * application/problem+json error responses.
 */
class OpenApiIT {

  static String json;
  static OpenAPI api;

  @BeforeAll
  static void fetch() {
    Api.Res res = Api.get(Api.BASE + "/openapi?format=JSON");
    assertEquals(200, res.status(), res.toString());
    json = res.body();
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json, null, options);
    assertEquals(List.of(), parsed.getMessages(), "validation messages");
    api = parsed.getOpenAPI();
    assertNotNull(api);
  }

  @Test
  void isAValidOpenApi31Document() {
    assertTrue(api.getOpenapi().startsWith("3.1"), api.getOpenapi());
    assertNotNull(api.getInfo().getTitle());
    assertNotNull(api.getComponents().getSchemas().get("Problem"));
  }

  @Test
  void everyRequestAndResponseBodyHasAnExample() {
    List<String> missing = new ArrayList<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, op) -> {
                          String name = method + " " + path;
                          if (op.getRequestBody() != null) {
                            missingExamples(op.getRequestBody().getContent(), name, missing);
                          }
                          op.getResponses()
                              .forEach(
                                  (code, r) ->
                                      missingExamples(r.getContent(), name + " " + code, missing));
                        }));
    assertEquals(List.of(), missing, "bodies without an example");
  }

  private static void missingExamples(
      io.swagger.v3.oas.models.media.Content content, String where, List<String> missing) {
    if (content == null) {
      return;
    }
    content.forEach(
        (type, media) -> {
          boolean binary =
              media.getSchema() != null
                  && ("binary".equals(media.getSchema().getFormat())
                      || type.startsWith("multipart/")
                      || type.equals("application/octet-stream"));
          boolean has =
              media.getExample() != null
                  || (media.getExamples() != null && !media.getExamples().isEmpty());
          if (!has && !binary) {
            missing.add(where + " " + type);
          }
        });
  }

  @Test
  void everyResourceMethodIsDocumentedWithItsErrors() throws Exception {
    List<String> missing = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    for (Class<?> c : resourceClasses()) {
      String base = c.getAnnotation(Path.class).value();
      for (Method m : c.getDeclaredMethods()) {
        String verb = verb(m);
        if (verb == null) {
          continue;
        }
        Path sub = m.getAnnotation(Path.class);
        String path = normalize(root() + "/" + base + "/" + (sub == null ? "" : sub.value()));
        seen.add(verb + " " + path);
        PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
        Operation op =
            item == null ? null : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(verb));
        if (op == null) {
          missing.add(verb + " " + path + " (" + c.getSimpleName() + "." + m.getName() + ")");
          continue;
        }
        if (op.getSummary() == null || op.getSummary().isBlank()) {
          missing.add(verb + " " + path + ": no summary");
        }
        Map<String, ApiResponse> responses = op.getResponses();
        if (responses.keySet().stream().noneMatch(k -> k.startsWith("2"))) {
          missing.add(verb + " " + path + ": no success response");
        }
        for (String code : List.of("500", "503")) {
          ApiResponse r = responses.get(code);
          if (r == null
              || r.getContent() == null
              || r.getContent().get("application/problem+json") == null) {
            missing.add(verb + " " + path + ": no problem+json " + code);
          }
        }
        if (path.contains("{") && responses.get("404") == null) {
          missing.add(verb + " " + path + ": no 404");
        }
      }
    }
    assertTrue(seen.size() >= 25, "resource methods found: " + seen);
    assertTrue(seen.contains("POST /api/v1/results/export"), seen.toString());
    assertEquals(List.of(), missing);
  }

  private static String verb(Method m) {
    if (m.isAnnotationPresent(GET.class)) {
      return "GET";
    }
    if (m.isAnnotationPresent(POST.class)) {
      return "POST";
    }
    if (m.isAnnotationPresent(PUT.class)) {
      return "PUT";
    }
    if (m.isAnnotationPresent(DELETE.class)) {
      return "DELETE";
    }
    return m.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
  }

  /** "/api/v1//results/{id: [0-9a-f-]+}/" -> "/api/v1/results/{id}". */
  static String normalize(String path) {
    String p = path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static String root;

  private static String root() {
    return root;
  }

  /** The application's classes annotated with @Path, found in the build's class directory. */
  private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException {
    java.nio.file.Path classes;
    try {
      classes =
          Paths.get(
              Class.forName("dev.llmtestbench.platform.rest.RestApplication")
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
    List<Class<?>> out = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("dev/llmtestbench"))) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> c;
        try {
          c = Class.forName(name, false, OpenApiIT.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue; // needs a runtime library the test classpath lacks: not a resource
        }
        if (c.isAnnotationPresent(ApplicationPath.class)) {
          root = c.getAnnotation(ApplicationPath.class).value();
        }
        if (c.isAnnotationPresent(Path.class)) {
          out.add(c);
        }
      }
    }
    assertNotNull(root, "no @ApplicationPath class found");
    return out;
  }

  /**
   * Every JSON request body and every JSON success answer carries an example (captured from a real
   * server by scripts/openapi_examples.py), and an example of a named schema uses only that
   * schema's properties, so an example cannot silently go stale when a view changes.
   */
  @Test
  void everyJsonBodyAndAnswerHasAnExampleOfItsSchema() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> o :
          p.getValue().readOperationsMap().entrySet()) {
        String name = o.getKey() + " " + p.getKey();
        Operation op = o.getValue();
        if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
          MediaType json = op.getRequestBody().getContent().get("application/json");
          if (json != null && !isBinary(json.getSchema())) {
            checked++;
            check(name + " request", json, problems);
          }
        }
        op.getResponses().entrySet().stream()
            .filter(e -> e.getKey().startsWith("2") && e.getValue().getContent() != null)
            .findFirst()
            .map(e -> e.getValue().getContent().get("application/json"))
            .ifPresent(
                json -> {
                  check(name + " response", json, problems);
                });
        checked++;
      }
    }
    assertTrue(checked > 40, "bodies and answers checked: " + checked);
    assertEquals(List.of(), problems);
  }

  private static boolean isBinary(Schema<?> schema) {
    return schema != null && "binary".equals(schema.getFormat());
  }

  private static void check(String name, MediaType json, List<String> problems) {
    Object example = json.getExample();
    if (example == null) {
      problems.add(name + ": no example");
      return;
    }
    Schema<?> schema = json.getSchema();
    List<String> fields = new ArrayList<>();
    if (example instanceof Map<?, ?> map) {
      map.keySet().forEach(k -> fields.add(String.valueOf(k)));
    } else if (example instanceof com.fasterxml.jackson.databind.JsonNode node && node.isObject()) {
      node.fieldNames().forEachRemaining(fields::add);
    } else {
      return;
    }
    if (schema == null || schema.get$ref() == null) {
      return;
    }
    String ref = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
    Schema<?> named = api.getComponents().getSchemas().get(ref);
    Map<String, Schema> properties = named == null ? null : named.getProperties();
    if (properties == null) {
      problems.add(name + ": schema " + ref + " has no properties");
      return;
    }
    for (String field : fields) {
      if (!properties.containsKey(field)) {
        problems.add(name + ": example field '" + field + "' is not in schema " + ref);
      }
    }
  }
}
