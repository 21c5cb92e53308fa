package dev.llmtestbench.provider.anthropic;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the JSON body of {@code POST /v1/messages} from a {@link CompletionRequest}: system
 * messages become the top-level {@code system} prompt, consecutive turns of one role become one
 * message with a content array, and images become {@code image} blocks.
 */
final class MessagesBody {

  // Cached because Json.createXxx looks the JSON-P provider up on every call.
  static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  static final JsonReaderFactory READER = Json.createReaderFactory(Map.of());

  /** The image types the Messages API accepts (see the vision guide). */
  static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private final String providerName;

  MessagesBody(String providerName) {
    this.providerName = providerName;
  }

  /**
   * The request body; throws {@link ProviderException} ({@code BAD_REQUEST} or {@code UNSUPPORTED})
   * naming what cannot be sent.
   */
  String build(CompletionRequest request, String model, int maxTokens) {
    if (request.topLogprobs() != null) {
      throw unsupported("the Messages API returns no log probabilities (topLogprobs)");
    }
    JsonObjectBuilder body =
        JSON.createObjectBuilder().add("model", model).add("max_tokens", maxTokens);
    String system = system(request.messages());
    if (!system.isEmpty()) {
      body.add("system", system);
    }
    body.add("messages", messages(request.messages()));
    if (request.temperature() != null) {
      body.add("temperature", request.temperature());
    }
    addSamplingOptions(body, request.options());
    if (!request.tools().isEmpty()) {
      body.add("tools", tools(request.tools()));
    }
    JsonObject outputConfig = outputConfig(request.responseFormat());
    if (outputConfig != null) {
      body.add("output_config", outputConfig);
    }
    if (request.stream()) {
      body.add("stream", true);
    }
    return body.build().toString();
  }

  // The API has no system role inside messages, only one top-level system prompt.
  private String system(List<ChatMessage> messages) {
    List<String> parts = new ArrayList<>();
    for (ChatMessage message : messages) {
      if ("system".equals(role(message))) {
        if (!message.parts().isEmpty()) {
          throw unsupported("a system message cannot carry images or audio");
        }
        if (!message.content().isBlank()) {
          parts.add(message.content());
        }
      }
    }
    return String.join("\n\n", parts);
  }

  private JsonArray messages(List<ChatMessage> messages) {
    JsonArrayBuilder result = JSON.createArrayBuilder();
    String turnRole = null;
    List<JsonObject> turn = new ArrayList<>();
    int index = 0;
    for (ChatMessage message : messages) {
      String role = role(message);
      if ("system".equals(role)) {
        index++;
        continue;
      }
      if (!"user".equals(role) && !"assistant".equals(role)) {
        throw badRequest(
            "message "
                + index
                + " has role '"
                + message.role()
                + "'; the Messages API takes system, user and assistant");
      }
      List<JsonObject> blocks = blocks(message, index);
      if (blocks.isEmpty()) {
        throw badRequest("message " + index + " (" + role + ") has no content");
      }
      // The API would merge consecutive same-role turns itself; sending them merged keeps the
      // request exactly what the model sees.
      if (!role.equals(turnRole) && turnRole != null) {
        result.add(message(turnRole, turn));
        turn = new ArrayList<>();
      }
      turnRole = role;
      turn.addAll(blocks);
      index++;
    }
    if (turnRole == null) {
      throw badRequest("the request has no user or assistant message");
    }
    result.add(message(turnRole, turn));
    return result.build();
  }

  private static JsonObject message(String role, List<JsonObject> blocks) {
    JsonObjectBuilder message = JSON.createObjectBuilder().add("role", role);
    if (blocks.size() == 1 && "text".equals(blocks.get(0).getString("type"))) {
      // The plain-string form is what the API reference shows for a single text turn.
      message.add("content", blocks.get(0).getString("text"));
    } else {
      JsonArrayBuilder content = JSON.createArrayBuilder();
      blocks.forEach(content::add);
      message.add("content", content);
    }
    return message.build();
  }

  private List<JsonObject> blocks(ChatMessage message, int index) {
    List<JsonObject> blocks = new ArrayList<>();
    // Images first: the vision guide recommends placing images before the text about them.
    for (ContentPart part : message.parts()) {
      blocks.add(image(part, index));
    }
    // The API rejects empty text blocks, so an image-only message sends no text block.
    if (!message.content().isEmpty()) {
      blocks.add(
          JSON.createObjectBuilder().add("type", "text").add("text", message.content()).build());
    }
    return blocks;
  }

