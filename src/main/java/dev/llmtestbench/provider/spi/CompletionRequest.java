package dev.llmtestbench.provider.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chat completion to send: null {@code messages}/{@code options} become empty, and null {@code
 * model}, {@code temperature}, {@code maxTokens} or {@code timeout} mean the provider's default.
 */
public record CompletionRequest(
    String model,
    List<ChatMessage> messages,
    Double temperature,
    Integer maxTokens,
    Map<String, String> options,
    Duration timeout) {

  public CompletionRequest {
    messages = messages == null ? List.of() : List.copyOf(messages);
    options = copyWithoutNulls(options);
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
