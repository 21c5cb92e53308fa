package dev.llmtestbench.provider.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ResponseFormat;
import dev.llmtestbench.provider.spi.ToolSpec;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheKeysTest {

  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

  @Test
  void shouldGiveEqualRequestsTheSameKey() {
    String first = CacheKeys.of("openai", "gpt-4o-mini", base());
    String second = CacheKeys.of("openai", "gpt-4o-mini", base());

    assertEquals(first, second);
    assertTrue(first.matches("[0-9a-f]{64}"), first);
  }

  @Test
  void shouldHashTheDocumentedCanonicalJson() throws Exception {
    CompletionRequest request =
        new CompletionRequest(
            "m", List.of(new ChatMessage("user", "hi")), 0.5, 10, Map.of("b", "2", "a", "1"), null);
    String canonical =
        "{\"format\":1,\"maxTokens\":10,\"messages\":[{\"content\":\"hi\",\"parts\":[],"
            + "\"role\":\"user\"}],\"model\":\"m\",\"options\":{\"a\":\"1\",\"b\":\"2\"},"
            + "\"provider\":\"p\",\"responseFormat\":null,\"temperature\":0.5,\"tools\":[],"
            + "\"topLogprobs\":null}";

    assertEquals(sha256(canonical), CacheKeys.of("p", null, request));
    assertEquals(
        sha256(canonical.replace("\"provider\":\"p\",", "\"provider\":\"p\",\"repeat\":3,")),
        CacheKeys.of("p", null, request, 3, false));
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        change("provider", r -> r, "anthropic", null),
        change("model", r -> r, null, "gpt-4o"),
        change("request model when none given", r -> r.with("gpt-4.1", null, false, r.options())),
        change("message role", r -> withMessages(r, new ChatMessage("system", "2 + 2 = ?"))),
        change("message content", r -> withMessages(r, new ChatMessage("user", "2 + 3 = ?"))),
        change(
            "extra message",
            r ->
                withMessages(
                    r, new ChatMessage("user", "2 + 2 = ?"), new ChatMessage("assistant", "4"))),
        change(
            "image part",
            r ->
                withMessages(
                    r,
                    new ChatMessage(
                        "user", "2 + 2 = ?", List.of(ContentPart.image("image/png", "iVBORw0K"))))),
        change(
            "image data",
            r ->
                withMessages(
                    r,
                    new ChatMessage(
                        "user", "2 + 2 = ?", List.of(ContentPart.image("image/png", "iVBORw0L"))))),
        change(
            "image by url",
            r ->
                withMessages(
                    r,
                    new ChatMessage(
                        "user",
                        "2 + 2 = ?",
                        List.of(
                            new ContentPart(
                                ContentPart.IMAGE, "image/png", null, "https://x.test/a.png"))))),
        change(
            "temperature",
            r -> copy(r, 0.7, r.maxTokens(), r.tools(), r.responseFormat(), r.topLogprobs())),
        change(
            "no temperature",
            r -> copy(r, null, r.maxTokens(), r.tools(), r.responseFormat(), r.topLogprobs())),
        change(
            "max tokens",
            r -> copy(r, r.temperature(), 17, r.tools(), r.responseFormat(), r.topLogprobs())),
        change(
            "tool description",
            r ->
                copy(
                    r,
                    r.temperature(),
                    r.maxTokens(),
                    List.of(new ToolSpec("weather", "Weather today.", SCHEMA)),
                    r.responseFormat(),
                    r.topLogprobs())),
        change(
            "tool schema",
            r ->
                copy(
                    r,
                    r.temperature(),
                    r.maxTokens(),
                    List.of(new ToolSpec("weather", "Current weather.", null)),
                    r.responseFormat(),
                    r.topLogprobs())),
        change(
            "no tools",
            r ->
                copy(
                    r,
                    r.temperature(),
                    r.maxTokens(),
                    List.of(),
                    r.responseFormat(),
                    r.topLogprobs())),
        change(
            "response format",
            r ->
                copy(
                    r,
                    r.temperature(),
                    r.maxTokens(),
                    r.tools(),
                    ResponseFormat.jsonObject(),
                    r.topLogprobs())),
        change(
            "no response format",
            r -> copy(r, r.temperature(), r.maxTokens(), r.tools(), null, r.topLogprobs())),
        change(
            "top logprobs",
            r -> copy(r, r.temperature(), r.maxTokens(), r.tools(), r.responseFormat(), 5)),
        change(
            "option value", r -> r.with(r.model(), r.timeout(), r.stream(), Map.of("seed", "8"))),
        change(
            "expected answer",
            r -> r.with(r.model(), r.timeout(), r.stream(), Map.of("seed", "7", "expected", "5"))),
        change("no options", r -> r.with(r.model(), r.timeout(), r.stream(), Map.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void shouldGiveAnyChangeThatCanChangeTheAnswerADifferentKey(
      String what, UnaryOperator<CompletionRequest> change, String provider, String model) {
    String before = CacheKeys.of("openai", "gpt-4o-mini", base());
    String after =
        CacheKeys.of(
            provider != null ? provider : "openai",
            model != null ? model : what.startsWith("request model") ? null : "gpt-4o-mini",
            change.apply(base()));

    assertNotEquals(before, after, what);
  }

  @Test
  void shouldGiveEveryChangeItsOwnKey() {
    Set<String> keys = new HashSet<>();
    keys.add(CacheKeys.of("openai", "gpt-4o-mini", base()));
    changes()
        .forEach(
            args -> {
              Object[] a = args.get();
              @SuppressWarnings("unchecked")
              UnaryOperator<CompletionRequest> change = (UnaryOperator<CompletionRequest>) a[1];
              String provider = a[2] != null ? (String) a[2] : "openai";
              String model =
                  a[3] != null
                      ? (String) a[3]
                      : ((String) a[0]).startsWith("request model") ? null : "gpt-4o-mini";
              keys.add(CacheKeys.of(provider, model, change.apply(base())));
            });

    assertEquals(changes().count() + 1, keys.size());
  }

  @Test
  void shouldIgnoreTheOrderOfOptions() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    CompletionRequest r = base();

    assertEquals(
        CacheKeys.of("openai", "m", r.with("m", null, false, ab)),
        CacheKeys.of("openai", "m", r.with("m", null, false, ba)));
  }

  @Test
  void shouldIgnoreTheLayoutAndKeyOrderOfJsonSchemas() {
    String reformatted =
        "{\n  \"required\": [\"city\"],\n  \"properties\": {\"city\": {\"type\": \"string\"}},\n"
            + "  \"type\": \"object\"\n}";
    CompletionRequest original = base();
    CompletionRequest relaid =
        copy(
            original,
            original.temperature(),
            original.maxTokens(),
            List.of(new ToolSpec("weather", "Current weather.", reformatted)),
            new ResponseFormat(ResponseFormat.JSON_SCHEMA, "answer", reformatted),
            original.topLogprobs());
    CompletionRequest sameSchemaTexts =
        copy(
            original,
            original.temperature(),
            original.maxTokens(),
            original.tools(),
            new ResponseFormat(ResponseFormat.JSON_SCHEMA, "answer", SCHEMA),
            original.topLogprobs());

    assertEquals(CacheKeys.of("openai", "m", sameSchemaTexts), CacheKeys.of("openai", "m", relaid));
  }

  @Test
  void shouldKeyAnInvalidSchemaOnItsText() {
    CompletionRequest r = base();
    CompletionRequest broken =
        copy(
            r,
            r.temperature(),
            r.maxTokens(),
            List.of(new ToolSpec("weather", "Current weather.", "{not json")),
            r.responseFormat(),
            r.topLogprobs());
    CompletionRequest otherBroken =
        copy(
            r,
            r.temperature(),
            r.maxTokens(),
            List.of(new ToolSpec("weather", "Current weather.", "{not json either")),
            r.responseFormat(),
            r.topLogprobs());

    assertNotEquals(CacheKeys.of("openai", "m", broken), CacheKeys.of("openai", "m", otherBroken));
  }

  @Test
  void shouldIgnoreTimeoutAndStreamingWhichDoNotChangeTheAnswer() {
    CompletionRequest r = base();

    assertEquals(
        CacheKeys.of("openai", "m", r),
        CacheKeys.of("openai", "m", r.with(r.model(), Duration.ofSeconds(3), true, r.options())));
  }

  @Test
  void shouldGiveEachRepeatItsOwnKeyByDefault() {
    CompletionRequest r = base();
    String first = CacheKeys.of("openai", "m", r, 0, false);
    String second = CacheKeys.of("openai", "m", r, 1, false);

    assertNotEquals(first, second);
    assertNotEquals(CacheKeys.of("openai", "m", r), first);
    assertEquals(first, CacheKeys.of("openai", "m", r, 0, false));
  }

  @Test
  void shouldShareOneKeyAcrossRepeatsWhenTheRunOptsIn() {
    CompletionRequest r = base();

    assertEquals(CacheKeys.of("openai", "m", r), CacheKeys.of("openai", "m", r, 0, true));
    assertEquals(CacheKeys.of("openai", "m", r), CacheKeys.of("openai", "m", r, 7, true));
  }

  @Test
  void shouldRejectANegativeRepeatIndex() {
    assertThrows(
        IllegalArgumentException.class, () -> CacheKeys.of("openai", "m", base(), -1, false));
  }

  @Test
  void shouldKeepEveryOptionWhileNoneIsDeclaredAnswerNeutral() {
    assertTrue(CacheKeys.ANSWER_NEUTRAL_OPTIONS.isEmpty());
  }

  @Test
  void shouldWriteCanonicalJson() throws Exception {
    StringBuilder out = new StringBuilder();
    Object value =
        Json.createReader(
                new StringReader(
                    "{\"b\": 1.50, \"a\": [true, null, \"x\\n\\u0001\\\"\"], \"c\": 10.0,"
                        + " \"\u00e9\": {\"z\": 0.0, \"y\": -2E2}}"))
            .readValue();

    CanonicalJson.write(value, out);

    assertEquals(
        "{\"a\":[true,null,\"x\\n\\u0001\\\"\"],\"b\":1.5,\"c\":10,\"\u00e9\":{\"y\":-200,\"z\":0}}",
        out.toString());
  }

  @Test
  void shouldEscapeLoneSurrogatesSoDistinctStringsStayDistinct() throws Exception {
    StringBuilder lone = new StringBuilder();
    StringBuilder pair = new StringBuilder();

    CanonicalJson.write("\ud83d", lone);
    CanonicalJson.write("\ud83d\ude00", pair);

    assertEquals("\"\\ud83d\"", lone.toString());
    assertEquals("\"\ud83d\ude00\"", pair.toString());
  }

  private static CompletionRequest base() {
    return new CompletionRequest(
        "gpt-4o-mini",
        List.of(new ChatMessage("user", "2 + 2 = ?")),
        0.0,
        16,
        Map.of("seed", "7"),
        Duration.ofSeconds(30),
        false,
        List.of(new ToolSpec("weather", "Current weather.", SCHEMA)),
        new ResponseFormat(ResponseFormat.JSON_SCHEMA, "answer", SCHEMA),
        null);
  }

  private static CompletionRequest withMessages(CompletionRequest r, ChatMessage... messages) {
    return new CompletionRequest(
        r.model(),
        List.of(messages),
        r.temperature(),
        r.maxTokens(),
        r.options(),
        r.timeout(),
        r.stream(),
        r.tools(),
        r.responseFormat(),
        r.topLogprobs());
  }

  private static CompletionRequest copy(
      CompletionRequest r,
      Double temperature,
      Integer maxTokens,
      List<ToolSpec> tools,
      ResponseFormat format,
      Integer topLogprobs) {
    return new CompletionRequest(
        r.model(),
        r.messages(),
        temperature,
        maxTokens,
        r.options(),
        r.timeout(),
        r.stream(),
        tools,
        format,
        topLogprobs);
  }

  private static Arguments change(String what, UnaryOperator<CompletionRequest> change) {
    return change(what, change, null, null);
  }

  private static Arguments change(
      String what, UnaryOperator<CompletionRequest> change, String provider, String model) {
    return Arguments.of(what, change, provider, model);
  }

  private static String sha256(String text) throws Exception {
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : hash) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }
}
