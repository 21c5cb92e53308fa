package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.ProviderException.Kind;
import jakarta.json.JsonObject;
import java.util.concurrent.Flow;

/**
 * Reads a chat completion streamed as server-sent events ({@code data: {chunk}} lines, a blank line
 * after each event, {@code data: [DONE]} at the end) line by line as it arrives, assembling the
 * answer and noting when the first generated token came. In raw mode (error answers, or a server
 * that answered JSON despite {@code stream: true}) it keeps the body as text instead.
 *
 * <p>After a malformed or error event it drains the rest without parsing: cancelling the
 * subscription would leave the HTTP client's body future incomplete until the deadline.
 */
final class ChatStream implements Flow.Subscriber<String> {

  private static final String DONE = "[DONE]";

  private final boolean raw;
  private final StringBuilder body = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private final ChatAnswer answer = new ChatAnswer();
  private boolean hasData;
  private boolean done;
  private int events;
  private Long firstTokenAt;
  private Kind problemKind;
  private String problem;
  private RuntimeException problemCause;

  ChatStream(boolean raw) {
    this.raw = raw;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    if (raw) {
      body.append(line).append('\n');
      return;
    }
    if (done || problem != null) {
      return;
    }
    try {
      if (line.isEmpty()) {
        dispatch();
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        // Only data matters here; event, id and retry fields carry nothing for chat streams.
        if (field.equals("data")) {
          if (hasData) {
            data.append('\n');
          }
          data.append(value);
          hasData = true;
        }
      }
    } catch (RuntimeException e) {
      invalid("unreadable line " + abbreviate(line), e);
    }
  }

  @Override
  public void onError(Throwable error) {
    // The response future fails with the same error; nothing to keep here.
  }

  @Override
  public void onComplete() {
    if (!raw && !done && problem == null) {
      // Some servers close right after the last event without its blank line.
      dispatch();
    }
  }

  private void dispatch() {
    if (!hasData) {
      return;
    }
    String payload = data.toString();
    data.setLength(0);
    hasData = false;
    if (payload.strip().equals(DONE)) {
      done = true;
      return;
    }
    try {
      JsonObject chunk = Wire.readObject(payload);
      events++;
      if (chunk.containsKey("error")) {
        // OpenAI reports failures after the 200 status as an error event inside the stream.
        problemKind = Kind.SERVER_ERROR;
        problem = "error event: " + HttpFailures.errorMessage(payload);
        return;
      }
      if (answer.addChunk(chunk) && firstTokenAt == null) {
        firstTokenAt = System.nanoTime();
      }
    } catch (RuntimeException e) {
      // JSON-P throws JsonException for unreadable text; ChatAnswer IllegalStateException for
      // shapes.
      invalid("unreadable event " + abbreviate(payload) + " (" + e.getMessage() + ")", e);
    }
  }

  private void invalid(String message, RuntimeException cause) {
    problemKind = Kind.INVALID_RESPONSE;
    problem = message;
    problemCause = cause;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  /** The text of a raw body. */
  String body() {
    return body.toString();
  }

  boolean raw() {
    return raw;
  }

  /** Whether {@code data: [DONE]} arrived. */
  boolean done() {
    return done;
  }

  int events() {
    return events;
  }

  ChatAnswer answer() {
    return answer;
  }

  /** System.nanoTime() when the first text or tool-call delta arrived, or null. */
  Long firstTokenAt() {
    return firstTokenAt;
  }

  /** Why the stream is unusable (malformed or error event), or null. */
  String problem() {
    return problem;
  }

  Kind problemKind() {
    return problemKind;
  }

  RuntimeException problemCause() {
    return problemCause;
  }
}
