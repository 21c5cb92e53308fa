package dev.llmtestbench.provider.gemini;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.TokenLogprob;
import dev.llmtestbench.provider.spi.ToolCall;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API's JSON: {@code GenerateContentRequest} bodies built from the SPI, responses (whole
 * or streamed chunk by chunk) folded into a {@link Completion}, and the Google error envelope.
 */
final class GeminiWire {

  // Cached because Json.createXxx looks the JSON-P provider up on every call.
  static final JsonBuilderFactory JSON = Json.createBuilderFactory(java.util.Map.of());
  private static final JsonReaderFactory READER = Json.createReaderFactory(java.util.Map.of());

  /**
   * Finish reasons meaning a filter withheld the answer, so it is reported as blocked rather than
   * as a (possibly partial) answer. RECITATION and MALFORMED_FUNCTION_CALL are not safety filters.
   */
  static final Set<String> BLOCKING_FINISH_REASONS =
      Set.of(
          "SAFETY",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT");

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)s");

  private GeminiWire() {}

  /** Which schema fields carry JSON Schema: the newer JSON Schema ones or the OpenAPI subset. */
  enum SchemaFields {
    /** {@code parametersJsonSchema} and {@code responseJsonSchema}: full JSON Schema. */
    JSON_SCHEMA,
    /** {@code parameters} and {@code responseSchema}: Google's OpenAPI 3.0 subset. */
    OPENAPI
  }

  /** The GenerateContentRequest body for {@code request}; fails with BAD_REQUEST/UNSUPPORTED. */
  static JsonObject generateContentBody(
      CompletionRequest request, SchemaFields schemaFields, String providerName) {
    JsonArrayBuilder contents = JSON.createArrayBuilder();
    JsonArrayBuilder system = JSON.createArrayBuilder();
    boolean hasSystem = false;
    String openRole = null;
    JsonArrayBuilder openParts = null;
    for (ChatMessage message : request.messages()) {
      String role = geminiRole(message.role(), providerName);
      if (role == null) {
        // System prompts travel outside contents, as systemInstruction.
        if (!message.parts().isEmpty()) {
          throw new ProviderException(
              Kind.UNSUPPORTED,
              providerName + ": image or audio parts in a system message are not supported");
        }
        system.add(JSON.createObjectBuilder().add("text", message.content()));
        hasSystem = true;
        continue;
      }
      // Gemini wants turns to alternate, so consecutive messages of one role become one turn.
      if (!role.equals(openRole)) {
        if (openParts != null) {
          contents.add(JSON.createObjectBuilder().add("role", openRole).add("parts", openParts));
        }
        openRole = role;
        openParts = JSON.createArrayBuilder();
      }
      addParts(openParts, message, providerName);
    }
    if (openParts == null) {
      throw new ProviderException(
          Kind.BAD_REQUEST, providerName + ": the request has no user or assistant message");
    }
    contents.add(JSON.createObjectBuilder().add("role", openRole).add("parts", openParts));

    JsonObjectBuilder body = JSON.createObjectBuilder().add("contents", contents);
    if (hasSystem) {
      body.add("systemInstruction", JSON.createObjectBuilder().add("parts", system));
    }
    if (!request.tools().isEmpty()) {
      JsonArrayBuilder declarations = JSON.createArrayBuilder();
      for (ToolSpec tool : request.tools()) {
        declarations.add(functionDeclaration(tool, schemaFields, providerName));
      }
      body.add(
          "tools",
          JSON.createArrayBuilder()
              .add(JSON.createObjectBuilder().add("functionDeclarations", declarations)));
    }
    JsonObject config = generationConfig(request, schemaFields, providerName);
    if (!config.isEmpty()) {
      body.add("generationConfig", config);
    }
    return body.build();
  }

  private static String geminiRole(String role, String providerName) {
    switch (role.toLowerCase(Locale.ROOT)) {
      case "system":
      case "developer":
        return null;
      case "user":
        return "user";
      case "assistant":
      case "model":
        return "model";
      default:
        // A tool result needs the function's name, which ChatMessage does not carry.
        throw new ProviderException(
            Kind.BAD_REQUEST,
            providerName
                + ": message role '"
                + role
                + "' is not supported (use system, user or assistant)");
    }
  }

