package dev.llmtestbench.platform.rest;

import java.math.BigDecimal;
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

/**
 * Gives every request and response body of the OpenAPI document an example: a body that documents
 * its own ({@code @ExampleObject} or a schema example) keeps it; any other gets one built from its
 * JSON schema (each property with its example, default or first enum value, else a value of its
 * type and format). Called by {@link OpenApiProblems}, the registered filter.
 */
final class OpenApiExamples {

  private static final int MAX_DEPTH = 6;

  private OpenApiExamples() {}

  static void addExamples(OpenAPI openAPI) {
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
        .forEach(item -> item.getOperations().values().forEach(op -> addTo(op, components)));
  }

  private static void addTo(Operation op, Map<String, Schema> components) {
    if (op.getRequestBody() != null) {
      addTo(op.getRequestBody().getContent(), components);
    }
    if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
      op.getResponses().getAPIResponses().values().forEach(r -> addTo(r.getContent(), components));
    }
  }

  private static void addTo(Content content, Map<String, Schema> components) {
    if (content == null || content.getMediaTypes() == null) {
      return;
    }
    for (Map.Entry<String, MediaType> e : content.getMediaTypes().entrySet()) {
      MediaType m = e.getValue();
      if (m.getSchema() == null && e.getKey().endsWith("problem+json")) {
        // A problem response documented without its schema: it is the Problem.
        m.setSchema(OASFactory.createSchema().ref("#/components/schemas/Problem"));
      }
      if (m.getExample() != null || (m.getExamples() != null && !m.getExamples().isEmpty())) {
        continue;
      }
      Object example = m.getSchema() == null ? null : example(m.getSchema(), components, 0);
      if (example != null) {
        m.setExample(example);
      }
    }
  }

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
