package dev.llmtestbench.provider.spi;

import java.util.Objects;

/** One message of a chat prompt, such as {@code ("user", "What is 2 + 2?")}. */
public record ChatMessage(String role, String content) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = content == null ? "" : content;
  }
}