  private static void addParts(JsonArrayBuilder parts, ChatMessage message, String providerName) {
    if (!message.content().isEmpty() || message.parts().isEmpty()) {
      parts.add(JSON.createObjectBuilder().add("text", message.content()));
    }
    for (ContentPart part : message.parts()) {
      if (part.data() != null) {
        if (part.mediaType() == null || part.mediaType().isBlank()) {
          throw new ProviderException(
              Kind.BAD_REQUEST,
              providerName + ": an inline " + part.type() + " part needs its media type");
        }
        parts.add(
            JSON.createObjectBuilder()
                .add(
                    "inlineData",
                    JSON.createObjectBuilder()
                        .add("mimeType", part.mediaType())
                        .add("data", part.data())));
      } else {
        JsonObjectBuilder fileData = JSON.createObjectBuilder();
        if (part.mediaType() != null && !part.mediaType().isBlank()) {
          fileData.add("mimeType", part.mediaType());
        }
        parts.add(JSON.createObjectBuilder().add("fileData", fileData.add("fileUri", part.url())));
      }
    }
  }

  private static JsonObject functionDeclaration(
      ToolSpec tool, SchemaFields schemaFields, String providerName) {
    JsonObjectBuilder declaration = JSON.createObjectBuilder().add("name", tool.name());
    if (tool.description() != null && !tool.description().isBlank()) {
      declaration.add("description", tool.description());
    }
    JsonObject schema = schemaObject(tool.parametersSchema(), "tool " + tool.name(), providerName);
    declaration.add(
        schemaFields == SchemaFields.OPENAPI ? "parameters" : "parametersJsonSchema", schema);
    return declaration.build();
  }

