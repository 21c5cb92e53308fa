package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ContentPart;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * How one service's flavour of the OpenAI Chat Completions protocol differs from OpenAI's own.
 *
 * <p>{@link OpenAiCompatibleProvider} speaks the protocol (request bodies, SSE streams, tool calls,
 * usage, errors); a dialect only answers the questions on which services disagree: URLs,
 * authentication, a few field names and values, and what a service does not offer. The defaults are
 * OpenAI's, so a dialect overrides only where its service differs.
 */
public interface OpenAiDialect {

  /** The adapter type a provider of this dialect reports, e.g. {@code openai}. */
  String type();

  /** What the service can do with {@code model} (null: the service as a whole). */
  Capabilities capabilities(String model);

  /** The API version sent with each call, or null when the base URL alone selects it. */
  default String apiVersion() {
    return null;
  }

  /** Where chat completions for {@code model} are posted. */
  default URI chatCompletionsUri(URI baseUrl, String model) {
    return OpenAiUris.append(baseUrl, "/chat/completions");
  }

  /** Where embeddings with {@code model} are posted. */
  default URI embeddingsUri(URI baseUrl, String model) {
    return OpenAiUris.append(baseUrl, "/embeddings");
  }

  /** Where the model listing is read, or null when the service has none for this resource. */
  default URI modelsUri(URI baseUrl) {
    return OpenAiUris.append(baseUrl, "/models");
  }

  /** A cheap authenticated GET answering {@code {"data": [...]}}; by default the model listing. */
  default URI healthUri(URI baseUrl) {
    return modelsUri(baseUrl);
  }

  /** The headers that carry the API key. */
  default Map<String, String> authHeaders(String apiKey) {
    return Map.of("Authorization", "Bearer " + apiKey);
  }

  /** Whether the request body names the model (Azure names the deployment in the URL instead). */
  default boolean modelInBody() {
    return true;
  }

  /** The body field that limits the tokens generated for {@code model}. */
  default String maxTokensField(String model) {
    return "max_tokens";
  }

  /** The body field that carries a sampling seed. */
  default String seedField() {
    return "seed";
  }

  /**
   * The wire value of a {@code tool_choice} mode, given as {@code auto}, {@code none} or {@code
   * required}.
   */
  default String toolChoiceMode(String mode) {
    return mode;
  }

  /** Whether streamed requests ask for a final usage chunk ({@code stream_options}). */
  default boolean streamIncludeUsage() {
    return true;
  }

  /** Whether the service returns token log probabilities. */
  default boolean logprobs() {
    return true;
  }

  /** A user content part showing the image at {@code url} (http(s) or a {@code data:} URL). */
  default JsonObject imagePart(String url) {
    return Wire.JSON
        .createObjectBuilder()
        .add("type", "image_url")
        .add("image_url", Wire.JSON.createObjectBuilder().add("url", url))
        .build();
  }

  /**
   * A user content part carrying an audio clip; OpenAI takes base64 WAV or MP3 only, so anything
   * else fails with {@link Kind#UNSUPPORTED}.
   */
  default JsonObject audioPart(ContentPart audio) {
    if (audio.data() == null) {
      throw new ProviderException(
          Kind.UNSUPPORTED, type() + " takes audio inline (base64 data), not by url");
    }
    String format = audioFormat(audio.mediaType());
    if (format == null) {
      throw new ProviderException(
          Kind.UNSUPPORTED,
          type() + " takes wav or mp3 audio, not " + audio.mediaType() + " (input_audio.format)");
    }
    return Wire.JSON
        .createObjectBuilder()
        .add("type", "input_audio")
        .add(
            "input_audio",
            Wire.JSON.createObjectBuilder().add("data", audio.data()).add("format", format))
        .build();
  }

  /** The embedding model used when a request names none, or null when one must be named. */
  default String defaultEmbeddingModel() {
    return null;
  }

  // OpenAI's input_audio.format for a media type, or null when it has none.
  private static String audioFormat(String mediaType) {
    String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).strip();
    return switch (type) {
      case "audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave" -> "wav";
      case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3" -> "mp3";
      default -> null;
    };
  }
}
