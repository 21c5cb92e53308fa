package dev.llmtestbench.provider.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chat completion to send: null {@code messages}/{@code options}/{@code tools} become empty,
 * and null {@code model}, {@code temperature}, {@code maxTokens} or {@code timeout} mean the
 * provider's default. {@code stream} asks for a streamed answer (so time to first token is
 * measured); the result is still the whole completion. {@code topLogprobs} null means no log
 * probabilities; 0 means those of the chosen tokens only.
 */
public record CompletionRequest(
    String model,
    List<ChatMessage> messages,
    Double temperature,
    Integer maxTokens,
    Map<String, String> options,
    Duration timeout,
    boolean stream,
    List<ToolSpec> tools,
    ResponseFormat responseFormat,
    Integer topLogprobs) {

  public CompletionRequest {
    messages = messages == null ? List.of() : List.copyOf(messages);
    options = copyWithoutNulls(options);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  public CompletionRequest(
      String model,
      List<ChatMessage> messages,
      Double temperature,
      Integer maxTokens,
      Map<String, String> options,
      Duration timeout) {
    this(model, messages, temperature, maxTokens, options, timeout, false, null, null, null);
  }

  /** The same request with another model, timeout, streaming choice or options. */
  public CompletionRequest with(
      String model, Duration timeout, boolean stream, Map<String, String> options) {
    return new CompletionRequest(
        model,
        messages,
        temperature,
        maxTokens,
        options,
        timeout,
        stream,
        tools,
        responseFormat,
        topLogprobs);
  }

  // Options often come from deserialized JSON, where absent knobs may arrive as null values.
  private static Map<String, String> copyWithoutNulls(Map<String, String> options) {
    if (options == null || options.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    options.forEach(
        (key, value) -> {
          if (key != null && value != null) {
            copy.put(key, value);
          }
        });
    return Collections.unmodifiableMap(copy);
  }
}
