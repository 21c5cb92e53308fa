package dev.llmtestbench.provider.measure;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Response-cache keys: the SHA-256 (lowercase hex) of a canonical JSON document (sorted keys, no
 * insignificant whitespace, see {@link CanonicalJson}) of everything that decides a provider's
 * answer.
 *
 * <p>In the key: a format version, the provider name, the model (the given one, else the
 * request's), the messages (role, content and every part's type, media type, data and URL), {@code
 * temperature}, {@code maxTokens}, the tools (name, description, parameter schema), the response
 * format (type, name, schema), {@code topLogprobs}, and the options except {@link
 * #ANSWER_NEUTRAL_OPTIONS}. JSON Schema texts are canonicalized too, so reformatting a schema or
 * reordering its keys keeps the key; a schema that is not valid JSON is taken as its text.
 *
 * <p>Left out: {@code timeout} (whether an answer arrives, not what it says) and {@code stream}
 * (how the answer is delivered; a cached answer serves either). Options all count today, including
 * the simulator's {@code expected}, {@code answer}, {@code accuracy}, {@code seed}, {@code
 * errorRate} and {@code latencyMs}, since each changes what the call returns.
 */
public final class CacheKeys {

  /**
   * Options that never change the answer and so stay out of the key. None today: every option an
   * adapter reads changes the answer (the simulator's {@code expected} picks it outright). Add an
   * option here only when a cached answer is right whatever its value (say, an end-user id passed
   * through for abuse monitoring).
   */
  public static final Set<String> ANSWER_NEUTRAL_OPTIONS = Set.of();

  // Bump when the document's shape changes, so old and new keys never meet.
  static final int FORMAT = 1;

  private CacheKeys() {}

  /**
   * The key of {@code request} sent to {@code provider} with {@code model}; equal requests give
   * equal keys, whatever the order of their options.
   */
  public static String of(String provider, String model, CompletionRequest request) {
    return sha256Hex(document(provider, model, request, null));
  }

  /**
   * The key of one repeat of a test case: repeats are distinct calls (their keys differ by {@code
   * repeatIndex}) unless the run opts in with {@code shareAcrossRepeats}, when every repeat gets
   * {@link #of(String, String, CompletionRequest)}'s key and so the same cached answer.
   *
   * @throws IllegalArgumentException when {@code repeatIndex} is negative
   */
  public static String of(
      String provider,
      String model,
      CompletionRequest request,
      int repeatIndex,
      boolean shareAcrossRepeats) {
    if (repeatIndex < 0) {
      throw new IllegalArgumentException("repeatIndex must be >= 0, was " + repeatIndex + ".");
    }
    return sha256Hex(document(provider, model, request, shareAcrossRepeats ? null : repeatIndex));
  }

  private static Map<String, Object> document(
      String provider, String model, CompletionRequest request, Integer repeat) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(request, "request");
    Map<String, Object> doc = new TreeMap<>();
    doc.put("format", FORMAT);
    doc.put("provider", provider);
    doc.put("model", model != null ? model : request.model());
    doc.put("messages", messages(request.messages()));
    doc.put("temperature", request.temperature());
    doc.put("maxTokens", request.maxTokens());
    doc.put("tools", tools(request.tools()));
    doc.put("responseFormat", responseFormat(request.responseFormat()));
    doc.put("topLogprobs", request.topLogprobs());
    Map<String, Object> options = new TreeMap<>();
    request
        .options()
        .forEach(
            (name, value) -> {
              if (!ANSWER_NEUTRAL_OPTIONS.contains(name)) {
                options.put(name, value);
              }
            });
    doc.put("options", options);
    if (repeat != null) {
      doc.put("repeat", repeat);
    }
    return doc;
  }

  private static List<Object> messages(List<ChatMessage> messages) {
    List<Object> out = new ArrayList<>(messages.size());
    for (ChatMessage message : messages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", message.role());
      m.put("content", message.content());
      List<Object> parts = new ArrayList<>(message.parts().size());
      for (ContentPart part : message.parts()) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", part.type());
        p.put("mediaType", part.mediaType());
        p.put("data", part.data());
        p.put("url", part.url());
        parts.add(p);
      }
      m.put("parts", parts);
      out.add(m);
    }
    return out;
  }

  private static List<Object> tools(List<ToolSpec> tools) {
    List<Object> out = new ArrayList<>(tools.size());
    for (ToolSpec tool : tools) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", tool.name());
      t.put("description", tool.description());
      t.put("parameters", schema(tool.parametersSchema()));
      out.add(t);
    }
    return out;
  }

  private static Object responseFormat(ResponseFormat format) {
    if (format == null) {
      return null;
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", format.type());
    f.put("name", format.name());
    f.put("schema", schema(format.schema()));
    return f;
  }

  private static Object schema(String text) {
    if (text == null) {
      return null;
    }
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    } catch (JsonException | IllegalStateException e) {
      // Not JSON: the adapter will reject it; keying on the text still tells requests apart.
      return text;
    }
  }

  private static String sha256Hex(Map<String, Object> doc) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256.", e);
    }
    // Streams into the digest, so inline images and audio are never copied into one big string.
    try (Writer writer =
        new OutputStreamWriter(
            new DigestOutputStream(OutputStream.nullOutputStream(), digest),
            StandardCharsets.UTF_8)) {
      CanonicalJson.write(doc, writer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
