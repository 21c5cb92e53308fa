package dev.llmtestbench.provider.spi;

import java.util.List;
import java.util.Objects;

/**
 * One message of a chat prompt, such as {@code ("user", "What is 2 + 2?")}, optionally with image
 * or audio {@code parts} after its text.
 */
public record ChatMessage(String role, String content, List<ContentPart> parts) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = content == null ? "" : content;
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  public ChatMessage(String role, String content) {
    this(role, content, List.of());
  }
}