  private JsonObject image(ContentPart part, int index) {
    if (!ContentPart.IMAGE.equals(part.type())) {
      throw unsupported(
          "message " + index + " has a part of type " + part.type() + "; Claude takes images only");
    }
    String mediaType = part.mediaType();
    String data = part.data();
    if (data == null && part.url().regionMatches(true, 0, "data:", 0, 5)) {
      // A data: URL is inline data, which the API takes as a base64 source, never as a URL.
      int comma = part.url().indexOf(',');
      String meta = comma < 0 ? "" : part.url().substring(5, comma);
      if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
        throw badRequest("message " + index + " has a data: URL that is not base64");
      }
      mediaType = meta.substring(0, meta.length() - ";base64".length());
      data = part.url().substring(comma + 1);
    }
    JsonObjectBuilder source = JSON.createObjectBuilder();
    if (data != null) {
      String type = mediaType == null ? null : mediaType.toLowerCase(Locale.ROOT);
      if (type == null || !IMAGE_TYPES.contains(type)) {
        throw unsupported(
            "message "
                + index
                + " has an image of type "
                + mediaType
                + "; Claude takes image/jpeg, image/png, image/gif and image/webp");
      }
      source.add("type", "base64").add("media_type", type).add("data", data);
    } else {
      source.add("type", "url").add("url", part.url());
    }
    return JSON.createObjectBuilder().add("type", "image").add("source", source).build();
  }

  private JsonArray tools(List<ToolSpec> tools) {
    JsonArrayBuilder result = JSON.createArrayBuilder();
    for (ToolSpec tool : tools) {
      JsonObjectBuilder spec = JSON.createObjectBuilder().add("name", tool.name());
      if (tool.description() != null && !tool.description().isBlank()) {
        spec.add("description", tool.description());
      }
      spec.add("input_schema", schema(tool.parametersSchema(), "tool " + tool.name()));
      result.add(spec);
    }
    return result.build();
  }

  /**
   * JSON outputs ({@code output_config.format}, generally available since the Claude 4.5 models)
   * constrain the answer to a schema; there is no mode for "any JSON object" without one.
   */
  private JsonObject outputConfig(ResponseFormat format) {
    if (format == null || ResponseFormat.TEXT.equals(format.type())) {
      return null;
    }
    if (ResponseFormat.JSON_SCHEMA.equals(format.type())) {
      JsonObject jsonFormat =
          JSON.createObjectBuilder()
              .add("type", "json_schema")
              .add("schema", schema(format.schema(), "the response format"))
              .build();
      return JSON.createObjectBuilder().add("format", jsonFormat).build();
    }
    if (ResponseFormat.JSON_OBJECT.equals(format.type())) {
      throw unsupported(
          "the Messages API has no JSON mode without a schema (json_object); use json_schema");
    }
    throw unsupported("response format '" + format.type() + "' is not offered");
  }

  private void addSamplingOptions(JsonObjectBuilder body, Map<String, String> options) {
    // Only the Messages API's own sampling knobs; other options belong to other adapters.
    String topP = options.get("top_p");
    if (topP != null) {
      try {
        body.add("top_p", Double.parseDouble(topP.strip()));
      } catch (NumberFormatException e) {
        throw badRequest("option top_p must be a number, was '" + topP + "'");
      }
    }
    String topK = options.get("top_k");
    if (topK != null) {
      try {
        body.add("top_k", Integer.parseInt(topK.strip()));
      } catch (NumberFormatException e) {
        throw badRequest("option top_k must be an integer, was '" + topK + "'");
      }
    }
  }

  private JsonObject schema(String text, String what) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      JsonValue value = reader.readValue();
      if (value instanceof JsonObject object) {
        return object;
      }
    } catch (RuntimeException e) {
      // Reported below with what the schema belongs to.
    }
    throw badRequest("the JSON Schema of " + what + " is not a JSON object");
  }

  private static String role(ChatMessage message) {
    return message.role().strip().toLowerCase(Locale.ROOT);
  }

  private ProviderException badRequest(String what) {
    return new ProviderException(Kind.BAD_REQUEST, providerName + ": " + what);
  }

  private ProviderException unsupported(String what) {
    return new ProviderException(Kind.UNSUPPORTED, providerName + ": " + what);
  }
}
