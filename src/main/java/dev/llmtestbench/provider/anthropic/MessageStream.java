package dev.llmtestbench.provider.anthropic;

import dev.llmtestbench.provider.anthropic.MessagesResponse.Usage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.ToolCall;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Reads the server-sent events of a streamed Message line by line as they arrive and assembles the
 * completion: text from {@code text_delta}s, tool calls from {@code tool_use} blocks and their
 * {@code input_json_delta}s, usage from {@code message_start} and {@code message_delta}.
 *
 * <p>Reactive Streams delivers the lines one at a time, so no state here is shared between threads
 * while the stream runs; {@link #completion} is read only after the body has completed.
 */
final class MessageStream implements Flow.Subscriber<String> {

  /** An {@code error} event in the stream: the API's error type and message. */
  record StreamError(String type, String message) {}

  /** Thrown when the stream cannot be read; the provider reports it as an invalid response. */
  static final class MalformedStreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedStreamException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The stream's own {@code error} event, carried to the provider. */
  static final class StreamErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient StreamError error;

    StreamErrorException(StreamError error) {
      super(error.type() + ": " + error.message());
      this.error = error;
    }

    StreamError error() {
      return error;
    }
  }

  private static final class Block {
    final String type;
    final StringBuilder text = new StringBuilder();
    final String toolId;
    final String toolName;
    final StringBuilder partialJson = new StringBuilder();
    final JsonValue initialInput;

    Block(JsonObject contentBlock) {
      type = MessagesResponse.string(contentBlock, "type");
      toolId = MessagesResponse.string(contentBlock, "id");
      toolName = MessagesResponse.string(contentBlock, "name");
      initialInput = contentBlock.get("input");
      String initialText = MessagesResponse.string(contentBlock, "text");
      if (initialText != null) {
        text.append(initialText);
      }
    }
  }

  private final long startNanos;
  private final Consumer<RuntimeException> onFailure;
  private Flow.Subscription subscription;

  // The event being read: SSE fields accumulate until a blank line dispatches them.
  private String eventName;
  private StringBuilder data;

  private boolean started;
  private boolean stopped;
  private boolean failed;
  private String id;
  private String model;
  private String stopReason;
  private Usage usage = Usage.NONE;
  private Long firstTextNanos;
  private Long firstToolInputNanos;
  private final Map<Integer, Block> blocks = new TreeMap<>();

  /**
   * A reader of one stream whose clock starts at {@code startNanos}; {@code onFailure} receives an
   * {@code error} event ({@link StreamErrorException}) or unreadable data ({@link
   * MalformedStreamException}) as soon as either arrives.
   */
  MessageStream(long startNanos, Consumer<RuntimeException> onFailure) {
    this.startNanos = startNanos;
    this.onFailure = onFailure;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    if (failed) {
      return;
    }
    try {
      readLine(line);
    } catch (RuntimeException e) {
      failed = true;
      subscription.cancel();
      onFailure.accept(
          e instanceof StreamErrorException
              ? e
              : new MalformedStreamException(
                  e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e));
    }
  }

  @Override
  public void onError(Throwable throwable) {
    // The HTTP client fails the response future with the same error; the provider maps it there.
  }

  @Override
  public void onComplete() {
    // Per the SSE format an event without its closing blank line is incomplete: it is dropped.
  }

  private void readLine(String line) {
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
    if ("event".equals(field)) {
      eventName = value;
    } else if ("data".equals(field)) {
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    }
    // id and retry fields mean nothing for a single Messages response.
  }

  private void dispatch() {
    String name = eventName;
    StringBuilder payload = data;
    eventName = null;
    data = null;
    if (payload == null) {
      return;
    }
    JsonObject event;
    try (JsonReader reader =
        MessagesBody.READER.createReader(new StringReader(payload.toString()))) {
      event = reader.readObject();
    } catch (RuntimeException e) {
      throw new MalformedStreamException(
          "event " + (name == null ? "(unnamed)" : name) + " is not a JSON object", e);
    }
    String type = MessagesResponse.string(event, "type");
    handle(type != null ? type : name, event);
  }

  private void handle(String type, JsonObject event) {
    if (type == null) {
      throw new IllegalStateException("an event has no type");
    }
    switch (type) {
      case "message_start" -> {
        JsonObject message = event.getJsonObject("message");
        started = true;
        id = MessagesResponse.string(message, "id");
        model = MessagesResponse.string(message, "model");
        usage = usage.updatedBy(Usage.of(message.get("usage")));
      }
      case "content_block_start" -> {
        requireStarted(type);
        blocks.put(event.getInt("index"), new Block(event.getJsonObject("content_block")));
      }
      case "content_block_delta" -> {
        requireStarted(type);
        delta(event.getInt("index"), event.getJsonObject("delta"));
      }
      case "content_block_stop" -> {
        requireStarted(type);
        block(event.getInt("index"));
      }
      case "message_delta" -> {
        requireStarted(type);
        if (event.get("delta") instanceof JsonObject delta) {
          String reason = MessagesResponse.string(delta, "stop_reason");
          if (reason != null) {
            stopReason = reason;
          }
        }
        usage = usage.updatedBy(Usage.of(event.get("usage")));
      }
      case "message_stop" -> {
        requireStarted(type);
        stopped = true;
      }
      case "error" -> {
        JsonObject error =
            event.get("error") instanceof JsonObject e ? e : JsonValue.EMPTY_JSON_OBJECT;
        throw new StreamErrorException(
            new StreamError(
                MessagesResponse.string(error, "type"), MessagesResponse.string(error, "message")));
      }
      default -> {
        // ping, and event types added later: the streaming reference asks clients to skip them.
      }
    }
  }

  private void delta(int index, JsonObject delta) {
    Block block = block(index);
    String type = MessagesResponse.string(delta, "type");
    if ("text_delta".equals(type)) {
      if (firstTextNanos == null) {
        firstTextNanos = System.nanoTime() - startNanos;
      }
      block.text.append(delta.getString("text"));
    } else if ("input_json_delta".equals(type)) {
      if (firstToolInputNanos == null) {
        firstToolInputNanos = System.nanoTime() - startNanos;
      }
      block.partialJson.append(delta.getString("partial_json"));
    }
    // thinking_delta, signature_delta, citations_delta: not part of the answer text.
  }

  private Block block(int index) {
    Block block = blocks.get(index);
    if (block == null) {
      throw new IllegalStateException("content block " + index + " was never started");
    }
    return block;
  }

  private void requireStarted(String type) {
    if (!started) {
      throw new IllegalStateException(type + " before message_start");
    }
  }

  /**
   * The assembled completion once the body has ended; a stream that ended before {@code
   * message_stop} throws {@link MalformedStreamException}, never a partial answer.
   */
  Completion completion(long latency) {
    if (!stopped) {
      throw new MalformedStreamException(
          started
              ? "the stream ended before message_stop"
              : "the stream ended without any event (no message_start)",
          null);
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> toolCalls = new ArrayList<>();
    for (Block block : blocks.values()) {
      if ("text".equals(block.type)) {
        text.append(block.text);
      } else if ("tool_use".equals(block.type)) {
        toolCalls.add(new ToolCall(block.toolId, block.toolName, toolInput(block)));
      }
    }
    // Time to first token is the first visible text; an answer that only calls tools counts
    // its first tool-input fragment instead.
    Long firstToken = firstTextNanos != null ? firstTextNanos : firstToolInputNanos;
    return usage.completion(text.toString(), stopReason, latency, model, id, firstToken, toolCalls);
  }

  private static String toolInput(Block block) {
    if (block.partialJson.length() == 0) {
      return block.initialInput == null ? "{}" : block.initialInput.toString();
    }
    // The fragments only form JSON once complete; parsing them proves the input arrived whole.
    try (JsonReader reader =
        MessagesBody.READER.createReader(new StringReader(block.partialJson.toString()))) {
      return reader.readObject().toString();
    } catch (RuntimeException e) {
      throw new MalformedStreamException(
          "the input of tool call " + block.toolId + " is not a JSON object", e);
    }
  }
}
