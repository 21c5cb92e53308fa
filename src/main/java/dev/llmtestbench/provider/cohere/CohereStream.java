package dev.llmtestbench.provider.cohere;

import static dev.llmtestbench.provider.cohere.CohereJson.object;
import static dev.llmtestbench.provider.cohere.CohereJson.string;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.TokenLogprob;
import dev.llmtestbench.provider.spi.ToolCall;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.UnaryOperator;

/**
 * Reads the server-sent events of a streamed {@code POST /v2/chat} line by line as they arrive and
 * completes {@code result} at {@code message-end}, the stream's terminal event
 * (https://docs.cohere.com/reference/chat-stream). A stream that ends before it fails with
 * INVALID_RESPONSE; failures of the connection itself are reported by the HTTP exchange.
 */
final class CohereStream implements Flow.Subscriber<String> {

  private final long start;
  private final CompletableFuture<Completion> result;
  private final String provider;
  private final UnaryOperator<String> scrub;

  // The event being read (SSE: "event:" and "data:" lines up to a blank line).
  private String eventName;
  private StringBuilder data;
  private String strayLine;

  private String id;
  private Long timeToFirstToken;
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, String[]> toolCalls = new TreeMap<>();
  private int lastToolIndex = -1;
  private final List<TokenLogprob> logprobs = new ArrayList<>();
  private int events;

  /**
   * Collects into {@code result}; {@code scrub} shortens and masks provider text put into messages.
   */
  CohereStream(
      long start,
      CompletableFuture<Completion> result,
      String provider,
      UnaryOperator<String> scrub) {
    this.start = start;
    this.result = result;
    this.provider = provider;
    this.scrub = scrub;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    // After message-end (or a failure) the rest is drained, so the connection can be reused.
    if (result.isDone()) {
      return;
    }
    try {
      line(line);
    } catch (ProviderException e) {
      result.completeExceptionally(e);
    } catch (RuntimeException e) {
      // JSON-P reports unreadable input as JsonException, shape problems as IllegalStateException.
      result.completeExceptionally(
          new ProviderException(
              Kind.INVALID_RESPONSE,
              provider + " sent an unreadable stream event (" + e.getMessage() + ")",
              200,
              System.nanoTime() - start,
              e));
    }
  }

  @Override
  public void onError(Throwable error) {
    // The HTTP exchange fails with the same error and classifies it (timeout, network).
  }

  @Override
  public void onComplete() {
    if (!result.isDone()) {
      result.completeExceptionally(
          new ProviderException(
              Kind.INVALID_RESPONSE,
              provider
                  + " stream ended without its message-end event after "
                  + events
                  + " event(s)"
                  + (strayLine == null ? "" : "; it also sent: " + scrub.apply(strayLine)),
              200,
              System.nanoTime() - start,
              null));
    }
  }

  private void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event":
        eventName = value;
        break;
      case "data":
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
        break;
      case "id":
      case "retry":
        break;
      default:
        // Not SSE at all (e.g. a JSON error body sent with status 200): keep it for the message.
        if (strayLine == null) {
          strayLine = line;
        }
    }
  }

  private void dispatch() {
    String name = eventName;
    String payload = data == null ? null : data.toString();
    eventName = null;
    data = null;
    if (payload == null || "[DONE]".equals(payload.strip())) {
      return;
    }
    events++;
    JsonObject event = CohereJson.readObject(payload);
    String type = string(event, "type");
    handle(type != null ? type : name == null ? "" : name, event);
  }

  private void handle(String type, JsonObject event) {
    JsonObject message = object(object(event, "delta"), "message");
    switch (type) {
      case "message-start":
        id = string(event, "id");
        break;
      case "content-start":
      case "content-delta":
        JsonObject content = object(message, "content");
        if ("content-delta".equals(type)) {
          markFirstToken();
          if (event.get("logprobs") instanceof JsonObject item) {
            logprobs.add(CohereResponses.logprob(item));
          }
        }
        // Only "text" is the answer; "thinking" deltas are the reasoning trace.
        String chunk = string(content, "text");
        if (chunk != null) {
          text.append(chunk);
        }
        break;
      case "tool-plan-delta":
        markFirstToken();
        break;
      case "tool-call-start":
        markFirstToken();
        JsonObject call = object(message, "tool_calls");
        JsonObject function = object(call, "function");
        String arguments = string(function, "arguments");
        lastToolIndex = index(event, toolCalls.size());
        toolCalls.put(
            lastToolIndex,
            new String[] {
              string(call, "id"), string(function, "name"), arguments == null ? "" : arguments
            });
        break;
      case "tool-call-delta":
        markFirstToken();
        String[] open = toolCalls.get(index(event, lastToolIndex));
        if (open == null) {
          throw new IllegalStateException("tool-call-delta without its tool-call-start");
        }
        String more = string(object(object(message, "tool_calls"), "function"), "arguments");
        open[2] = open[2] + (more == null ? "" : more);
        break;
      case "message-end":
        end(event);
        break;
      default:
        // content-end, tool-call-end, citations and debug events carry nothing we report.
    }
  }

  private void end(JsonObject event) {
    long latency = System.nanoTime() - start;
    JsonObject delta = object(event, "delta");
    String finishReason = string(delta, "finish_reason");
    if (CohereResponses.FINISH_ERROR.equals(finishReason)) {
      String error = string(delta, "error");
      throw new ProviderException(
          Kind.SERVER_ERROR,
          provider
              + " generation failed mid-stream: "
              + scrub.apply(error == null ? "(no error message)" : error),
          200,
          latency,
          null);
    }
    CohereResponses.Usage usage = CohereResponses.usage(object(delta, "usage"));
    List<ToolCall> calls = new ArrayList<>();
    toolCalls.values().forEach(c -> calls.add(new ToolCall(c[0], c[1], c[2])));
    result.complete(
        new Completion(
            text.toString(),
            finishReason,
            usage.input(),
            usage.output(),
            usage.total(),
            latency,
            null,
            id != null ? id : string(event, "id"),
            timeToFirstToken,
            calls,
            logprobs,
            false,
            usage.cached(),
            false));
  }

  private void markFirstToken() {
    if (timeToFirstToken == null) {
      timeToFirstToken = System.nanoTime() - start;
    }
  }

  private static int index(JsonObject event, int fallback) {
    return event.get("index") instanceof JsonNumber number ? number.intValue() : fallback;
  }
}