  private static JsonObject generationConfig(
      CompletionRequest request, SchemaFields schemaFields, String providerName) {
    JsonObjectBuilder config = JSON.createObjectBuilder();
    if (request.temperature() != null) {
      config.add("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      config.add("maxOutputTokens", request.maxTokens());
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && !ResponseFormat.TEXT.equals(format.type())) {
      if (ResponseFormat.JSON_OBJECT.equals(format.type())) {
        config.add("responseMimeType", "application/json");
      } else if (ResponseFormat.JSON_SCHEMA.equals(format.type())) {
        config.add("responseMimeType", "application/json");
        config.add(
            schemaFields == SchemaFields.OPENAPI ? "responseSchema" : "responseJsonSchema",
            schemaObject(format.schema(), "response format", providerName));
      } else {
        throw new ProviderException(
            Kind.UNSUPPORTED,
            providerName
                + ": response format '"
                + format.type()
                + "' is not supported (text, json_object or json_schema)");
      }
    }
    if (request.topLogprobs() != null) {
      if (request.topLogprobs() < 0) {
        throw new ProviderException(
            Kind.BAD_REQUEST, providerName + ": topLogprobs must not be negative");
      }
      config.add("responseLogprobs", true);
      // logprobs counts alternatives per step; the chosen token's log probability comes anyway.
      if (request.topLogprobs() > 0) {
        config.add("logprobs", request.topLogprobs());
      }
    }
    return config.build();
  }

  private static JsonObject schemaObject(String schema, String what, String providerName) {
    try {
      return readObject(schema);
    } catch (RuntimeException e) {
      throw new ProviderException(
          Kind.BAD_REQUEST,
          providerName + ": the " + what + " schema is not a JSON object",
          null,
          0L,
          e);
    }
  }

  /** The batchEmbedContents body: one request per input, each naming the model again. */
  static JsonObject batchEmbedBody(
      String modelPath, List<String> inputs, String taskType, Integer dimensions) {
    JsonArrayBuilder requests = JSON.createArrayBuilder();
    for (String input : inputs) {
      JsonObjectBuilder one =
          JSON.createObjectBuilder()
              .add("model", modelPath)
              .add(
                  "content",
                  JSON.createObjectBuilder()
                      .add(
                          "parts",
                          JSON.createArrayBuilder()
                              .add(JSON.createObjectBuilder().add("text", input))));
      if (taskType != null) {
        one.add("taskType", taskType);
      }
      if (dimensions != null) {
        one.add("outputDimensionality", dimensions);
      }
      requests.add(one);
    }
    return JSON.createObjectBuilder().add("requests", requests).build();
  }

  /** The vectors of a batchEmbedContents response, in request order. */
  static List<float[]> embeddings(JsonObject response, int expected) {
    if (!(response.get("embeddings") instanceof JsonArray embeddings)) {
      throw new IllegalStateException("no embeddings");
    }
    if (embeddings.size() != expected) {
      throw new IllegalStateException(
          embeddings.size() + " embeddings for " + expected + " inputs");
    }
    List<float[]> vectors = new ArrayList<>(expected);
    for (JsonValue embedding : embeddings) {
      if (!(embedding instanceof JsonObject object)
          || !(object.get("values") instanceof JsonArray values)) {
        throw new IllegalStateException("an embedding has no values");
      }
      float[] vector = new float[values.size()];
      for (int i = 0; i < vector.length; i++) {
        if (!(values.get(i) instanceof JsonNumber number)) {
          throw new IllegalStateException("an embedding value is not a number");
        }
        vector[i] = (float) number.doubleValue();
      }
      vectors.add(vector);
    }
    return vectors;
  }

  /**
   * Folds GenerateContentResponse objects (one, or the chunks of a stream) into one answer: text
   * and function calls in order, the last finish reason, usage and ids from the latest chunk
   * holding them. Not thread-safe; a stream's chunks arrive one after another.
   */
  static final class Answer {
    private final StringBuilder text = new StringBuilder();
    private final List<ToolCall> toolCalls = new ArrayList<>();
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    private String finishReason;
    private String blockReason;
    private String modelVersion;
    private String responseId;
    private JsonObject usage;
    private boolean sawCandidate;

    /** Adds one response; true when it carried answer content (text or a function call). */
    boolean add(JsonObject response) {
      String version = string(response, "modelVersion");
      if (version != null) {
        modelVersion = version;
      }
      String id = string(response, "responseId");
      if (id != null) {
        responseId = id;
      }
      if (response.get("usageMetadata") instanceof JsonObject metadata) {
        usage = metadata;
      }
      if (response.get("promptFeedback") instanceof JsonObject feedback) {
        String reason = string(feedback, "blockReason");
        if (reason != null && !"BLOCK_REASON_UNSPECIFIED".equals(reason)) {
          blockReason = reason;
        }
      }
      JsonValue candidates = response.get("candidates");
      if (candidates == null || candidates.getValueType() == JsonValue.ValueType.NULL) {
        return false;
      }
      if (!(candidates instanceof JsonArray list)) {
        throw new IllegalStateException("candidates is not an array");
      }
      if (list.isEmpty()) {
        return false;
      }
      if (!(list.get(0) instanceof JsonObject candidate)) {
        throw new IllegalStateException("candidates[0] is not an object");
      }
      sawCandidate = true;
      String reason = string(candidate, "finishReason");
      if (reason != null) {
        finishReason = reason;
      }
      if (candidate.get("logprobsResult") instanceof JsonObject result
          && result.get("chosenCandidates") instanceof JsonArray chosen) {
        for (JsonValue value : chosen) {
          if (value instanceof JsonObject token) {
            // proto3 JSON leaves out zero values: a missing logProbability means 0.0.
            double logprob =
                token.get("logProbability") instanceof JsonNumber number
                    ? number.doubleValue()
                    : 0.0;
            String tokenText = string(token, "token");
            logprobs.add(new TokenLogprob(tokenText == null ? "" : tokenText, logprob));
          }
        }
      }
      JsonValue content = candidate.get("content");
      if (!(content instanceof JsonObject contentObject)) {
        return false;
      }
      JsonValue parts = contentObject.get("parts");
      if (parts == null) {
        return false;
      }
      if (!(parts instanceof JsonArray partList)) {
        throw new IllegalStateException("candidates[0].content.parts is not an array");
      }
      boolean hasContent = false;
      for (JsonValue value : partList) {
        if (!(value instanceof JsonObject part)) {
          throw new IllegalStateException("a part is not an object");
        }
        // Thought summaries (includeThoughts) are not part of the answer.
        if (JsonValue.TRUE.equals(part.get("thought"))) {
          continue;
        }
        JsonValue partText = part.get("text");
        if (partText != null) {
          if (!(partText instanceof JsonString string)) {
            throw new IllegalStateException("a part's text is not a string");
          }
          if (!string.getString().isEmpty()) {
            text.append(string.getString());
            hasContent = true;
          }
        }
        if (part.get("functionCall") instanceof JsonObject call) {
          String name = string(call, "name");
          if (name == null) {
            throw new IllegalStateException("a functionCall has no name");
          }
          JsonValue args = call.get("args");
          toolCalls.add(
              new ToolCall(
                  string(call, "id"), name, args instanceof JsonObject ? args.toString() : "{}"));
          hasContent = true;
        }
      }
      return hasContent;
    }

    /** Whether the answer ended: a finish reason, or a prompt blocked before any candidate. */
    boolean finished() {
      return finishReason != null || blockReason != null;
    }

    /** Whether a lone (non-streamed) response was usable: a candidate or a block reason. */
    boolean usable() {
      return sawCandidate || blockReason != null;
    }

    Completion completion(long latencyNanos, Long timeToFirstTokenNanos) {
      boolean blocked =
          blockReason != null
              || (finishReason != null && BLOCKING_FINISH_REASONS.contains(finishReason));
      Integer prompt = null;
      Integer completion = null;
      Integer total = null;
      Integer cached = null;
      if (usage != null) {
        prompt = integer(usage, "promptTokenCount");
        total = integer(usage, "totalTokenCount");
        cached = integer(usage, "cachedContentTokenCount");
        Integer candidates = integer(usage, "candidatesTokenCount");
        Integer thoughts = integer(usage, "thoughtsTokenCount");
        // Thinking tokens are generated and billed as output, as OpenAI's reasoning tokens are.
        if (candidates != null || thoughts != null) {
          completion = (candidates == null ? 0 : candidates) + (thoughts == null ? 0 : thoughts);
        } else if (prompt != null) {
          // proto3 JSON omits zero counts: usage with a prompt count but none for the answer
          // means nothing was generated (e.g. a blocked prompt).
          completion = 0;
        }
      }
      return new Completion(
          blocked ? "" : text.toString(),
          blockReason != null ? blockReason : finishReason,
          prompt,
          completion,
          total,
          latencyNanos,
          modelVersion,
          responseId,
          timeToFirstTokenNanos,
          blocked ? List.of() : toolCalls,
          blocked ? List.of() : logprobs,
          false,
          cached,
          blocked);
    }
  }

  /** Google's error envelope {@code {"error":{"code","message","status","details"}}}, parsed. */
  record ApiError(
      Integer code, String status, String message, Long retryDelayMillis, String reason) {

    /** Whether the key itself was refused, which Google reports as 400 INVALID_ARGUMENT. */
    boolean keyRejected() {
      return (reason != null && reason.startsWith("API_KEY_"))
          || "UNAUTHENTICATED".equals(status)
          || "PERMISSION_DENIED".equals(status);
    }
  }

  /** The error in {@code body}, or null when it is not Google's envelope. */
  static ApiError apiError(String body) {
    try {
      JsonValue root = readValue(body);
      // Some gateways wrap the envelope in an array, as the non-SSE stream does.
      if (root instanceof JsonArray array && !array.isEmpty()) {
        root = array.get(0);
      }
      if (root instanceof JsonObject object && object.get("error") instanceof JsonObject error) {
        return apiError(error);
      }
    } catch (RuntimeException notJson) {
      // Proxies and load balancers answer in plain text or HTML.
    }
    return null;
  }

  /** The fields of one {@code error} object. */
  static ApiError apiError(JsonObject error) {
    Long retryDelay = null;
    String reason = null;
    if (error.get("details") instanceof JsonArray details) {
      for (JsonValue value : details) {
        if (!(value instanceof JsonObject detail)) {
          continue;
        }
        String type = string(detail, "@type");
        if (type != null && type.endsWith("google.rpc.RetryInfo")) {
          retryDelay = durationMillis(string(detail, "retryDelay"));
        } else if (type != null && type.endsWith("google.rpc.ErrorInfo") && reason == null) {
          reason = string(detail, "reason");
        }
      }
    }
    return new ApiError(
        integer(error, "code"),
        string(error, "status"),
        string(error, "message"),
        retryDelay,
        reason);
  }

  /** A protobuf JSON duration such as {@code 13s} or {@code 0.25s} in milliseconds, rounded up. */
  static Long durationMillis(String duration) {
    if (duration == null) {
      return null;
    }
    Matcher matcher = DURATION.matcher(duration.strip());
    if (!matcher.matches()) {
      return null;
    }
    return new BigDecimal(matcher.group(1))
        .movePointRight(3)
        .setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }

  static JsonObject readObject(String text) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static JsonValue readValue(String text) {
    try (JsonReader reader = READER.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  static String string(JsonObject object, String key) {
    return object.get(key) instanceof JsonString string ? string.getString() : null;
  }

  static Integer integer(JsonObject object, String key) {
    JsonValue value = object.get(key);
    if (value instanceof JsonNumber number) {
      return number.intValue();
    }
    // int64 fields arrive as strings in proto3 JSON; counts are int32, but be lenient.
    if (value instanceof JsonString string) {
      try {
        return Integer.valueOf(string.getString());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
