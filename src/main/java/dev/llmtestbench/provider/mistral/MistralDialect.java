package dev.llmtestbench.provider.mistral;

import dev.llmtestbench.provider.openai.OpenAiDialect;
import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ContentPart;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Where Mistral's chat API departs from OpenAI's: {@code random_seed} for the seed, {@code any} for
 * a required tool call, no log probabilities, no {@code stream_options} (its request schema forbids
 * unknown fields, and the last streamed chunk carries usage anyway), image URLs and audio as plain
 * strings, and {@code mistral-embed} for embeddings.
 */
final class MistralDialect implements OpenAiDialect {

  static final String TYPE = "mistral";
  static final String DEFAULT_EMBEDDING_MODEL = "mistral-embed";

  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

  /** Chat models: streaming, tools and JSON mode; vision and audio by family; never logprobs. */
  private static final Capabilities CHAT =
      new Capabilities(true, false, false, true, true, false, false, false, null);

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Judged by model name: {@code *-embed} models embed; Pixtral, Mistral Small, Medium and Large 3
   * and Ministral see images; Voxtral hears audio; other names are taken for text chat models.
   */
  @Override
  public Capabilities capabilities(String model) {
    if (model == null || model.isBlank()) {
      return new Capabilities(true, true, true, true, true, false, true, false, null);
    }
    String name = model.toLowerCase(Locale.ROOT).strip();
    if (name.endsWith("-embed") || name.contains("-embed-")) {
      return new Capabilities(false, false, false, false, false, false, true, false, 8192);
    }
    if (name.startsWith("voxtral")) {
      return new Capabilities(true, false, true, true, true, false, false, false, null);
    }
    if (name.startsWith("pixtral")
        || name.startsWith("mistral-small")
        || name.startsWith("mistral-medium")
        || name.startsWith("mistral-large")
        || name.startsWith("ministral")) {
      return new Capabilities(true, true, false, true, true, false, false, false, null);
    }
    return CHAT;
  }

  @Override
  public String seedField() {
    return "random_seed";
  }

  @Override
  public String toolChoiceMode(String mode) {
    return mode.equals("required") ? "any" : mode;
  }

  @Override
  public boolean streamIncludeUsage() {
    return false;
  }

  @Override
  public boolean logprobs() {
    return false;
  }

  // Mistral's documented form; its schema also takes OpenAI's {"url": ...} object.
  @Override
  public JsonObject imagePart(String url) {
    return JSON.createObjectBuilder().add("type", "image_url").add("image_url", url).build();
  }

  // Voxtral takes the clip as base64 text or a URL, with no format field.
  @Override
  public JsonObject audioPart(ContentPart audio) {
    return JSON.createObjectBuilder()
        .add("type", "input_audio")
        .add("input_audio", audio.data() != null ? audio.data() : audio.url())
        .build();
  }

  @Override
  public String defaultEmbeddingModel() {
    return DEFAULT_EMBEDDING_MODEL;
  }
}
