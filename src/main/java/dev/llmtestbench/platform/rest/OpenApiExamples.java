package dev.llmtestbench.platform.rest;

import dev.llmtestbench.platform.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Puts an example request and response into every operation of the OpenAPI document that has one in
 * {@code META-INF/openapi-examples.json}: real requests and the server's real answers, keyed by
 * operationId, captured from a running server by {@code scripts/openapi_examples.py}. The request
 * example goes to the body's JSON media type; the response example to the JSON media type of the
 * operation's first 2xx response. Examples an operation documents itself are kept.
 *
 * <p>Other bodies (CSV, JSON Lines, XML, HTML, JWK sets, problem details) that have no example get
 * one built from their schema: each property's example, default or first enum value, else a value
 * of its type and format. JSON bodies never do: a missing captured example fails {@code OpenApiIT}
 * rather than being papered over. A problem+json response documented without its schema gets the
 * {@code Problem} schema.
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

  /** Schema-built examples for the bodies other than application/json that have none. */
  static void addBuilt(OpenAPI openAPI) {
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    Map<String, Schema> components =
        openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null
            ? Map.of()
            : openAPI.getComponents().getSchemas();
    openAPI
        .getPaths()
        .getPathItems()
        .values()
        .forEach(
            item ->
                item.getOperations()
                    .values()
                    .forEach(
                        op -> {
                          if (op.getRequestBody() != null) {
                            addBuilt(op.getRequestBody().getContent(), components);
                          }
                          if (op.getResponses() != null
                              && op.getResponses().getAPIResponses() != null) {
                            op.getResponses()
                                .getAPIResponses()
                                .values()
                                .forEach(r -> addBuilt(r.getContent(), components));
                          }
                        }));
  }

  private static void addBuilt(Content content, Map<String, Schema> components) {
    if (content == null || content.getMediaTypes() == null) {
      return;
    }
    for (Map.Entry<String, MediaType> e : content.getMediaTypes().entrySet()) {
      MediaType m = e.getValue();
      if (m.getSchema() == null && e.getKey().endsWith("problem+json")) {
        m.setSchema(OASFactory.createSchema().ref("#/components/schemas/Problem"));
      }
      boolean has =
          m.getExample() != null || (m.getExamples() != null && !m.getExamples().isEmpty());
      if (has || e.getKey().equals(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)) {
        continue;
      }
      Object example = m.getSchema() == null ? null : example(m.getSchema(), components, 0);
      if (example != null) {
        m.setExample(example);
      }
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

  private static final int MAX_DEPTH = 6;

  /** An example value for {@code s}; null when none can be made (e.g. a binary body). */
  static Object example(Schema s, Map<String, Schema> components, int depth) {
    if (s == null || depth > MAX_DEPTH) {
      return null;
    }
    if (s.getRef() != null) {
      String name = s.getRef().substring(s.getRef().lastIndexOf('/') + 1);
      return example(components.get(name), components, depth + 1);
    }
    if (s.getExample() != null) {
      return s.getExample();
    }
    if (s.getExamples() != null && !s.getExamples().isEmpty()) {
      return s.getExamples().get(0);
    }
    if (s.getDefaultValue() != null) {
      return s.getDefaultValue();
    }
    if (s.getEnumeration() != null && !s.getEnumeration().isEmpty()) {
      return s.getEnumeration().get(0);
    }
    for (List<Schema> choice : new List[] {s.getAllOf(), s.getOneOf(), s.getAnyOf()}) {
      if (choice != null) {
        for (Schema c : choice) {
          Object v = example(c, components, depth + 1);
          if (v != null) {
            return v;
          }
        }
      }
    }
    List<Schema.SchemaType> types = s.getType() == null ? List.of() : s.getType();
    Schema.SchemaType type =
        types.stream().filter(t -> t != Schema.SchemaType.NULL).findFirst().orElse(null);
    if (type == null && s.getProperties() != null) {
      type = Schema.SchemaType.OBJECT;
    }
    if (type == null) {
      return null;
    }
    switch (type) {
      case OBJECT:
        Map<String, Object> o = new LinkedHashMap<>();
        if (s.getProperties() != null) {
          s.getProperties()
              .forEach(
                  (name, p) -> {
                    Object v = example(p, components, depth + 1);
                    if (v != null) {
                      o.put(name, v);
                    }
                  });
        } else if (s.getAdditionalPropertiesSchema() != null) {
          Object v = example(s.getAdditionalPropertiesSchema(), components, depth + 1);
          if (v != null) {
            o.put("key", v);
          }
        }
        return o;
      case ARRAY:
        List<Object> a = new ArrayList<>();
        Object item = example(s.getItems(), components, depth + 1);
        if (item != null) {
          a.add(item);
        }
        return a;
      case INTEGER:
        return s.getMinimum() != null ? s.getMinimum().max(BigDecimal.ONE).toBigInteger() : 1;
      case NUMBER:
        return s.getMinimum() != null ? s.getMinimum().max(new BigDecimal("0.5")) : 0.5;
      case BOOLEAN:
        return true;
      case STRING:
        return string(s.getFormat());
      default:
        return null;
    }
  }

  private static Object string(String format) {
    if (format == null) {
      return "string";
    }
    return switch (format) {
      case "uuid" -> "3f2b8a64-9d1e-4c57-b1a2-6c0d5e8f7a91";
      case "date-time" -> "2026-11-23T05:00:00Z";
      case "date" -> "2026-11-23";
      case "uri", "url" -> "https://example.com/";
      case "email" -> "user@example.com";
      case "binary", "byte" -> null;
      default -> "string";
    };
  }
}
