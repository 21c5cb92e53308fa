package dev.llmtestbench.provider.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of one provider instance; {@link #toString()} masks the API key, header values and
 * any query string of the base URL, since those often carry secrets.
 */
public record ProviderConfig(
    String name,
    String type,
    URI baseUrl,
    String apiKey,
    List<String> models,
    Duration timeout,
    Map<String, String> headers,
    Map<String, String> settings) {

  public ProviderConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    models = models == null ? List.of() : List.copyOf(models);
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    settings =
        settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  public ProviderConfig(
      String name,
      String type,
      URI baseUrl,
      String apiKey,
      List<String> models,
      Duration timeout,
      Map<String, String> headers) {
    this(name, type, baseUrl, apiKey, models, timeout, headers, Map.of());
  }

  /** An adapter-specific setting (e.g. Azure's {@code api-version}), or {@code fallback}. */
  public String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  @Override
  public String toString() {
    return "ProviderConfig[name="
        + name
        + ", type="
        + type
        + ", baseUrl="
        + maskedUrl()
        + ", apiKey="
        + (apiKey == null || apiKey.isEmpty() ? "(none)" : "****")
        + ", models="
        + models
        + ", timeout="
        + timeout
        + ", headers="
        + headers.keySet()
        + ", settings="
        + settings.keySet()
        + "]";
  }

  private String maskedUrl() {
    if (baseUrl == null || (baseUrl.getRawUserInfo() == null && baseUrl.getRawQuery() == null)) {
      return String.valueOf(baseUrl);
    }
    String port = baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort();
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    String query = baseUrl.getRawQuery() == null ? "" : "?****";
    return baseUrl.getScheme() + "://" + baseUrl.getHost() + port + path + query;
  }
}
