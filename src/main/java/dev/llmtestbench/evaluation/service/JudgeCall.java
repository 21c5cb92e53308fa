package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ResponseFormat;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One structured exchange with a judge: asks with the prompt's JSON Schema as the response format,
 * parses the answer strictly (one JSON object, optionally in a Markdown code fence, matching the
 * schema, then the caller's own check), and on a malformed answer asks again, at most {@code
 * retries} times, telling the judge what was wrong.
 */
final class JudgeCall {

  /** Thrown (inside the future) when the judge's answers stayed malformed or it failed. */
  static final class JudgeFailure extends RuntimeException {
    JudgeFailure(String message) {
      super(message);
    }
  }

  private final Grader grader;
  private final String provider;
  private final JudgePrompt prompt;
  private final JsonSchemaSubset schema;
  private final Function<JsonObject, String> check;
  private final Double temperature;
  private final Integer maxTokens;
  private final int retries;

  /**
   * @param check returns what is wrong with a schema-valid answer, or null when it is usable
   */
  JudgeCall(
      Grader grader,
      String provider,
      JudgePrompt prompt,
      Function<JsonObject, String> check,
      Double temperature,
      Integer maxTokens,
      int retries) {
    this.grader = grader;
    this.provider = provider;
    this.prompt = prompt;
    this.schema = schema(prompt);
    this.check = check == null ? o -> null : check;
    this.temperature = temperature;
    this.maxTokens = maxTokens;
    this.retries = retries;
  }

  static JsonSchemaSubset schema(JudgePrompt prompt) {
    return JsonSchemaSubset.compile(
        prompt.schema(),
        p -> new InvalidAssertionException(0, prompt.id(), "built-in judge schema: " + p));
  }

  /** Asks the judge with the prompt rendered against the values. */
  CompletableFuture<JsonObject> ask(Map<String, Object> values) {
    List<ChatMessage> messages = new ArrayList<>(2);
    messages.add(
        new ChatMessage(
            "system",
            prompt.renderSystem(values)
                + "\n\nAnswer with only one JSON object matching this JSON Schema, and no other"
                + " text:\n"
                + prompt.schema()));
    messages.add(new ChatMessage("user", prompt.renderUser(values)));
    return attempt(messages, 0);
  }

  private CompletableFuture<JsonObject> attempt(List<ChatMessage> messages, int attempt) {
    CompletionRequest request =
        new CompletionRequest(
            null,
            messages,
            temperature,
            maxTokens,
            null,
            null,
            false,
            null,
            new ResponseFormat(ResponseFormat.JSON_SCHEMA, prompt.id(), prompt.schema()),
            null);
    return grader
        .complete(provider, request)
        .thenCompose(
            completion -> {
              String text = completion.text() == null ? "" : completion.text();
              String problem;
              JsonObject answer = null;
              try {
                answer = parse(text);
                problem = check.apply(answer);
              } catch (IllegalArgumentException e) {
                problem = e.getMessage();
              }
              if (problem == null) {
                return CompletableFuture.completedFuture(answer);
              }
              if (attempt >= retries) {
                return CompletableFuture.failedFuture(
                    new JudgeFailure(
                        "the judge's answer was malformed after "
                            + (attempt + 1)
                            + (attempt == 0 ? " attempt" : " attempts")
                            + " ("
                            + problem
                            + "): "
                            + BaseAssertion.quote(text)));
              }
              List<ChatMessage> next = new ArrayList<>(messages);
              next.add(new ChatMessage("assistant", text));
              next.add(
                  new ChatMessage(
                      "user",
                      "That answer is not valid: "
                          + problem
                          + ". Answer again with only the JSON object the schema describes."));
              return attempt(next, attempt + 1);
            });
  }

  /**
   * Parses an answer: exactly one JSON object, optionally inside one Markdown code fence, that
   * matches the schema.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  JsonObject parse(String text) {
    String body = unfenced(text.strip());
    JsonValue value;
    try {
      value = JsonSupport.parse(body);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a single JSON value: " + JsonSupport.message(e));
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(
          "expected a JSON object, got " + JsonSupport.describe(value));
    }
    String violation = schema.violation(object);
    if (violation != null) {
      throw new IllegalArgumentException("does not match the schema: " + violation);
    }
    return object;
  }

  private static String unfenced(String text) {
    if (!text.startsWith("```") || !text.endsWith("```") || text.length() < 6) {
      return text;
    }
    int firstLineEnd = text.indexOf('\n');
    if (firstLineEnd < 0) {
      return text;
    }
    return text.substring(firstLineEnd + 1, text.length() - 3).strip();
  }
}
