package dev.llmtestbench.provider.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PricingTableTest {

  private static final double EXACT = 1e-15;

  // Prices of the brief's example; the arithmetic below depends only on these numbers.
  private static final String TABLE =
      """
      {"version": "test-1", "currency": "USD", "unit": "per 1M tokens",
       "sources": {"openai": "https://example.test/pricing"},
       "prices": [
         {"adapter": "openai", "model": "gpt-4o-mini", "input": 0.15, "cachedInput": 0.075,
          "output": 0.60},
         {"adapter": "openai", "model": "gpt-4o", "input": 2.50, "cachedInput": 1.25,
          "output": 10.00},
         {"adapter": "openai", "model": "gpt-4o-mini-2024-07-18", "input": 0.16, "output": 0.61},
         {"adapter": "openai", "model": "no-cache", "input": 1.00, "output": 2.00},
         {"adapter": "openai", "model": "long", "input": 1.00, "cachedInput": 0.10,
          "output": 5.00,
          "longContext": {"aboveInputTokens": 1000, "input": 2.00, "cachedInput": 0.20,
                          "output": 7.50}},
         {"adapter": "openai", "model": "embed", "type": "embedding", "input": 0.02},
         {"adapter": "gemini", "model": "gemini-x", "input": 0.30, "output": 2.50},
         {"adapter": "ollama", "model": "*", "input": 0, "output": 0}
       ]}
      """;

  private final PricingTable table = PricingTable.parse(new StringReader(TABLE));

  @Test
  void shouldPriceUncachedPromptAndCompletionTokensExactly() {
    CostDetails cost = table.cost("openai", "gpt-4o-mini", completion(1_000, 0, 500)).orElseThrow();

    assertEquals(0.000_15, cost.promptCost(), EXACT);
    assertEquals(0.000_3, cost.completionCost(), EXACT);
    assertEquals(0.000_45, cost.totalCost(), EXACT);
    assertEquals(0, cost.cacheSavings(), EXACT);
    assertEquals("test-1", cost.pricingVersion());
    assertFalse(cost.estimated());
    assertNull(cost.imageCost());
    assertNull(cost.audioCost());
    assertNull(cost.embeddingCost());
  }

  @Test
  void shouldPriceCachedPromptTokensAtTheCachedRateAndCountTheSavings() {
    // 600 uncached at 0.15 + 400 cached at 0.075 per 1M; the cache saved 400 x 0.075 per 1M.
    CostDetails cost =
        table.cost("openai", "gpt-4o-mini", completion(1_000, 400, 2_000)).orElseThrow();

    assertEquals(0.000_09 + 0.000_03, cost.promptCost(), EXACT);
    assertEquals(0.001_2, cost.completionCost(), EXACT);
    assertEquals(0.001_32, cost.totalCost(), EXACT);
    assertEquals(0.000_03, cost.cacheSavings(), EXACT);
  }

  @Test
  void shouldPriceCachedTokensAtTheInputRateWhenTheModelHasNoCacheDiscount() {
    CostDetails cost = table.cost("openai", "no-cache", completion(1_000, 400, 0)).orElseThrow();

    assertEquals(0.001, cost.promptCost(), EXACT);
    assertEquals(0, cost.cacheSavings(), EXACT);
  }

  @Test
  void shouldNeverCountMoreCachedTokensThanPromptTokens() {
    CostDetails cost = table.cost("openai", "gpt-4o-mini", completion(100, 1_000, 0)).orElseThrow();

    assertEquals(100 * 0.075 / 1e6, cost.promptCost(), EXACT);
    assertEquals(100 * 0.075 / 1e6, cost.cacheSavings(), EXACT);
  }

  @Test
  void shouldRepriceTheWholeRequestAboveTheLongContextThreshold() {
    CostDetails atThreshold =
        table.cost("openai", "long", completion(1_000, 0, 1_000)).orElseThrow();
    CostDetails above = table.cost("openai", "long", completion(1_001, 1, 1_000)).orElseThrow();

    assertEquals(0.001 + 0.005, atThreshold.totalCost(), EXACT);
    assertEquals((1_000 * 2.00 + 1 * 0.20) / 1e6, above.promptCost(), EXACT);
    assertEquals(0.007_5, above.completionCost(), EXACT);
    assertEquals(1 * (2.00 - 0.20) / 1e6, above.cacheSavings(), EXACT);
  }

  @Test
  void shouldMarkTheCostEstimatedWhenTheTokenCountsWere() {
    Completion estimated =
        new Completion("x", "stop", null, null, null, 1, null, null).withEstimatedTokens(10, 5);

    assertTrue(table.cost("openai", "gpt-4o", estimated).orElseThrow().estimated());
  }

  @Test
  void shouldPriceADatedSnapshotAsItsFamilyByLongestPrefix() {
    assertEquals(
        ModelPrice.of(0.15, 0.075, 0.60), table.price("openai", "gpt-4o-mini-2024-09-01").get());
    assertEquals(
        ModelPrice.of(2.50, 1.25, 10.00), table.price("openai", "gpt-4o-2024-08-06").get());
  }

  @Test
  void shouldPreferAnExactMatchOverAShorterPrefix() {
    assertEquals(ModelPrice.of(0.16, 0.61), table.price("openai", "gpt-4o-mini-2024-07-18").get());
  }

  @Test
  void shouldMatchAdapterAndModelIgnoringCaseAndTheGeminiResourcePrefix() {
    assertTrue(table.price("OpenAI", "GPT-4o-Mini").isPresent());
    assertEquals(ModelPrice.of(0.30, 2.50), table.price("gemini", "models/gemini-x").get());
  }

  @Test
  void shouldHaveNoCostForAnUnknownModelOrAdapter() {
    Completion c = completion(1_000, 0, 500);

    assertTrue(table.cost("openai", "gpt-unknown", c).isEmpty());
    assertTrue(table.cost("mistral", "gpt-4o-mini", c).isEmpty());
    assertTrue(table.price("gemini", "gpt-4o-mini").isEmpty());
    assertTrue(table.cost(null, "gpt-4o-mini", c).isEmpty());
  }

  @Test
  void shouldHaveNoCostWhenTheCompletionCarriesNoTokenCounts() {
    Completion bare = new Completion("x", "stop", null, null, null, 1, null, null);

    assertTrue(table.cost("openai", "gpt-4o-mini", bare).isEmpty());
  }

  @Test
  void shouldPriceEveryModelOfAWildcardAdapterAtZero() {
    CostDetails cost =
        table.cost("ollama", "llama3.1:8b", completion(10_000, 0, 10_000)).orElseThrow();

    assertEquals(0, cost.totalCost());
  }

  @Test
  void shouldLetAnOverrideReplaceTheListPriceOfTheSameModel() {
    PricingTable withOverride =
        table.withOverrides(Map.of("openai/gpt-4o-mini", ModelPrice.of(1.0, 2.0)));

    assertEquals(ModelPrice.of(1.0, 2.0), withOverride.price("openai", "gpt-4o-mini").get());
    assertEquals(
        ModelPrice.of(1.0, 2.0), withOverride.price("openai", "gpt-4o-mini-2024-09-01").get());
    assertEquals(
        0.003,
        withOverride.cost("openai", "gpt-4o-mini", completion(1_000, 0, 1_000)).get().totalCost(),
        EXACT);
    // The original table is untouched.
    assertEquals(ModelPrice.of(0.15, 0.075, 0.60), table.price("openai", "gpt-4o-mini").get());
  }

  @Test
  void shouldKeepAMoreSpecificListPriceOverABroaderOverride() {
    PricingTable withOverride =
        table.withOverrides(Map.of("openai/gpt-4o", ModelPrice.of(9.0, 9.0)));

    assertEquals(ModelPrice.of(9.0, 9.0), withOverride.price("openai", "gpt-4o-2024-08-06").get());
    assertEquals(
        ModelPrice.of(0.15, 0.075, 0.60), withOverride.price("openai", "gpt-4o-mini").get());
  }

  @Test
  void shouldPriceLocalAndUnlistedModelsFromOverrides() {
    PricingTable withOverrides =
        table.withOverrides(
            PricingTable.overridesFrom(
                Map.of(
                    "ltb.pricing.ollama.llama3.1:8b.input", "0.05",
                    "ltb.pricing.ollama.llama3.1:8b.output", "0.10",
                    "ltb.pricing.mistral.mistral-large-latest.input", "2",
                    "ltb.pricing.mistral.mistral-large-latest.output", "6")));

    assertEquals(ModelPrice.of(0.05, 0.10), withOverrides.price("ollama", "llama3.1:8b").get());
    assertEquals(ModelPrice.free(), withOverrides.price("ollama", "qwen3:4b").get());
    assertEquals(
        0.008,
        withOverrides
            .cost("mistral", "mistral-large-latest", completion(1_000, 0, 1_000))
            .get()
            .totalCost(),
        EXACT);
  }

  @Test
  void shouldRejectAnOverrideKeyWithoutAdapterAndModel() {
    assertThrows(
        IllegalArgumentException.class,
        () -> table.withOverrides(Map.of("gpt-4o", ModelPrice.of(1, 1))));
  }

  @Test
  void shouldPriceEmbeddingsOnInputTokensOnly() {
    CostDetails cost =
        table
            .cost("openai", "embed", new EmbeddingResult(List.of(), 5_000_000, 1, null))
            .orElseThrow();

    assertEquals(0.1, cost.embeddingCost(), EXACT);
    assertEquals(0.1, cost.totalCost(), EXACT);
    assertEquals(0, cost.promptCost());
    assertTrue(
        table.cost("openai", "embed", new EmbeddingResult(List.of(), null, 1, null)).isEmpty());
  }

  @Test
  void shouldParseOverrideKeysWithDottedModelIds() {
    Map<String, ModelPrice> overrides =
        PricingTable.overridesFrom(
            Map.of(
                "ltb.pricing.ollama.llama3.1:8b.input", "0.05",
                "ltb.pricing.ollama.llama3.1:8b.output", "0.1",
                "ltb.pricing.openai.gpt-4.1-mini.input", "0.4",
                "ltb.pricing.openai.gpt-4.1-mini.cached-input", "0.1",
                "ltb.pricing.openai.gpt-4.1-mini.output", "1.6",
                "ltb.pricing.openai.gpt-4.1-mini.image-input", "0.5",
                "ltb.pricing.openai.gpt-4.1-mini.audio-input", "3",
                "ltb.benchmark.default-concurrency", "16",
                "ltb.pricingx.foo.bar.input", "1"));

    assertEquals(
        Map.of(
            "ollama/llama3.1:8b", new ModelPrice(0.05, null, 0.1, null, null),
            "openai/gpt-4.1-mini", new ModelPrice(0.4, 0.1, 1.6, 0.5, 3.0)),
        overrides);
    assertEquals(
        List.of("ollama/llama3.1:8b", "openai/gpt-4.1-mini"), List.copyOf(overrides.keySet()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ltb.pricing.openai.gpt-4o.price",
        "ltb.pricing.openai.input",
        "ltb.pricing.openai..input",
        "ltb.pricing..gpt-4o.input",
        "ltb.pricing.openai.gpt-4o."
      })
  void shouldRejectMalformedOverrideKeys(String key) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PricingTable.overridesFrom(Map.of(key, "1")));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-1", "NaN", "Infinity"})
  void shouldRejectOverrideValuesThatAreNotNonNegativeNumbers(String value) {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PricingTable.overridesFrom(
                Map.of(
                    "ltb.pricing.openai.gpt-4o.input",
                    value,
                    "ltb.pricing.openai.gpt-4o.output",
                    "1")));
  }

  @Test
  void shouldRequireBothInputAndOutputInAnOverride() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PricingTable.overridesFrom(Map.of("ltb.pricing.openai.gpt-4.1.input", "2")));
    assertTrue(e.getMessage().contains("openai/gpt-4.1"), e.getMessage());
  }

  @Test
  void shouldRejectATableWithAChatPriceMissingItsOutput() {
    String broken = TABLE.replace("\"input\": 1.00, \"output\": 2.00", "\"input\": 1.00");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PricingTable.parse(new StringReader(broken)));
    assertTrue(e.getMessage().contains("output"), e.getMessage());
  }

  @Test
  void shouldRejectATableThatRepeatsAModel() {
    String repeated = TABLE.replace("\"model\": \"no-cache\"", "\"model\": \"gpt-4o\"");

    assertThrows(
        IllegalArgumentException.class, () -> PricingTable.parse(new StringReader(repeated)));
  }

  @Test
  void shouldRejectATableInAnotherUnit() {
    String perThousand = TABLE.replace("per 1M tokens", "per 1K tokens");

    assertThrows(
        IllegalArgumentException.class, () -> PricingTable.parse(new StringReader(perThousand)));
  }

  @Test
  void shouldRejectANegativePrice() {
    String negative = TABLE.replace("\"input\": 0.02", "\"input\": -0.02");

    assertThrows(
        IllegalArgumentException.class, () -> PricingTable.parse(new StringReader(negative)));
  }

  @Test
  void shouldLoadTheNewestBundledTable() {
    PricingTable bundled = PricingTable.load();

    assertEquals("2026-11", bundled.version());
    assertEquals("USD", bundled.currency());
    assertEquals(
        PricingTable.bundledVersions().get(PricingTable.bundledVersions().size() - 1),
        bundled.version());
    bundled.sources().values().forEach(url -> assertTrue(url.startsWith("https://"), url));
  }

  @Test
  void shouldRejectAVersionThatIsNotBundled() {
    assertThrows(IllegalArgumentException.class, () -> PricingTable.load("1999-01"));
  }

  @Test
  void shouldBundleExactlyTheTablesTheIndexLists() throws IOException {
    Path dir = Path.of("src/main/resources/pricing");
    TreeSet<String> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .map(p -> p.getFileName().toString())
              .filter(name -> name.startsWith("pricing-") && name.endsWith(".json"))
              .map(name -> name.substring("pricing-".length(), name.length() - ".json".length()))
              .collect(Collectors.toCollection(TreeSet::new));
    }

    assertEquals(List.copyOf(files), PricingTable.bundledVersions());
    for (String version : files) {
      assertEquals(version, PricingTable.load(version).version());
    }
  }

  @Test
  void shouldPriceBundledModelsAndTheirSnapshots() {
    PricingTable bundled = PricingTable.load();

    assertEquals(
        ModelPrice.of(2.00, 0.10, 10.00), bundled.price("openai", "gpt-6.2-sol").orElseThrow());
    assertEquals(
        ModelPrice.of(1.00, 0.10, 5.00),
        bundled.price("anthropic", "claude-haiku-4-5-20251001").orElseThrow());
    assertEquals(ModelPrice.free(), bundled.price("simulator", "default").orElseThrow());
    assertEquals(ModelPrice.free(), bundled.price("llamacpp-local", "qwen3-8b.gguf").orElseThrow());
    // 300K prompt tokens pass OpenAI's 272K line: the whole request at 2x input, 1.5x output.
    CostDetails longPrompt =
        bundled.cost("openai", "gpt-6.2-sol", completion(300_000, 0, 1_000)).orElseThrow();
    assertEquals(300_000 * 4.00 / 1e6, longPrompt.promptCost(), EXACT);
    assertEquals(1_000 * 15.00 / 1e6, longPrompt.completionCost(), EXACT);
  }

  @Test
  void shouldPriceGeminiFlashAndItsLiteSiblingApart() {
    PricingTable bundled = PricingTable.load();
    assertEquals(
        ModelPrice.of(0.30, 2.50),
        bundled.price("gemini", "gemini-2.5-flash-preview-09-2025").orElseThrow());
    assertEquals(
        ModelPrice.of(0.10, 0.40), bundled.price("gemini", "gemini-2.5-flash-lite").orElseThrow());
    // Gemini 2.5 Pro re-prices prompts above 200K tokens.
    CostDetails longPrompt =
        bundled.cost("gemini", "gemini-2.5-pro", completion(250_000, 0, 1_000)).orElseThrow();
    assertEquals(250_000 * 2.50 / 1e6, longPrompt.promptCost(), EXACT);
  }

  @Test
  void shouldKeepSiblingModelsWhoseIdsArePrefixesOfEachOtherApart() {
    PricingTable bundled = PricingTable.load();

    assertNotEquals(
        bundled.price("anthropic", "claude-sonnet-5").orElseThrow(),
        bundled.price("anthropic", "claude-sonnet-5-5").orElseThrow());
    assertNotEquals(
        bundled.price("anthropic", "claude-opus-5").orElseThrow(),
        bundled.price("anthropic", "claude-opus-5-5").orElseThrow());
  }

  private static Completion completion(int prompt, int cached, int output) {
    return new Completion(
        "x",
        "stop",
        prompt,
        output,
        prompt + output,
        1,
        null,
        null,
        null,
        null,
        null,
        false,
        cached,
        false);
  }
}
