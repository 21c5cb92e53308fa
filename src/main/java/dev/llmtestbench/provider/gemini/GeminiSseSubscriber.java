package dev.llmtestbench.provider.gemini;

import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import jakarta.json.JsonObject;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Reads the server-sent events of {@code streamGenerateContent?alt=sse} line by line as they
 * arrive: each event's {@code data} is one GenerateContentResponse, folded into an {@link
 * GeminiWire.Answer}. The first chunk with answer content fixes the time to first token. A chunk
 * that is not JSON, or an {@code error} object in the stream, fails the call at once through {@code
 * onFailure} and cancels the rest of the stream.
 */
final class GeminiSseSubscriber implements Flow.Subscriber<String> {

  private final GeminiProvider provider;
  private final long startNanos;
  private final Consumer<ProviderException> onFailure;
  private final GeminiWire.Answer answer = new GeminiWire.Answer();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private volatile Flow.Subscription subscription;
  private volatile boolean stopped;
  private volatile int events;
  private volatile Long timeToFirstTokenNanos;

  GeminiSseSubscriber(
      GeminiProvider provider, long startNanos, Consumer<ProviderException> onFailure) {
    this.provider = provider;
    this.startNanos = startNanos;
    this.onFailure = onFailure;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (stopped) {
      subscription.cancel();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(String line) {
    if (stopped) {
      return;
    }
    try {
      accept(line);
    } catch (ProviderException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(invalid("an unreadable event (" + e.getMessage() + ")", e));
    }
  }

  @Override
  public void onError(Throwable error) {
    // The HTTP client fails the response future too; the provider maps the error from there.
  }

  @Override
  public void onComplete() {
    if (stopped) {
      return;
    }
    try {
      // The last event may lack its closing blank line; its data is still whole or unparsable.
      dispatch();
    } catch (ProviderException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(invalid("an unreadable event (" + e.getMessage() + ")", e));
    }
  }

  /** Stops reading, e.g. when the call timed out or was cancelled. */
  void cancel() {
    stopped = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  /** The answer so far; read it only after the stream completed. */
  GeminiWire.Answer answer() {
    return answer;
  }

  int events() {
    return events;
  }

  Long timeToFirstTokenNanos() {
    return timeToFirstTokenNanos;
  }

  private void accept(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return; // an SSE comment, e.g. a keep-alive
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    // Gemini sends only data fields; event, id and retry carry nothing this adapter needs.
    if ("data".equals(field)) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    }
  }

  private void dispatch() {
    if (!hasData) {
      return;
    }
    String json = data.toString();
    data.setLength(0);
    hasData = false;
    JsonObject chunk = GeminiWire.readObject(json);
    if (chunk.get("error") instanceof JsonObject error) {
      throw provider.streamFailure(GeminiWire.apiError(error), elapsed());
    }
    boolean content = answer.add(chunk);
    // Counts chunks read whole, so failure messages say how far the stream got.
    events++;
    if (content && timeToFirstTokenNanos == null) {
      timeToFirstTokenNanos = elapsed();
    }
  }

  private void fail(ProviderException e) {
    cancel();
    onFailure.accept(e);
  }

  private ProviderException invalid(String what, Throwable cause) {
    return new ProviderException(
        Kind.INVALID_RESPONSE,
        provider.name() + " streamed " + what + " after " + events + " event(s)",
        200,
        elapsed(),
        cause);
  }

  private long elapsed() {
    return System.nanoTime() - startNanos;
  }
}
