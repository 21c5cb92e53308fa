package dev.llmtestbench.provider.cohere;

import static dev.llmtestbench.provider.cohere.CohereJson.array;
import static dev.llmtestbench.provider.cohere.CohereJson.count;
import static dev.llmtestbench.provider.cohere.CohereJson.object;
import static dev.llmtestbench.provider.cohere.CohereJson.string;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.RerankResult;
import dev.llmtestbench.provider.spi.TokenLogprob;
import dev.llmtestbench.provider.spi.ToolCall;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads Cohere's API v2 response bodies; shape problems surface as IllegalStateException, which the
 * provider reports as INVALID_RESPONSE.
 */
final class CohereResponses {

  /** The finish reason Cohere gives when the generation itself failed. */
  static final String FINISH_ERROR = "ERROR";

  private CohereResponses() {}

  /** Token counts from a {@code usage} object (null fields when Cohere gave none). */
  record Usage(Integer input, Integer output, Integer cached) {

    Integer total() {
      return input == null || output == null ? null : input + output;
    }
  }

  /** A non-streamed {@code POST /v2/chat} answer. */
  static Completion chat(JsonObject root, long latency) {
    if (!(root.get("message") instanceof JsonObject message)) {
      throw new IllegalStateException("no message");
    }
    StringBuilder text = new StringBuilder();
    JsonValue content = message.get("content");
    if (content instanceof JsonString string) {
      text.append(string.getString());
    } else if (content instanceof JsonArray items) {
      for (JsonValue item : items) {
        // "thinking" items are the reasoning trace, not the answer.
        if (item instanceof JsonObject part && "text".equals(string(part, "type"))) {
          String chunk = string(part, "text");
          if (chunk == null) {
            throw new IllegalStateException("message.content text item without text");
          }
          text.append(chunk);
        }
      }
    } else if (content != null && content.getValueType() != JsonValue.ValueType.NULL) {
      throw new IllegalStateException("message.content is neither a list nor text");
    }
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonValue value : array(message, "tool_calls")) {
      if (!(value instanceof JsonObject call)) {
        throw new IllegalStateException("message.tool_calls holds a non-object");
      }
      JsonObject function = object(call, "function");
      toolCalls.add(
          new ToolCall(
              string(call, "id"), string(function, "name"), string(function, "arguments")));
    }
    List<TokenLogprob> logprobs = new ArrayList<>();
    for (JsonValue value : array(root, "logprobs")) {
      if (value instanceof JsonObject item) {
        logprobs.add(logprob(item));
      }
    }
    Usage usage = usage(object(root, "usage"));
    return new Completion(
        text.toString(),
        string(root, "finish_reason"),
        usage.input(),
        usage.output(),
        usage.total(),
        latency,
        null,
        string(root, "id"),
        null,
        toolCalls,
        logprobs,
        false,
        usage.cached(),
        false);
  }

  /**
   * The counts in {@code usage.tokens}; {@code usage.billed_units} (which leaves out the tokens
   * Cohere adds itself) only when the true counts are missing.
   */
  static Usage usage(JsonObject usage) {
    JsonObject tokens = object(usage, "tokens");
    if (tokens.isEmpty()) {
      tokens = object(usage, "billed_units");
    }
    return new Usage(
        count(tokens, "input_tokens"),
        count(tokens, "output_tokens"),
        count(usage, "cached_tokens"));
  }

  /**
   * One LogprobItem: a text chunk with one log probability per token it is made of; the chunk's log
   * probability is their sum.
   */
  static TokenLogprob logprob(JsonObject item) {
    double sum = 0;
    for (JsonValue value : array(item, "logprobs")) {
      if (!(value instanceof JsonNumber number)) {
        throw new IllegalStateException("logprobs holds a non-number");
      }
      sum += number.doubleValue();
    }
    String text = string(item, "text");
    return new TokenLogprob(text == null ? "" : text, sum);
  }

  /** A {@code POST /v2/embed} answer with float embeddings, one per input. */
  static EmbeddingResult embed(JsonObject root, int inputs, long latency) {
    JsonValue floats = object(root, "embeddings").get("float");
    if (!(floats instanceof JsonArray rows)) {
      throw new IllegalStateException("no embeddings.float");
    }
    if (rows.size() != inputs) {
      throw new IllegalStateException(rows.size() + " embeddings for " + inputs + " texts");
    }
    List<float[]> vectors = new ArrayList<>(rows.size());
    for (JsonValue row : rows) {
      if (!(row instanceof JsonArray values)) {
        throw new IllegalStateException("an embedding is not a list");
      }
      float[] vector = new float[values.size()];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) values.getJsonNumber(i).doubleValue();
      }
      vectors.add(vector);
    }
    JsonObject meta = object(root, "meta");
    Integer tokens = count(object(meta, "tokens"), "input_tokens");
    if (tokens == null) {
      tokens = count(object(meta, "billed_units"), "input_tokens");
    }
    return new EmbeddingResult(vectors, tokens, latency, null);
  }

  /** A {@code POST /v2/rerank} answer, most relevant first. */
  static RerankResult rerank(JsonObject root, int documents, long latency) {
    if (!(root.get("results") instanceof JsonArray results)) {
      throw new IllegalStateException("no results");
    }
    List<RerankResult.Hit> hits = new ArrayList<>(results.size());
    for (JsonValue value : results) {
      if (!(value instanceof JsonObject result)
          || !(result.get("index") instanceof JsonNumber index)
          || !(result.get("relevance_score") instanceof JsonNumber score)) {
        throw new IllegalStateException("a result without index or relevance_score");
      }
      if (index.intValue() < 0 || index.intValue() >= documents) {
        throw new IllegalStateException(
            "result index " + index.intValue() + " outside the " + documents + " documents");
      }
      hits.add(new RerankResult.Hit(index.intValue(), score.doubleValue()));
    }
    // Cohere already orders by relevance; sorting keeps the SPI's promise whatever it sends.
    hits.sort(Comparator.comparingDouble(RerankResult.Hit::score).reversed());
    return new RerankResult(hits, latency);
  }

  /** One page of {@code GET /v1/models}, added to {@code into}; the next page token or null. */
  static String models(JsonObject root, List<ModelInfo> into) {
    if (!(root.get("models") instanceof JsonArray models)) {
      throw new IllegalStateException("no models");
    }
    for (JsonValue value : models) {
      if (!(value instanceof JsonObject model) || string(model, "name") == null) {
        throw new IllegalStateException("a model without a name");
      }
      List<String> endpoints = new ArrayList<>();
      for (JsonValue endpoint : array(model, "endpoints")) {
        if (endpoint instanceof JsonString name) {
          endpoints.add(name.getString());
        }
      }
      // Cohere gives no description; the endpoints say what the model is for.
      String description =
          endpoints.isEmpty() ? null : "endpoints: " + String.join(", ", endpoints);
      if (model.get("is_deprecated") == JsonValue.TRUE) {
        description = description == null ? "deprecated" : description + " (deprecated)";
      }
      into.add(new ModelInfo(string(model, "name"), description, count(model, "context_length")));
    }
    String next = string(root, "next_page_token");
    return next == null || next.isEmpty() ? null : next;
  }

  /** The message of a Cohere error body ({@code {"message": "..."}}), or the raw body. */
  static String errorMessage(String body) {
    try {
      JsonObject root = CohereJson.readObject(body);
      if (root.get("message") instanceof JsonString text) {
        return text.getString();
      }
      // Gateways in front of Cohere (and OpenAI-style proxies) nest it under "error".
      JsonValue error = root.get("error");
      if (error instanceof JsonString text) {
        return text.getString();
      }
      if (error instanceof JsonObject object && object.get("message") instanceof JsonString text) {
        return text.getString();
      }
    } catch (RuntimeException notJson) {
      // Proxies answer errors in plain text or HTML: fall through to the raw body.
    }
    return body.isBlank() ? "(empty body)" : body;
  }
}
