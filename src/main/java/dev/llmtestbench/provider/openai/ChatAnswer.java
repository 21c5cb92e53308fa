package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.TokenLogprob;
import dev.llmtestbench.provider.spi.ToolCall;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat answer read from one response body or assembled from streamed chunks: text, tool calls,
 * log probabilities, usage. Shape problems throw IllegalStateException (an invalid response).
 */
final class ChatAnswer {

  /** The finish reason of an answer withheld by a content filter (OpenAI, Azure). */
  static final String CONTENT_FILTER = "content_filter";

  private final StringBuilder text = new StringBuilder();
  private StringBuilder refusal;
  private final List<ToolCallParts> calls = new ArrayList<>();
  private final Map<Integer, ToolCallParts> callsByIndex = new HashMap<>();
  private final List<TokenLogprob> logprobs = new ArrayList<>();
  private String finishReason;
  private String model;
  private String id;
  private JsonObject usage;

  /** A whole (non-streamed) answer: {@code choices[0].message} and {@code usage}. */
  static ChatAnswer of(JsonObject root) {
    ChatAnswer answer = new ChatAnswer();
    JsonObject choice = Wire.firstChoice(root);
    if (choice == null) {
      throw new IllegalStateException("no choices");
    }
    JsonObject message = Wire.object(choice, "message");
    if (message == null) {
      throw new IllegalStateException("no choices[0].message");
    }
    answer.appendContent(message.get("content"), "choices[0].message.content");
    answer.appendRefusal(message.get("refusal"));
    JsonArray toolCalls = Wire.array(message, "tool_calls");
    if (toolCalls != null) {
      for (int i = 0; i < toolCalls.size(); i++) {
        if (toolCalls.get(i) instanceof JsonObject call) {
          answer.addToolCall(call, i);
        }
      }
    }
    answer.addLogprobs(choice);
    answer.finishReason = Wire.string(choice, "finish_reason");
    answer.model = Wire.string(root, "model");
    answer.id = Wire.string(root, "id");
    answer.usage = Wire.object(root, "usage");
    return answer;
  }

  /** An answer withheld before generation, e.g. Azure's 400 {@code content_filter} on a prompt. */
  static ChatAnswer blockedPrompt() {
    ChatAnswer answer = new ChatAnswer();
    answer.finishReason = CONTENT_FILTER;
    return answer;
  }

  /**
   * Adds one streamed chunk ({@code choices[0].delta}, finish reason, usage); returns whether it
   * carried generated output (text or a tool call), which is what time to first token waits for.
   */
  boolean addChunk(JsonObject chunk) {
    // Azure's first chunk (prompt filter results) carries an empty id and model.
    if (id == null || id.isEmpty()) {
      id = Wire.string(chunk, "id");
    }
    if (model == null || model.isEmpty()) {
      model = Wire.string(chunk, "model");
    }
    JsonObject chunkUsage = Wire.object(chunk, "usage");
    if (chunkUsage != null) {
      usage = chunkUsage;
    }
    // Usage-only chunks (OpenAI's last) and Azure's prompt-filter chunks have no choices.
    JsonObject choice = Wire.firstChoice(chunk);
    if (choice == null) {
      return false;
    }
    String reason = Wire.string(choice, "finish_reason");
    if (reason != null) {
      finishReason = reason;
    }
    addLogprobs(choice);
    JsonObject delta = Wire.object(choice, "delta");
    if (delta == null) {
      return false;
    }
    int before = text.length();
    appendContent(delta.get("content"), "choices[0].delta.content");
    appendRefusal(delta.get("refusal"));
    boolean generated = text.length() > before;
    JsonArray toolCalls = Wire.array(delta, "tool_calls");
    if (toolCalls != null) {
      for (JsonValue value : toolCalls) {
        if (value instanceof JsonObject call) {
          addToolCall(call, null);
          generated = true;
        }
      }
    }
    return generated;
  }

  /** The completion with the measured times; tokens are null where the service sent no usage. */
  Completion toCompletion(long latencyNanos, Long timeToFirstTokenNanos) {
    String answerText = text.toString();
    if (answerText.isEmpty() && refusal != null) {
      // Structured-output refusals arrive in "refusal" beside an empty content.
      answerText = refusal.toString();
    }
    List<ToolCall> toolCalls = new ArrayList<>(calls.size());
    for (ToolCallParts call : calls) {
      toolCalls.add(new ToolCall(call.id, call.name, call.arguments.toString()));
    }
    JsonObject details = Wire.object(usage, "prompt_tokens_details");
    return new Completion(
        answerText,
        finishReason,
        Wire.integer(usage, "prompt_tokens"),
        Wire.integer(usage, "completion_tokens"),
        Wire.integer(usage, "total_tokens"),
        latencyNanos,
        model,
        id,
        timeToFirstTokenNanos,
        toolCalls,
        logprobs,
        false,
        Wire.integer(details, "cached_tokens"),
        CONTENT_FILTER.equals(finishReason));
  }

  // Content is a string, null, or (Mistral) a list of chunks of which the text ones count.
  private void appendContent(JsonValue content, String where) {
    if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
      return;
    }
    if (content instanceof JsonString string) {
      text.append(string.getString());
    } else if (content instanceof JsonArray parts) {
      for (JsonValue part : parts) {
        if (part instanceof JsonObject object
            && "text".equals(Wire.string(object, "type"))
            && Wire.string(object, "text") != null) {
          text.append(Wire.string(object, "text"));
        }
      }
    } else {
      throw new IllegalStateException(where + " is neither text nor a list of parts");
    }
  }

  private void appendRefusal(JsonValue value) {
    if (value instanceof JsonString string) {
      if (refusal == null) {
        refusal = new StringBuilder();
      }
      refusal.append(string.getString());
    }
  }

  private void addLogprobs(JsonObject choice) {
    JsonArray content = Wire.array(Wire.object(choice, "logprobs"), "content");
    if (content == null) {
      return;
    }
    for (JsonValue value : content) {
      if (value instanceof JsonObject entry
          && Wire.string(entry, "token") != null
          && entry.get("logprob") instanceof JsonNumber logprob) {
        logprobs.add(new TokenLogprob(Wire.string(entry, "token"), logprob.doubleValue()));
      }
    }
  }

  // Streamed calls arrive in pieces keyed by index: the first piece has id and name, later ones
  // append to the arguments. A new id at a known index starts a new call, since some servers
  // number every call 0.
  private void addToolCall(JsonObject call, Integer position) {
    Integer index = Wire.integer(call, "index");
    if (index == null) {
      index = position != null ? position : calls.size();
    }
    String callId = Wire.string(call, "id");
    JsonObject function = Wire.object(call, "function");
    ToolCallParts parts = callsByIndex.get(index);
    if (parts == null || (callId != null && parts.id != null && !callId.equals(parts.id))) {
      parts = new ToolCallParts();
      callsByIndex.put(index, parts);
      calls.add(parts);
    }
    if (callId != null) {
      parts.id = callId;
    }
    String name = Wire.string(function, "name");
    if (name != null && !name.isEmpty()) {
      parts.name = name;
    }
    JsonValue arguments = function == null ? null : function.get("arguments");
    if (arguments instanceof JsonString piece) {
      parts.arguments.append(piece.getString());
    } else if (arguments instanceof JsonObject object) {
      // Mistral may send arguments as an object rather than JSON text.
      parts.arguments.setLength(0);
      parts.arguments.append(object);
    }
  }

  /** A tool call being assembled. */
  private static final class ToolCallParts {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }
}
