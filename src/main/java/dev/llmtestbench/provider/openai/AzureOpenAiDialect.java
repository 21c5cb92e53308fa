package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ProviderConfig;
import java.net.URI;
import java.util.Map;

/**
 * Azure OpenAI's dialect: the model a request names is a deployment, addressed in the URL ({@code
 * /openai/deployments/{deployment}/chat/completions?api-version=...}), and the key travels in an
 * {@code api-key} header. Reads the settings {@code api-version}, {@code max-tokens-field}, {@code
 * stream-include-usage} and {@code embedding-model}.
 */
final class AzureOpenAiDialect implements OpenAiDialect {

  static final String TYPE = "azure-openai";

  /** Setting naming the data-plane API version sent as the {@code api-version} query parameter. */
  static final String API_VERSION_SETTING = "api-version";

  /** The latest GA data-plane inference version (the Azure OpenAI REST API reference). */
  static final String DEFAULT_API_VERSION = "2024-10-21";

  private final String apiVersion;
  private final String maxTokensField;
  private final boolean streamIncludeUsage;

  AzureOpenAiDialect(ProviderConfig config) {
    String version = config.setting(API_VERSION_SETTING, DEFAULT_API_VERSION);
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("setting " + API_VERSION_SETTING + " must not be blank");
    }
    this.apiVersion = version.strip();
    this.maxTokensField = StandardOpenAiDialect.maxTokensField(config);
    this.streamIncludeUsage = StandardOpenAiDialect.streamIncludeUsage(config);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Judged by deployment name, which usually is the model's. */
  @Override
  public Capabilities capabilities(String model) {
    return OpenAiModels.capabilities(model);
  }

  @Override
  public String apiVersion() {
    return apiVersion;
  }

  @Override
  public URI chatCompletionsUri(URI baseUrl, String model) {
    return deploymentUri(baseUrl, model, "/chat/completions");
  }

  @Override
  public URI embeddingsUri(URI baseUrl, String model) {
    return deploymentUri(baseUrl, model, "/embeddings");
  }

  /** Azure lists base models per resource, not the deployments requests name: none here. */
  @Override
  public URI modelsUri(URI baseUrl) {
    return null;
  }

  /** The resource's model listing, which proves endpoint, key and api-version work. */
  @Override
  public URI healthUri(URI baseUrl) {
    return OpenAiUris.append(baseUrl, openAiPath(baseUrl) + "/models", versionQuery());
  }

  @Override
  public Map<String, String> authHeaders(String apiKey) {
    return Map.of("api-key", apiKey);
  }

  @Override
  public boolean modelInBody() {
    return false;
  }

  @Override
  public String maxTokensField(String model) {
    return StandardOpenAiDialect.maxTokensField(maxTokensField, model);
  }

  @Override
  public boolean streamIncludeUsage() {
    return streamIncludeUsage;
  }

  private URI deploymentUri(URI baseUrl, String deployment, String operation) {
    return OpenAiUris.append(
        baseUrl,
        openAiPath(baseUrl) + "/deployments/" + OpenAiUris.segment(deployment) + operation,
        versionQuery());
  }

  private String versionQuery() {
    return "api-version=" + OpenAiUris.queryValue(apiVersion);
  }

  // AZURE_OPENAI_ENDPOINT is the bare resource URL; tolerate one that already ends in /openai.
  private static String openAiPath(URI baseUrl) {
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    return path.endsWith("/openai") ? "" : "/openai";
  }
}
