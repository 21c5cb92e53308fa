package dev.llmtestbench.provider.spi;

import java.net.URI;
import java.util.List;

/**
 * Makes providers of one adapter type. Implementations are CDI beans ({@code @ApplicationScoped})
 * in the adapter's package; the registry finds them all and builds providers from configuration,
 * the environment ({@link #apiKeyEnv()}, {@link #baseUrlEnv()}) and the API.
 */
public interface ProviderFactory {

  /** The adapter name used in configuration and the API, e.g. {@code anthropic}. */
  String adapter();

  /** cloud, local or custom: where such a provider usually runs. */
  default String kind() {
    return "cloud";
  }

  /** The endpoint used when none is configured, or null when one must be configured. */
  URI defaultBaseUrl();

  /** Whether providers of this adapter talk to an endpoint (false for in-process ones). */
  default boolean needsBaseUrl() {
    return true;
  }

  /**
   * The conventional environment variable holding the API key (e.g. {@code ANTHROPIC_API_KEY}):
   * when set, a provider named {@link #adapter()} is registered at start. Null when there is none.
   */
  default String apiKeyEnv() {
    return null;
  }

  /**
   * An environment variable whose presence alone registers a provider named {@link #adapter()} with
   * that base URL (e.g. {@code OLLAMA_BASE_URL}). Null when there is none.
   */
  default String baseUrlEnv() {
    return null;
  }

  /** Models listed for a provider registered from the environment with none configured. */
  default List<String> defaultModels() {
    return List.of();
  }

  /** A provider for this configuration; throws IllegalArgumentException naming what is wrong. */
  Provider create(ProviderConfig config);
}
