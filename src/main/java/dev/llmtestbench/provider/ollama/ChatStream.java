package dev.llmtestbench.provider.ollama;

import dev.llmtestbench.provider.http.HttpFailures;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ToolCall;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Reads Ollama's NDJSON chat stream line by line as it arrives, and completes {@code result} at the
 * line with {@code "done": true}, at an {@code "error"} line, or at a line that is not JSON.
 *
 * <p>The HTTP client calls {@code onNext} sequentially, so the fields need no locking; the end of
 * the body without a done line is detected by the caller once the exchange completes.
 */
final class ChatStream implements Flow.Subscriber<String> {

  private final String name;
  private final long start;
  private final int status;
  private final String secret;
  private final CompletableFuture<Completion> result;
  private final StringBuilder text = new StringBuilder();
  private final List<ToolCall> toolCalls = new ArrayList<>();
  private volatile Flow.Subscription subscription;
  private Long firstTokenNanos;

  ChatStream(
      String name, long start, int status, String secret, CompletableFuture<Completion> result) {
    this.name = name;
    this.start = start;
    this.status = status;
    this.secret = secret;
    this.result = result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (result.isDone()) {
      subscription.cancel();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(String line) {
    if (result.isDone() || line.isBlank()) {
      return;
    }
    long now = System.nanoTime();
    JsonObject chunk;
    try {
      chunk = OllamaProvider.readObject(line);
    } catch (RuntimeException e) {
      fail(
          Kind.INVALID_RESPONSE,
          name + " sent an unreadable stream line: " + HttpFailures.detail(line, secret),
          now,
          e);
      return;
    }
    // Errors after the stream has started arrive as a line of their own, under a 200 status.
    JsonValue error = chunk.get("error");
    if (error != null && error.getValueType() != JsonValue.ValueType.NULL) {
      fail(
          Kind.SERVER_ERROR,
          name
              + " reported an error mid-stream: "
              + HttpFailures.detail(OllamaProvider.errorText(error), secret),
          now,
          null);
      return;
    }
    try {
      if (chunk.get("message") instanceof JsonObject message) {
        if (message.get("content") instanceof JsonString content
            && !content.getString().isEmpty()) {
          text.append(content.getString());
          markFirstToken(now);
        }
        List<ToolCall> calls = OllamaProvider.toolCalls(message);
        if (!calls.isEmpty()) {
          toolCalls.addAll(calls);
          markFirstToken(now);
        }
      }
      if (chunk.get("done") == JsonValue.TRUE) {
        result.complete(
            OllamaProvider.completion(
                text.toString(), toolCalls, chunk, now - start, firstTokenNanos));
      }
    } catch (RuntimeException e) {
      fail(
          Kind.INVALID_RESPONSE,
          name
              + " sent an unusable stream line ("
              + HttpFailures.describe(e)
              + "): "
              + HttpFailures.detail(line, secret),
          now,
          e);
    }
  }

  @Override
  public void onError(Throwable error) {
    // The exchange's future fails with the same error; the caller maps it there.
  }

  @Override
  public void onComplete() {
    // The caller sees the exchange complete and checks whether a done line came.
  }

  /** Stops reading, e.g. when the call timed out or was cancelled. */
  void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private void markFirstToken(long now) {
    if (firstTokenNanos == null) {
      firstTokenNanos = now - start;
    }
  }

  private void fail(Kind kind, String message, long now, Throwable cause) {
    result.completeExceptionally(new ProviderException(kind, message, status, now - start, cause));
    cancel();
  }
}
