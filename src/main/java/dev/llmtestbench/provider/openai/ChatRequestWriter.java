package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Writes the JSON body of a chat completion request in a dialect of the OpenAI protocol. Request
 * options it reads: {@code seed} (integer), {@code top_p} (number) and {@code tool_choice} ({@code
 * auto}, {@code none}, {@code required}/{@code any}, or a function name); others are ignored.
 */
final class ChatRequestWriter {

  static final String OPTION_SEED = "seed";
  static final String OPTION_TOP_P = "top_p";
  static final String OPTION_TOOL_CHOICE = "tool_choice";
  private static final String DEFAULT_SCHEMA_NAME = "response";

  private final OpenAiDialect dialect;
  private final String provider;

  ChatRequestWriter(OpenAiDialect dialect, String provider) {
    this.dialect = dialect;
    this.provider = provider;
  }

  /** The body for {@code request} sent to {@code model}; throws ProviderException if unsendable. */
  JsonObject body(CompletionRequest request, String model) {
    JsonObjectBuilder body = Wire.JSON.createObjectBuilder();
    if (dialect.modelInBody()) {
      body.add("model", model);
    }
    body.add("messages", messages(request.messages()));
    if (request.temperature() != null) {
      body.add("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      body.add(dialect.maxTokensField(model), request.maxTokens());
    }
    String topP = request.options().get(OPTION_TOP_P);
    if (topP != null) {
      body.add("top_p", number(OPTION_TOP_P, topP));
    }
    String seed = request.options().get(OPTION_SEED);
    if (seed != null) {
      body.add(dialect.seedField(), integer(OPTION_SEED, seed));
    }
    if (!request.tools().isEmpty()) {
      body.add("tools", tools(request.tools()));
      String choice = request.options().get(OPTION_TOOL_CHOICE);
      if (choice != null && !choice.isBlank()) {
        body.add("tool_choice", toolChoice(choice.strip()));
      }
    }
    if (request.responseFormat() != null) {
      JsonObject format = responseFormat(request.responseFormat());
      if (format != null) {
        body.add("response_format", format);
      }
    }
    if (request.topLogprobs() != null) {
      if (!dialect.logprobs()) {
        throw new ProviderException(
            Kind.UNSUPPORTED, provider + " does not return token log probabilities (logprobs)");
      }
      if (request.topLogprobs() < 0 || request.topLogprobs() > 20) {
        throw new ProviderException(
            Kind.BAD_REQUEST, provider + ": topLogprobs must be between 0 and 20");
      }
      body.add("logprobs", true);
      if (request.topLogprobs() > 0) {
        body.add("top_logprobs", request.topLogprobs());
      }
    }
    body.add("stream", request.stream());
    if (request.stream() && dialect.streamIncludeUsage()) {
      // Without it OpenAI sends no usage at all for streamed answers.
      body.add("stream_options", Wire.JSON.createObjectBuilder().add("include_usage", true));
    }
    return body.build();
  }

  private JsonArrayBuilder messages(List<ChatMessage> messages) {
    JsonArrayBuilder array = Wire.JSON.createArrayBuilder();
    for (ChatMessage message : messages) {
      JsonObjectBuilder item = Wire.JSON.createObjectBuilder().add("role", message.role());
      if (message.parts().isEmpty()) {
        item.add("content", message.content());
      } else {
        if (!"user".equals(message.role())) {
          throw new ProviderException(
              Kind.UNSUPPORTED,
              provider
                  + " takes image and audio parts in user messages only, not in "
                  + message.role()
                  + " messages");
        }
        JsonArrayBuilder content = Wire.JSON.createArrayBuilder();
        if (!message.content().isEmpty()) {
          content.add(
              Wire.JSON.createObjectBuilder().add("type", "text").add("text", message.content()));
        }
        for (ContentPart part : message.parts()) {
          content.add(part(part));
        }
        item.add("content", content);
      }
      array.add(item);
    }
    return array;
  }

  private JsonObject part(ContentPart part) {
    if (ContentPart.IMAGE.equals(part.type())) {
      String url =
          part.url() != null
              ? part.url()
              : "data:"
                  + (part.mediaType() == null ? "image/png" : part.mediaType())
                  + ";base64,"
                  + part.data();
      return dialect.imagePart(url);
    }
    if (ContentPart.AUDIO.equals(part.type())) {
      return dialect.audioPart(part);
    }
    throw new ProviderException(
        Kind.UNSUPPORTED, provider + " does not take content parts of type " + part.type());
  }

  private JsonArrayBuilder tools(List<ToolSpec> tools) {
    JsonArrayBuilder array = Wire.JSON.createArrayBuilder();
    for (ToolSpec tool : tools) {
      JsonObjectBuilder function = Wire.JSON.createObjectBuilder().add("name", tool.name());
      if (tool.description() != null) {
        function.add("description", tool.description());
      }
      function.add(
          "parameters", schema("parameters of tool " + tool.name(), tool.parametersSchema()));
      array.add(Wire.JSON.createObjectBuilder().add("type", "function").add("function", function));
    }
    return array;
  }

  private JsonValue toolChoice(String choice) {
    String mode = choice.toLowerCase(Locale.ROOT);
    if (mode.equals("any")) {
      // Mistral's word for OpenAI's "required": accept both, send the dialect's.
      mode = "required";
    }
    if (mode.equals("auto") || mode.equals("none") || mode.equals("required")) {
      return Json.createValue(dialect.toolChoiceMode(mode));
    }
    return Wire.JSON
        .createObjectBuilder()
        .add("type", "function")
        .add("function", Wire.JSON.createObjectBuilder().add("name", choice))
        .build();
  }

  private JsonObject responseFormat(ResponseFormat format) {
    switch (format.type()) {
      case ResponseFormat.TEXT:
        // The default; leaving it out also suits servers that know no response_format.
        return null;
      case ResponseFormat.JSON_OBJECT:
        return Wire.JSON.createObjectBuilder().add("type", "json_object").build();
      case ResponseFormat.JSON_SCHEMA:
        String name =
            format.name() == null || format.name().isBlank() ? DEFAULT_SCHEMA_NAME : format.name();
        return Wire.JSON
            .createObjectBuilder()
            .add("type", "json_schema")
            .add(
                "json_schema",
                Wire.JSON
                    .createObjectBuilder()
                    .add("name", name)
                    .add("schema", schema("the response schema", format.schema()))
                    .add("strict", true))
            .build();
      default:
        throw new ProviderException(
            Kind.UNSUPPORTED,
            provider
                + " has no response format "
                + format.type()
                + " (text, json_object, json_schema)");
    }
  }

  private JsonObject schema(String what, String text) {
    try {
      if (Wire.readValue(text) instanceof JsonObject object) {
        return object;
      }
    } catch (JsonException | IllegalStateException e) {
      // Reported below with the same message as a schema that is not an object.
    }
    throw new ProviderException(
        Kind.BAD_REQUEST, provider + ": " + what + " must be a JSON object (a JSON Schema)");
  }

  private double number(String option, String value) {
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new ProviderException(
          Kind.BAD_REQUEST, provider + ": option " + option + " must be a number, was " + value);
    }
  }

  private long integer(String option, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new ProviderException(
          Kind.BAD_REQUEST, provider + ": option " + option + " must be an integer, was " + value);
    }
  }
}
