package dev.llmtestbench.provider.measure;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected counts are the published ones of OpenAI's cookbook "How to count tokens with tiktoken"
 * (https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb,
 * https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken): section 5 compares
 * encodings on example strings, section 6 counts an example conversation at 129 prompt tokens for
 * gpt-4 / gpt-3.5-turbo and 124 for gpt-4o / gpt-4o-mini, as the API reported. Each number was also
 * checked against jtokkit 1.1.0.
 */
class TokenEstimatorTest {

  private final TokenEstimator estimator = new TokenEstimator();

  @Test
  void shouldCountHelloWorldAsTwoTokensInBothEncodings() {
    assertEquals(2, estimator.count("gpt-4", "hello world"));
    assertEquals(2, estimator.count("gpt-4o", "hello world"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tiktoken is great!           | 6 | 6",
        "antidisestablishmentarianism | 6 | 6",
        "2 + 2 = 4                    | 7 | 7",
        "お誕生日おめでとう                    | 9 | 8"
      })
  void shouldMatchCookbookCountsPerEncoding(String text, int cl100k, int o200k) {
    assertEquals(cl100k, estimator.count("gpt-4", text), "cl100k_base (gpt-4)");
    assertEquals(o200k, estimator.count("gpt-4o", text), "o200k_base (gpt-4o)");
  }

  @Test
  void shouldCountCookbookConversationAs129ForGpt4And124ForGpt4o() {
    // ChatMessage has no name field, so the cookbook's four named messages are counted here the
    // way its function does: the name's tokens plus tokens_per_name.
    List<ChatMessage> messages =
        List.of(
            new ChatMessage(
                "system",
                "You are a helpful, pattern-following assistant that translates corporate jargon"
                    + " into plain English."),
            new ChatMessage("system", "New synergies will help drive top-line growth."),
            new ChatMessage("system", "Things working well together will increase revenue."),
            new ChatMessage(
                "system",
                "Let's circle back when we have more bandwidth to touch base on opportunities for"
                    + " increased leverage."),
            new ChatMessage(
                "system", "Let's talk later when we're less busy about how to do better."),
            new ChatMessage(
                "user",
                "This late pivot means we don't have time to boil the ocean for the client"
                    + " deliverable."));
    List<String> names =
        List.of("example_user", "example_assistant", "example_user", "example_assistant");

    assertEquals(129, estimator.countPrompt("gpt-4", messages) + nameTokens("gpt-4", names));
    assertEquals(124, estimator.countPrompt("gpt-4o", messages) + nameTokens("gpt-4o", names));
  }

  @Test
  void shouldCountOnlyReplyPrimingForAnEmptyConversation() {
    assertEquals(TokenEstimator.REPLY_PRIMING_TOKENS, estimator.countPrompt("gpt-4o", List.of()));
  }

  @ParameterizedTest
  @CsvSource({
    "gpt-4o, o200k_base",
    "gpt-4o-mini-2024-07-18, o200k_base",
    "GPT-4O, o200k_base",
    "chatgpt-4o-latest, o200k_base",
    "gpt-4.1-nano, o200k_base",
    "gpt-4.5-preview, o200k_base",
    "o1, o200k_base",
    "o3-mini, o200k_base",
    "o4-mini, o200k_base",
    "gpt-5, o200k_base",
    "gpt-5-mini, o200k_base",
    "gpt-6.1-sol, o200k_base",
    "gpt-oss-120b, o200k_base",
    "ft:gpt-4o-mini-2024-07-18:acme::abc123, o200k_base",
    "openai/gpt-4o, o200k_base",
    "gpt-4, cl100k_base",
    "gpt-4-turbo, cl100k_base",
    "gpt-4-0613, cl100k_base",
    "gpt-3.5-turbo, cl100k_base",
    "gpt-35-turbo, cl100k_base",
    "text-embedding-3-small, cl100k_base",
    "claude-sonnet-5-5, cl100k_base",
    "gemini-2.5-flash, cl100k_base",
    "llama3.1:8b, cl100k_base",
    "omni-model, cl100k_base"
  })
  void shouldChooseEncodingByModelFamily(String model, String encoding) {
    assertEquals(encoding, TokenEstimator.encodingName(model));
  }

  @Test
  void shouldApproximateUnknownAndMissingModelsWithCl100k() {
    assertEquals("cl100k_base", TokenEstimator.encodingName(null));
    assertEquals(9, estimator.count(null, "お誕生日おめでとう"));
    assertEquals(9, estimator.count("mistral-large-latest", "お誕生日おめでとう"));
  }

  @Test
  void shouldCountSpecialTokenLookalikesAsOrdinaryText() {
    int tokens = assertDoesNotThrow(() -> estimator.count("gpt-4", "a <|endoftext|> b"));
    assertTrue(tokens > 3, "the marker must be split into ordinary tokens, was " + tokens);
  }

  @Test
  void shouldCountNothingInNullOrEmptyText() {
    assertEquals(0, estimator.count("gpt-4o", null));
    assertEquals(0, estimator.count("gpt-4o", ""));
  }

  @Test
  void shouldReturnTheSameCompletionWhenTheProviderReportedBothCounts() {
    Completion reported = new Completion("4", "stop", 12, 1, 13, 1_000, "gpt-4o", "req-1");

    assertSame(reported, estimator.estimateIfMissing("gpt-4o", request("gpt-4o"), reported));
  }

  @Test
  void shouldEstimateBothCountsWhenTheProviderReportedNone() {
    CompletionRequest request = request("gpt-4o");
    Completion bare = new Completion("hello world", "stop", null, null, null, 1_000, null, null);

    Completion estimated = estimator.estimateIfMissing("gpt-4o", request, bare);

    int prompt = estimator.countPrompt("gpt-4o", request.messages());
    assertEquals(prompt, estimated.promptTokens());
    assertEquals(2, estimated.completionTokens());
    assertEquals(prompt + 2, estimated.totalTokens());
    assertTrue(estimated.tokensEstimated());
    assertEquals("hello world", estimated.text());
    assertEquals(1_000, estimated.latencyNanos());
  }

  @Test
  void shouldKeepTheReportedPromptCountAndEstimateOnlyTheMissingOne() {
    Completion partial = new Completion("hello world", "stop", 42, null, null, 1, null, null);

    Completion estimated = estimator.estimateIfMissing("gpt-4o", request("gpt-4o"), partial);

    assertEquals(42, estimated.promptTokens());
    assertEquals(2, estimated.completionTokens());
    assertTrue(estimated.tokensEstimated());
  }

  @Test
  void shouldCountToolCallNamesAndArgumentsAsCompletionTokens() {
    ToolCall call = new ToolCall("call-1", "get_weather", "{\"city\":\"Paris\"}");
    Completion withCall =
        new Completion(
            "",
            "tool_calls",
            10,
            null,
            null,
            1,
            null,
            null,
            null,
            List.of(call),
            null,
            false,
            null,
            false);

    Completion estimated = estimator.estimateIfMissing("gpt-4o", request("gpt-4o"), withCall);

    int expected =
        estimator.count("gpt-4o", "get_weather")
            + estimator.count("gpt-4o", "{\"city\":\"Paris\"}");
    assertEquals(expected, estimated.completionTokens());
    assertTrue(expected > 0);
  }

  @Test
  void shouldUseTheRequestModelWhenNoModelIsGiven() {
    Completion bare = new Completion("お誕生日おめでとう", "stop", 1, null, null, 1, null, null);

    assertEquals(8, estimator.estimateIfMissing(null, request("gpt-4o"), bare).completionTokens());
    assertEquals(9, estimator.estimateIfMissing(null, request("gpt-4"), bare).completionTokens());
  }

  @Test
  void shouldGiveTheSameCountsFromManyThreadsAtOnce() throws Exception {
    String text = "antidisestablishmentarianism ".repeat(200);
    int expected = new TokenEstimator().count("gpt-4o", text);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> counts = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String model = i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini";
        counts.add(pool.submit(() -> new TokenEstimator().count(model, text)));
      }
      for (Future<Integer> count : counts) {
        assertEquals(expected, count.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertFalse(expected == 0);
  }

  private int nameTokens(String model, List<String> names) {
    return names.stream()
        .mapToInt(name -> estimator.count(model, name) + TokenEstimator.TOKENS_PER_NAME)
        .sum();
  }

  private static CompletionRequest request(String model) {
    return new CompletionRequest(
        model,
        List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "2 + 2 = ?")),
        0.0,
        16,
        Map.of(),
        null);
  }
}
