package dev.llmtestbench.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.Grader;
import dev.llmtestbench.evaluation.domain.ModelGradedAssertion;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ProviderConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A judge over the real OpenAI wire format: the judge assertion's request as the adapter sends it
 * to a loopback server, and scripted judge answers, malformed ones included, as OpenAI frames them.
 */
class OpenAiJudgeTest {

  private FakeOpenAiServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A chat completion as OpenAI sends it, with the given assistant content. */
  private static String completion(String content) {
    return Json.createObjectBuilder()
        .add("id", "chatcmpl-judge")
        .add("object", "chat.completion")
        .add("created", 1741569952)
        .add("model", "gpt-4o-mini-2024-07-18")
        .add(
            "choices",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("index", 0)
                        .add(
                            "message",
                            Json.createObjectBuilder()
                                .add("role", "assistant")
                                .add("content", content))
                        .add("finish_reason", "stop")))
        .add(
            "usage",
            Json.createObjectBuilder()
                .add("prompt_tokens", 120)
                .add("completion_tokens", 20)
                .add("total_tokens", 140))
        .build()
        .toString();
  }

  /** Starts a server answering with the scripted contents in turn. */
  private OpenAiCompatibleProvider judgeServer(String... contents) throws Exception {
    Deque<String> script = new ArrayDeque<>(List.of(contents));
    server =
        new FakeOpenAiServer(
            exchange -> FakeOpenAiServer.respond(exchange, 200, completion(script.poll())));
    return new OpenAiCompatibleProvider(
        new ProviderConfig(
            "judge",
            "openai",
            server.baseUrl(),
            "sk-test",
            List.of("gpt-4o-mini"),
            Duration.ofSeconds(10),
            Map.of()));
  }

  /** A grader that calls the adapter straight, as the product's grader does through a guard. */
  private static Grader through(OpenAiCompatibleProvider provider) {
    return new Grader() {
      @Override
      public CompletableFuture<Completion> complete(String ref, CompletionRequest request) {
        return provider.complete(
            request.with("gpt-4o-mini", Duration.ofSeconds(10), false, request.options()));
      }

      @Override
      public CompletableFuture<List<float[]>> embed(String ref, List<String> texts) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
      }
    };
  }

  private static AssertionResult grade(
      String type, String value, Map<String, Object> options, Grader g) throws Exception {
    var a =
        (ModelGradedAssertion)
            Assertions.compile(new AssertionSpec(type, value, null, null, null, "judge", options));
    return a.evaluateAsync(
            new EvaluationContext("What is the capital of France?", "Paris.", "Paris", 5, Map.of()),
            g)
        .get(10, TimeUnit.SECONDS);
  }

  private JsonObject request() throws Exception {
    return Json.createReader(new StringReader(server.takeRequest().body())).readObject();
  }

  @Test
  void shouldSendTheSchemaAsResponseFormatAndReadTheVerdict() throws Exception {
    var provider = judgeServer("{\"reason\": \"It names Paris.\", \"pass\": true, \"score\": 1}");
    AssertionResult r = grade("llm-rubric", "Names the capital", null, through(provider));
    assertTrue(r.pass(), r.toString());
    assertTrue(r.reason().contains("It names Paris."), r.reason());

    JsonObject body = request();
    JsonObject format = body.getJsonObject("response_format");
    assertEquals("json_schema", format.getString("type"));
    assertEquals("llm-rubric", format.getJsonObject("json_schema").getString("name"));
    assertTrue(format.getJsonObject("json_schema").getBoolean("strict"));
    assertEquals(
        List.of("reason", "pass", "score"),
        format
            .getJsonObject("json_schema")
            .getJsonObject("schema")
            .getJsonArray("required")
            .getValuesAs(jakarta.json.JsonString::getString));
    assertEquals(0, body.getJsonNumber("temperature").intValue());
    assertEquals("system", body.getJsonArray("messages").getJsonObject(0).getString("role"));
  }

  @Test
  void shouldAskAgainAfterMalformedAnswersOverTheWire() throws Exception {
    var provider =
        judgeServer(
            "The answer is correct.",
            "{\"category\": \"C\"}",
            "{\"category\": \"D\", \"reason\": \"It says Lyon.\"}");
    AssertionResult r = grade("factuality", null, null, through(provider));
    assertFalse(r.pass(), r.toString());
    assertTrue(r.reason().startsWith("(D) It says Lyon."), r.reason());
    request();
    request();
    JsonObject third = request();
    var messages = third.getJsonArray("messages");
    assertEquals(6, messages.size(), "system, user, then each malformed answer and the correction");
    assertEquals("{\"category\": \"C\"}", messages.getJsonObject(4).getString("content"));
    assertTrue(messages.getJsonObject(5).getString("content").contains("reason"));
  }

  @Test
  void shouldGiveUpAfterTheRetriesWithAFailingResult() throws Exception {
    var provider = judgeServer("nope", "[1, 2]");
    AssertionResult r =
        grade("model-graded-closedqa", "is short", Map.of("retries", 1), through(provider));
    assertFalse(r.pass());
    assertTrue(r.reason().contains("malformed after 2 attempts"), r.reason());
    assertTrue(r.reason().contains("expected a JSON object"), r.reason());
    assertEquals(0.0, r.score());
  }
}
