package dev.llmtestbench.provider.measure;

import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.EmbeddingResult;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A versioned table of list prices per 1M tokens, loaded from {@code
 * pricing/pricing-<version>.json} on the classpath, that prices completions and embeddings.
 *
 * <p>Lookup by adapter and model id (both case-insensitive; a Gemini-style {@code models/} prefix
 * is ignored): the longest table key that is a prefix of the model id wins, so an exact id beats a
 * family and a dated snapshot such as {@code gpt-4o-mini-2024-07-18} is priced as {@code
 * gpt-4o-mini}. The key {@code *} matches every model of an adapter; the bundled tables use it to
 * price local adapters (ollama, llamacpp, llamacpp-local, simulator, http) at 0. Overrides (from
 * {@link #overridesFrom(Map)}) are looked up the same way and win over a table key of the same
 * length, so configuring a model's exact id always replaces its list price, while a more specific
 * table entry still beats a broader override.
 *
 * <p>Some models bill a whole request at higher rates once its prompt passes a size (OpenAI above
 * 272K input tokens, Claude Haiku 5.5 above 100K); the table carries those as a {@code longContext}
 * tier and {@link #cost} applies it from the reported prompt tokens. Immutable and thread-safe.
 */
public final class PricingTable {

  /** Prefix of the configuration keys read by {@link #overridesFrom(Map)}. */
  public static final String OVERRIDE_PREFIX = "ltb.pricing.";

  static final String RESOURCE_DIR = "pricing/";
  static final String INDEX = RESOURCE_DIR + "versions.txt";
  static final String WILDCARD = "*";
  static final String UNIT = "per 1M tokens";
  private static final double PER_TOKENS = 1_000_000.0;
  private static final Set<String> FIELDS =
      Set.of("input", "output", "cached-input", "image-input", "audio-input");
  private static final Map<String, PricingTable> BUNDLED = new ConcurrentHashMap<>();

  private final String version;
  private final String currency;
  private final Map<String, String> sources;
  private final Map<String, List<Entry>> entries;
  private final Map<String, List<Entry>> overrides;

  private PricingTable(
      String version,
      String currency,
      Map<String, String> sources,
      Map<String, List<Entry>> entries,
      Map<String, List<Entry>> overrides) {
    this.version = version;
    this.currency = currency;
    this.sources = sources;
    this.entries = entries;
    this.overrides = overrides;
  }

  /** The newest bundled table, without overrides. */
  public static PricingTable load() {
    List<String> versions = bundledVersions();
    if (versions.isEmpty()) {
      throw new IllegalStateException("No pricing table is listed in " + INDEX + ".");
    }
    return load(versions.get(versions.size() - 1));
  }

  /**
   * The bundled table of {@code version} (e.g. {@code 2026-11}), to recompute costs at the prices
   * of a past run.
   *
   * @throws IllegalArgumentException when no such table is bundled
   */
  public static PricingTable load(String version) {
    Objects.requireNonNull(version, "version");
    if (!bundledVersions().contains(version)) {
      throw new IllegalArgumentException(
          "No bundled pricing table '" + version + "'; bundled: " + bundledVersions() + ".");
    }
    return BUNDLED.computeIfAbsent(version, PricingTable::readBundled);
  }

  /** The versions of the bundled tables, oldest first (versions are {@code YYYY-MM}). */
  public static List<String> bundledVersions() {
    List<String> versions = new ArrayList<>();
    try (InputStream in = resource(INDEX);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          versions.add(trimmed);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + INDEX, e);
    }
    Collections.sort(versions);
    return List.copyOf(versions);
  }

  /**
   * Parses a table in the bundled format, e.g. one a deployment maintains itself:
   *
   * <pre>{@code
   * {"version": "2026-11", "currency": "USD", "unit": "per 1M tokens",
   *  "sources": {"openai": "https://developers.openai.com/api/docs/pricing"},
   *  "prices": [
   *    {"adapter": "openai", "model": "gpt-4o-mini", "input": 0.15, "cachedInput": 0.075,
   *     "output": 0.60},
   *    {"adapter": "openai", "model": "gpt-6.1-terra", "input": 1.00, "cachedInput": 0.05,
   *     "output": 5.00,
   *     "longContext": {"aboveInputTokens": 272000, "input": 2.00, "cachedInput": 0.10,
   *                     "output": 7.50}},
   *    {"adapter": "openai", "model": "text-embedding-3-small", "type": "embedding",
   *     "input": 0.02},
   *    {"adapter": "ollama", "model": "*", "input": 0, "output": 0}]}
   * }</pre>
   *
   * <p>A price may also carry {@code imageInput}, {@code audioInput} and a {@code source} URL; an
   * embedding price has no {@code output}. Other members (such as {@code notes}) are ignored.
   *
   * @throws IllegalArgumentException naming what is wrong when the document does not fit the format
   */
  public static PricingTable parse(Reader json) {
    JsonObject root;
    try (JsonReader reader = Json.createReader(json)) {
      root = reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("Pricing table is not a JSON object: " + e.getMessage());
    }
    String version = requiredString(root, "version", "the table");
    String currency = requiredString(root, "currency", "the table");
    String unit = requiredString(root, "unit", "the table");
    if (!UNIT.equals(unit)) {
      throw new IllegalArgumentException(
          "Pricing table " + version + " has unit '" + unit + "'; prices must be '" + UNIT + "'.");
    }
    Map<String, String> sources = new TreeMap<>();
    if (root.get("sources") instanceof JsonObject object) {
      object.forEach(
          (adapter, url) -> {
            if (url instanceof JsonString text) {
              sources.put(adapter, text.getString());
            }
          });
    }
    if (!(root.get("prices") instanceof JsonArray prices)) {
      throw new IllegalArgumentException("Pricing table " + version + " has no 'prices' array.");
    }
    Map<String, List<Entry>> entries = new HashMap<>();
    for (int i = 0; i < prices.size(); i++) {
      String where = "prices[" + i + "] of pricing table " + version;
      if (!(prices.get(i) instanceof JsonObject price)) {
        throw new IllegalArgumentException(where + " is not an object.");
      }
      Entry entry = entry(price, where);
      List<Entry> forAdapter = entries.computeIfAbsent(entry.adapter(), a -> new ArrayList<>());
      if (forAdapter.stream().anyMatch(e -> e.model().equals(entry.model()))) {
        throw new IllegalArgumentException(
            where + " repeats " + entry.adapter() + "/" + entry.model() + ".");
      }
      forAdapter.add(entry);
    }
    return new PricingTable(
        version, currency, Collections.unmodifiableMap(sources), freeze(entries), Map.of());
  }

  /**
   * This table with {@code overrides} (keys from {@link #key(String, String)}, as {@link
   * #overridesFrom(Map)} builds them) taking precedence over list prices.
   */
  public PricingTable withOverrides(Map<String, ModelPrice> overrides) {
    Map<String, List<Entry>> byAdapter = new HashMap<>();
    overrides.forEach(
        (key, price) -> {
          int slash = key == null ? -1 : key.indexOf('/');
          if (slash <= 0 || slash == key.length() - 1) {
            throw new IllegalArgumentException(
                "Pricing override key '" + key + "' must be <adapter>/<model>.");
          }
          Entry entry =
              new Entry(
                  normalizeAdapter(key.substring(0, slash)),
                  normalizeModel(key.substring(slash + 1)),
                  Objects.requireNonNull(price, "price of " + key),
                  null,
                  true);
          byAdapter.computeIfAbsent(entry.adapter(), a -> new ArrayList<>()).add(entry);
        });
    return new PricingTable(version, currency, sources, entries, freeze(byAdapter));
  }

  /** The key of a price in an override map: {@code <adapter>/<model>}. */
  public static String key(String adapter, String model) {
    return adapter + "/" + model;
  }

  /**
   * Reads price overrides from flat configuration keys {@code
   * ltb.pricing.<adapter>.<model>.input|output|cached-input|image-input|audio-input} (values per 1M
   * tokens); other keys are ignored. Model ids may contain dots ({@code
   * ltb.pricing.ollama.llama3.1:8b.input}), so the first segment after {@code ltb.pricing.} is the
   * adapter, the last the field, and everything between the model. {@code input} and {@code output}
   * are required for each model.
   *
   * @return keys from {@link #key(String, String)}, sorted
   * @throws IllegalArgumentException naming the first key or model that is wrong
   */
  public static Map<String, ModelPrice> overridesFrom(Map<String, String> properties) {
    Map<String, Map<String, Double>> fieldsByKey = new TreeMap<>();
    properties.forEach(
        (name, value) -> {
          if (name == null || !name.startsWith(OVERRIDE_PREFIX)) {
            return;
          }
          String rest = name.substring(OVERRIDE_PREFIX.length());
          int firstDot = rest.indexOf('.');
          int lastDot = rest.lastIndexOf('.');
          if (firstDot <= 0 || lastDot <= firstDot + 1 || lastDot == rest.length() - 1) {
            throw new IllegalArgumentException(
                "Pricing key '"
                    + name
                    + "' must be "
                    + OVERRIDE_PREFIX
                    + "<adapter>.<model>.<input|output|cached-input|image-input|audio-input>.");
          }
          String field = rest.substring(lastDot + 1);
          if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException(
                "Pricing key '"
                    + name
                    + "' ends in '"
                    + field
                    + "'; use input, output, cached-input, image-input or audio-input.");
          }
          String key = key(rest.substring(0, firstDot), rest.substring(firstDot + 1, lastDot));
          fieldsByKey.computeIfAbsent(key, k -> new HashMap<>()).put(field, rate(name, value));
        });
    Map<String, ModelPrice> overrides = new LinkedHashMap<>();
    fieldsByKey.forEach(
        (key, fields) -> {
          if (!fields.containsKey("input") || !fields.containsKey("output")) {
            throw new IllegalArgumentException(
                "Pricing override for "
                    + key
                    + " needs both input and output (keys "
                    + OVERRIDE_PREFIX
                    + key.replaceFirst("/", ".")
                    + ".input and .output).");
          }
          overrides.put(
              key,
              new ModelPrice(
                  fields.get("input"),
                  fields.get("cached-input"),
                  fields.get("output"),
                  fields.get("image-input"),
                  fields.get("audio-input")));
        });
    return Collections.unmodifiableMap(overrides);
  }

  /** The table's version, e.g. {@code 2026-11}. */
  public String version() {
    return version;
  }

  /** The currency of every price, e.g. {@code USD}. */
  public String currency() {
    return currency;
  }

  /** The pricing page each adapter's list prices were taken from. */
  public Map<String, String> sources() {
    return sources;
  }

  /**
   * The price of {@code model} on {@code adapter} (its base tier where it has a long-context tier),
   * or empty when neither the table nor an override prices it.
   */
  public Optional<ModelPrice> price(String adapter, String model) {
    return find(adapter, model).map(Entry::price);
  }

  /**
   * What {@code completion} cost: uncached prompt tokens at {@code input}, cached ones ({@link
   * Completion#cachedPromptTokens()}, a part of the prompt tokens) at {@code cachedInput} with the
   * difference counted in {@code cacheSavings}, completion tokens at {@code output}. Empty when the
   * model has no price or the completion carries no token counts (estimate them first with {@link
   * TokenEstimator#estimateIfMissing}). Image and audio costs stay null: the SPI reports no
   * per-modality token counts.
   */
  public Optional<CostDetails> cost(String adapter, String model, Completion completion) {
    Objects.requireNonNull(completion, "completion");
    if (completion.promptTokens() == null && completion.completionTokens() == null) {
      return Optional.empty();
    }
    Optional<Entry> entry = find(adapter, model);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    long prompt = nonNegative(completion.promptTokens());
    long cached = Math.min(nonNegative(completion.cachedPromptTokens()), prompt);
    long output = nonNegative(completion.completionTokens());
    ModelPrice price = entry.get().priceFor(prompt);
    double promptCost =
        ((prompt - cached) * price.input() + cached * price.effectiveCachedInput()) / PER_TOKENS;
    double completionCost = output * price.output() / PER_TOKENS;
    double cacheSavings = cached * (price.input() - price.effectiveCachedInput()) / PER_TOKENS;
    return Optional.of(
        new CostDetails(
            promptCost + completionCost,
            promptCost,
            completionCost,
            null,
            null,
            null,
            cacheSavings,
            version,
            completion.tokensEstimated()));
  }

  /**
   * What an embedding call cost: its prompt tokens at the model's {@code input} rate, reported as
   * {@code embeddingCost} (and the total). Empty when the model has no price or the result carries
   * no token count.
   */
  public Optional<CostDetails> cost(String adapter, String model, EmbeddingResult result) {
    Objects.requireNonNull(result, "result");
    if (result.promptTokens() == null) {
      return Optional.empty();
    }
    return find(adapter, model)
        .map(
            entry -> {
              long tokens = nonNegative(result.promptTokens());
              double cost = tokens * entry.priceFor(tokens).input() / PER_TOKENS;
              return new CostDetails(cost, 0, 0, null, null, cost, 0, version, false);
            });
  }

  private Optional<Entry> find(String adapter, String model) {
    if (adapter == null || model == null) {
      return Optional.empty();
    }
    String adapterKey = normalizeAdapter(adapter);
    String modelKey = normalizeModel(model);
    Entry best = null;
    for (Entry candidate : overrides.getOrDefault(adapterKey, List.of())) {
      best = better(best, candidate, modelKey);
    }
    for (Entry candidate : entries.getOrDefault(adapterKey, List.of())) {
      best = better(best, candidate, modelKey);
    }
    return Optional.ofNullable(best);
  }

  // Longest matching key wins; overrides are offered first, so they win ties.
  private static Entry better(Entry best, Entry candidate, String model) {
    if (!candidate.matches(model)) {
      return best;
    }
    if (best == null || candidate.prefixLength() > best.prefixLength()) {
      return candidate;
    }
    return best;
  }

  private static Entry entry(JsonObject price, String where) {
    String adapter = normalizeAdapter(requiredString(price, "adapter", where));
    String model = normalizeModel(requiredString(price, "model", where));
    String type = optionalString(price, "type", where);
    boolean embedding = "embedding".equals(type);
    if (type != null && !embedding && !"chat".equals(type)) {
      throw new IllegalArgumentException(
          where + " has type '" + type + "'; use chat or embedding.");
    }
    ModelPrice base = modelPrice(price, where, embedding);
    LongContext longContext = null;
    JsonValue tier = price.get("longContext");
    if (tier instanceof JsonObject object) {
      String tierWhere = "longContext of " + where;
      double above = requiredNumber(object, "aboveInputTokens", tierWhere);
      if (above < 1 || above != Math.rint(above)) {
        throw new IllegalArgumentException(tierWhere + " needs a whole aboveInputTokens >= 1.");
      }
      longContext = new LongContext((long) above, modelPrice(object, tierWhere, embedding));
    } else if (tier != null && tier != JsonValue.NULL) {
      throw new IllegalArgumentException(where + " has a longContext that is not an object.");
    }
    return new Entry(adapter, model, base, longContext, false);
  }

  private static ModelPrice modelPrice(JsonObject object, String where, boolean embedding) {
    double input = requiredNumber(object, "input", where);
    double output = 0;
    if (!embedding) {
      output = requiredNumber(object, "output", where);
    } else if (object.containsKey("output")) {
      throw new IllegalArgumentException(where + " is an embedding model, priced on input only.");
    }
    try {
      return new ModelPrice(
          input,
          optionalNumber(object, "cachedInput", where),
          output,
          optionalNumber(object, "imageInput", where),
          optionalNumber(object, "audioInput", where));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private static String requiredString(JsonObject object, String name, String where) {
    String value = optionalString(object, name, where);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(where + " needs a '" + name + "' string.");
    }
    return value;
  }

  private static String optionalString(JsonObject object, String name, String where) {
    JsonValue value = object.get(name);
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (value instanceof JsonString text) {
      return text.getString();
    }
    throw new IllegalArgumentException(where + " has a '" + name + "' that is not a string.");
  }

  private static double requiredNumber(JsonObject object, String name, String where) {
    Double value = optionalNumber(object, name, where);
    if (value == null) {
      throw new IllegalArgumentException(where + " needs a '" + name + "' number.");
    }
    return value;
  }

  private static Double optionalNumber(JsonObject object, String name, String where) {
    JsonValue value = object.get(name);
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (value instanceof JsonNumber number) {
      return number.doubleValue();
    }
    throw new IllegalArgumentException(where + " has a '" + name + "' that is not a number.");
  }

  private static double rate(String name, String value) {
    try {
      double rate = Double.parseDouble(value == null ? "" : value.strip());
      if (Double.isFinite(rate) && rate >= 0) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // Reported below with the key, which says more than the parser's message.
    }
    throw new IllegalArgumentException(
        "Pricing key '" + name + "' needs a number >= 0 (per 1M tokens), was '" + value + "'.");
  }

  private static long nonNegative(Integer value) {
    return value == null ? 0 : Math.max(0, value);
  }

  private static String normalizeAdapter(String adapter) {
    return adapter.strip().toLowerCase(Locale.ROOT);
  }

  private static String normalizeModel(String model) {
    String id = model.strip().toLowerCase(Locale.ROOT);
    // The Gemini API names models as resources ("models/gemini-2.5-flash").
    return id.startsWith("models/") ? id.substring("models/".length()) : id;
  }

  private static Map<String, List<Entry>> freeze(Map<String, List<Entry>> byAdapter) {
    Map<String, List<Entry>> frozen = new HashMap<>();
    byAdapter.forEach((adapter, list) -> frozen.put(adapter, List.copyOf(list)));
    return Collections.unmodifiableMap(frozen);
  }

  private static PricingTable readBundled(String version) {
    String name = RESOURCE_DIR + "pricing-" + version + ".json";
    try (Reader reader = new InputStreamReader(resource(name), StandardCharsets.UTF_8)) {
      PricingTable table = parse(reader);
      if (!table.version().equals(version)) {
        throw new IllegalStateException(
            name + " declares version " + table.version() + ", not " + version + ".");
      }
      return table;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = PricingTable.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("Missing classpath resource " + name + ".");
    }
    return in;
  }

  /** A higher price for the whole request once its prompt has more than {@code aboveTokens}. */
  record LongContext(long aboveTokens, ModelPrice price) {}

  /** One priced model key of an adapter: a model id, a prefix of ids, or {@code *} for all. */
  record Entry(
      String adapter, String model, ModelPrice price, LongContext longContext, boolean override) {

    boolean matches(String modelId) {
      return WILDCARD.equals(model) || modelId.startsWith(model);
    }

    int prefixLength() {
      return WILDCARD.equals(model) ? 0 : model.length();
    }

    ModelPrice priceFor(long promptTokens) {
      return longContext != null && promptTokens > longContext.aboveTokens()
          ? longContext.price()
          : price;
    }
  }
}
