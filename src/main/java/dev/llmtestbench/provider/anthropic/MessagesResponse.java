package dev.llmtestbench.provider.anthropic;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ToolCall;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what {@code /v1/messages} and {@code /v1/models} answer: a Message object, an error body
 * {@code {"type":"error","error":{"type","message"}}}, or a page of models.
 */
final class MessagesResponse {

  /** The {@code stop_reason} of an answer withheld by Claude's safety behaviour. */
  static final String REFUSAL = "refusal";

  private MessagesResponse() {}

  /** The completion in a non-streamed Message; throws a RuntimeException when it has none. */
  static Completion parseMessage(String body, long latency) {
    JsonObject root = readObject(body);
    if (!(root.get("content") instanceof JsonArray content)) {
      throw new IllegalStateException("no content array");
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonValue value : content) {
      if (!(value instanceof JsonObject block)) {
        throw new IllegalStateException("a content block is not an object");
      }
      String type = string(block, "type");
      if ("text".equals(type)) {
        text.append(block.getString("text"));
      } else if ("tool_use".equals(type)) {
        JsonValue input = block.get("input");
        toolCalls.add(
            new ToolCall(
                block.getString("id"),
                block.getString("name"),
                input == null ? "{}" : input.toString()));
      }
      // Thinking and server-tool blocks are not part of the answer text.
    }
    Usage usage = Usage.of(root.get("usage"));
    String stopReason = string(root, "stop_reason");
    return usage.completion(
        text.toString(),
        stopReason,
        latency,
        string(root, "model"),
        string(root, "id"),
        null,
        toolCalls);
  }

  /** The error {@code type: message} of an error body, or null when the body is not one. */
  static String errorDetail(String body) {
    try {
      JsonObject root = readObject(body);
      if (root.get("error") instanceof JsonObject error) {
        String type = string(error, "type");
        String message = string(error, "message");
        if (type != null || message != null) {
          return type == null ? message : message == null ? type : type + ": " + message;
        }
      }
    } catch (RuntimeException notJson) {
      // Gateways and proxies answer errors in plain text or HTML.
    }
    return null;
  }

  /** The {@code error.type} of an error body, or null. */
  static String errorType(String body) {
    try {
      return readObject(body).get("error") instanceof JsonObject error
          ? string(error, "type")
          : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** The failure kind an error type from the errors reference stands for, or null if unknown. */
  static Kind kindOfErrorType(String type) {
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "authentication_error", "permission_error" -> Kind.UNAUTHORIZED;
      case "rate_limit_error" -> Kind.RATE_LIMITED;
      case "timeout_error" -> Kind.TIMEOUT;
      case "overloaded_error", "api_error" -> Kind.SERVER_ERROR;
      case "invalid_request_error",
          "not_found_error",
          "request_too_large",
          "billing_error",
          "conflict_error" ->
          Kind.BAD_REQUEST;
      default -> null;
    };
  }

  /** One page of {@code GET /v1/models}: its models and the cursor of the next page, if any. */
  record ModelPage(List<ModelInfo> models, String nextAfterId) {}

  static ModelPage parseModels(String body) {
    JsonObject root = readObject(body);
    if (!(root.get("data") instanceof JsonArray data)) {
      throw new IllegalStateException("no data array");
    }
    List<ModelInfo> models = new ArrayList<>();
    for (JsonValue value : data) {
      if (value instanceof JsonObject model && string(model, "id") != null) {
        models.add(
            new ModelInfo(
                string(model, "id"),
                string(model, "display_name"),
                integer(model, "max_input_tokens")));
      }
    }
    boolean more = root.get("has_more") == JsonValue.TRUE;
    String lastId = string(root, "last_id");
    return new ModelPage(models, more && lastId != null ? lastId : null);
  }

  /**
   * Token usage as the API reports it. Anthropic counts cache reads and cache writes apart from
   * {@code input_tokens}; the prompt total is their sum, so {@code cachedPromptTokens} is a part of
   * {@code promptTokens} as with other providers.
   */
  record Usage(Integer input, Integer cacheCreation, Integer cacheRead, Integer output) {

    static final Usage NONE = new Usage(null, null, null, null);

    static Usage of(JsonValue value) {
      if (!(value instanceof JsonObject usage)) {
        return NONE;
      }
      return new Usage(
          integer(usage, "input_tokens"),
          integer(usage, "cache_creation_input_tokens"),
          integer(usage, "cache_read_input_tokens"),
          integer(usage, "output_tokens"));
    }

    /** These counts, overridden by those {@code newer} reports (stream usage is cumulative). */
    Usage updatedBy(Usage newer) {
      return new Usage(
          newer.input != null ? newer.input : input,
          newer.cacheCreation != null ? newer.cacheCreation : cacheCreation,
          newer.cacheRead != null ? newer.cacheRead : cacheRead,
          newer.output != null ? newer.output : output);
    }

    Integer prompt() {
      if (input == null) {
        return null;
      }
      return input
          + (cacheCreation == null ? 0 : cacheCreation)
          + (cacheRead == null ? 0 : cacheRead);
    }

    Completion completion(
        String text,
        String stopReason,
        long latency,
        String model,
        String id,
        Long timeToFirstToken,
        List<ToolCall> toolCalls) {
      Integer prompt = prompt();
      Integer total = prompt == null || output == null ? null : prompt + output;
      return new Completion(
          text,
          stopReason,
          prompt,
          output,
          total,
          latency,
          model,
          id,
          timeToFirstToken,
          toolCalls,
          List.of(),
          false,
          cacheRead,
          REFUSAL.equals(stopReason));
    }
  }

  static JsonObject readObject(String body) {
    try (JsonReader reader = MessagesBody.READER.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  static String string(JsonObject object, String key) {
    return object.get(key) instanceof JsonString s ? s.getString() : null;
  }

  static Integer integer(JsonObject object, String key) {
    return object.get(key) instanceof JsonNumber n ? n.intValue() : null;
  }
}
