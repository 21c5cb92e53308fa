package dev.llmtestbench.provider.cohere;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;

/**
 * Request bodies of Cohere's API v2, as its reference defines them
 * (https://docs.cohere.com/reference/chat, /reference/embed, /reference/rerank).
 */
final class CohereRequests {

  private CohereRequests() {}

  /** The body of {@code POST /v2/chat}; fails with UNSUPPORTED for what the API cannot take. */
  static String chat(CompletionRequest request, String model, boolean vision, String provider) {
    JsonArrayBuilder messages = CohereJson.JSON.createArrayBuilder();
    for (ChatMessage message : request.messages()) {
      messages.add(message(message, model, vision, provider));
    }
    JsonObjectBuilder body =
        CohereJson.JSON.createObjectBuilder().add("model", model).add("messages", messages);
    if (request.temperature() != null) {
      body.add("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      body.add("max_tokens", request.maxTokens());
    }
    if (!request.tools().isEmpty()) {
      JsonArrayBuilder tools = CohereJson.JSON.createArrayBuilder();
      for (ToolSpec tool : request.tools()) {
        tools.add(tool(tool, provider));
      }
      body.add("tools", tools);
    }
    if (request.responseFormat() != null) {
      JsonObject format = responseFormat(request.responseFormat(), provider);
      if (format != null) {
        body.add("response_format", format);
      }
    }
    if (request.topLogprobs() != null) {
      if (request.topLogprobs() > 0) {
        throw new ProviderException(
            Kind.UNSUPPORTED,
            provider
                + ": Cohere returns the log probabilities of the generated tokens only, not the"
                + " top "
                + request.topLogprobs()
                + " alternatives (use topLogprobs 0)");
      }
      body.add("logprobs", true);
    }
    return body.add("stream", request.stream()).build().toString();
  }

  /** The body of {@code POST /v2/embed} for texts, asking for float vectors. */
  static String embed(List<String> texts, String model, String inputType) {
    JsonArrayBuilder array = CohereJson.JSON.createArrayBuilder();
    texts.forEach(array::add);
    return CohereJson.JSON
        .createObjectBuilder()
        .add("model", model)
        .add("texts", array)
        .add("input_type", inputType)
        .add("embedding_types", CohereJson.JSON.createArrayBuilder().add("float"))
        .build()
        .toString();
  }

  /** The body of {@code POST /v2/rerank}; a null {@code topN} returns every document. */
  static String rerank(String model, String query, List<String> documents, Integer topN) {
    JsonArrayBuilder array = CohereJson.JSON.createArrayBuilder();
    documents.forEach(array::add);
    JsonObjectBuilder body =
        CohereJson.JSON
            .createObjectBuilder()
            .add("model", model)
            .add("query", query)
            .add("documents", array);
    if (topN != null) {
      body.add("top_n", topN);
    }
    return body.build().toString();
  }

  private static JsonObject message(
      ChatMessage message, String model, boolean vision, String provider) {
    String role = role(message.role(), provider);
    JsonObjectBuilder out = CohereJson.JSON.createObjectBuilder().add("role", role);
    if (message.parts().isEmpty()) {
      return out.add("content", message.content()).build();
    }
    // Only user messages take content other than text (UserMessageV2 content: text | image_url).
    if (!"user".equals(role)) {
      throw new ProviderException(
          Kind.UNSUPPORTED,
          provider + ": Cohere takes images in user messages only, not in " + role + " messages");
    }
    JsonArrayBuilder content = CohereJson.JSON.createArrayBuilder();
    if (!message.content().isEmpty()) {
      content.add(
          CohereJson.JSON.createObjectBuilder().add("type", "text").add("text", message.content()));
    }
    for (ContentPart part : message.parts()) {
      if (!ContentPart.IMAGE.equals(part.type())) {
        throw new ProviderException(
            Kind.UNSUPPORTED,
            provider
                + ": Cohere's chat API takes no "
                + part.type()
                + " input, only text and images");
      }
      if (!vision) {
        throw new ProviderException(
            Kind.UNSUPPORTED,
            provider
                + ": model "
                + model
                + " takes no image input; use a vision model such as command-a-vision-07-2025"
                + " (or list it in the vision-models setting)");
      }
      String url =
          part.url() != null
              ? part.url()
              : "data:"
                  + (part.mediaType() == null ? "image/png" : part.mediaType())
                  + ";base64,"
                  + part.data();
      content.add(
          CohereJson.JSON
              .createObjectBuilder()
              .add("type", "image_url")
              .add("image_url", CohereJson.JSON.createObjectBuilder().add("url", url)));
    }
    return out.add("content", content).build();
  }

  private static String role(String role, String provider) {
    String lower = role.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "system":
      case "developer":
        return "system";
      case "user":
      case "assistant":
        return lower;
      case "tool":
        // A Cohere tool message needs the tool_call_id it answers, which ChatMessage cannot carry.
        throw new ProviderException(
            Kind.UNSUPPORTED,
            provider
                + ": tool result messages need a tool_call_id, which this adapter cannot send");
      default:
        throw new ProviderException(
            Kind.BAD_REQUEST,
            provider + ": unknown message role '" + role + "' (use system, user or assistant)");
    }
  }

  private static JsonObject tool(ToolSpec tool, String provider) {
    JsonObjectBuilder function = CohereJson.JSON.createObjectBuilder().add("name", tool.name());
    if (tool.description() != null) {
      function.add("description", tool.description());
    }
    function.add(
        "parameters",
        schema(tool.parametersSchema(), "parameters of tool " + tool.name(), provider));
    return CohereJson.JSON
        .createObjectBuilder()
        .add("type", "function")
        .add("function", function)
        .build();
  }

  private static JsonObject responseFormat(ResponseFormat format, String provider) {
    switch (format.type()) {
      case ResponseFormat.TEXT:
        return null;
      case ResponseFormat.JSON_OBJECT:
        return CohereJson.JSON.createObjectBuilder().add("type", "json_object").build();
      case ResponseFormat.JSON_SCHEMA:
        // Cohere's JSON mode takes the schema itself; it has no field for the schema's name.
        return CohereJson.JSON
            .createObjectBuilder()
            .add("type", "json_object")
            .add("json_schema", schema(format.schema(), "response format schema", provider))
            .build();
      default:
        throw new ProviderException(
            Kind.UNSUPPORTED,
            provider
                + ": Cohere offers the response formats text, json_object and json_schema, not "
                + format.type());
    }
  }

  private static JsonObject schema(String text, String what, String provider) {
    try (JsonReader reader = CohereJson.READER.createReader(new StringReader(text))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new ProviderException(
          Kind.BAD_REQUEST, provider + ": the " + what + " is not a JSON object");
    }
  }
}
