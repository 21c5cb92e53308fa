package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ProviderConfig;

/**
 * OpenAI's own dialect, also right for vLLM, llama.cpp, Ollama and LM Studio; reads the settings
 * {@code max-tokens-field}, {@code stream-include-usage} and {@code embedding-model}.
 */
final class StandardOpenAiDialect implements OpenAiDialect {

  static final String MAX_TOKENS = "max_tokens";
  static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
  static final String DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";

  private final String maxTokensField;
  private final boolean streamIncludeUsage;

  private StandardOpenAiDialect(String maxTokensField, boolean streamIncludeUsage) {
    this.maxTokensField = maxTokensField;
    this.streamIncludeUsage = streamIncludeUsage;
  }

  /** The dialect for {@code config}; throws IllegalArgumentException naming a bad setting. */
  static StandardOpenAiDialect of(ProviderConfig config) {
    return new StandardOpenAiDialect(maxTokensField(config), streamIncludeUsage(config));
  }

  /** The configured max-tokens field, or null to choose by model name. */
  static String maxTokensField(ProviderConfig config) {
    String field = config.setting(OpenAiCompatibleProvider.MAX_TOKENS_FIELD_SETTING, null);
    if (field == null || field.isBlank()) {
      return null;
    }
    field = field.strip();
    if (!field.equals(MAX_TOKENS) && !field.equals(MAX_COMPLETION_TOKENS)) {
      throw new IllegalArgumentException(
          "setting "
              + OpenAiCompatibleProvider.MAX_TOKENS_FIELD_SETTING
              + " must be max_tokens or max_completion_tokens, was '"
              + field
              + "'");
    }
    return field;
  }

  static boolean streamIncludeUsage(ProviderConfig config) {
    String value = config.setting(OpenAiCompatibleProvider.STREAM_USAGE_SETTING, "true").strip();
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          "setting "
              + OpenAiCompatibleProvider.STREAM_USAGE_SETTING
              + " must be true or false, was '"
              + value
              + "'");
    }
    return Boolean.parseBoolean(value);
  }

  /** The field for {@code model}: the configured one, else chosen by the model's name. */
  static String maxTokensField(String configured, String model) {
    if (configured != null) {
      return configured;
    }
    return OpenAiModels.takesMaxCompletionTokens(model) ? MAX_COMPLETION_TOKENS : MAX_TOKENS;
  }

  @Override
  public String type() {
    return OpenAiCompatibleProvider.TYPE;
  }

  @Override
  public Capabilities capabilities(String model) {
    return OpenAiModels.capabilities(model);
  }

  @Override
  public String maxTokensField(String model) {
    return maxTokensField(maxTokensField, model);
  }

  @Override
  public boolean streamIncludeUsage() {
    return streamIncludeUsage;
  }

  @Override
  public String defaultEmbeddingModel() {
    return DEFAULT_EMBEDDING_MODEL;
  }
}
