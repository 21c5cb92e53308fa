package dev.llmtestbench.provider.custom;

import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * In-house HTTP endpoints (adapter {@code http}), described entirely by settings.
 *
 * <p>Settings ({@code ltb.providers.<name>.<setting>} in configuration, or {@code settings} over
 * the API):
 *
 * <ul>
 *   <li>{@code method}: POST (default), PUT or PATCH.
 *   <li>{@code path}: appended to the base URL (default: nothing); may hold {@code {{model}}},
 *       percent-encoded, and a query string, e.g. {@code /models/{{model}}/generate}.
 *   <li>{@code body}: a JSON template (default {@code {"model": {{model}}, "prompt": {{prompt}}}}).
 *       A bare placeholder becomes a JSON value; inside a string it becomes text. Placeholders:
 *       {@code {{prompt}}} the last user message, {@code {{system}}} the system messages joined by
 *       blank lines (empty when none), {@code {{model}}} the request's model or the first
 *       configured one (null when neither), {@code {{messages}}} all messages as {@code [{role,
 *       content}]}, {@code {{temperature}}} and {@code {{max_tokens}}} (null when unset).
 *   <li>{@code response.text} (required): JSONPath to the answer text, e.g. {@code $.output.text};
 *       a path matching several values (e.g. {@code $.chunks[*].text}) joins them.
 *   <li>{@code response.prompt-tokens}, {@code response.completion-tokens}, {@code
 *       response.finish-reason}: optional JSONPaths; counts are null when they match nothing.
 *   <li>{@code auth-header} (default {@code Authorization}) and {@code auth-scheme} (default {@code
 *       Bearer}; empty or {@code none} sends the bare key): how the API key is sent, when one is
 *       configured.
 *   <li>{@code header.<Name>}: an extra header, e.g. {@code header.X-Team=bench}. Settings are
 *       stored with the provider, so never put secrets here; send those as the API key.
 * </ul>
 *
 * Wrong settings fail at creation with the setting named. Streaming is not offered (the {@code
 * stream} flag is ignored and no time to first token is measured); tools, response formats, image
 * or audio parts and log probabilities fail as UNSUPPORTED.
 */
@ApplicationScoped
public class HttpProviderFactory implements ProviderFactory {

  @Override
  public String adapter() {
    return HttpProvider.TYPE;
  }

  @Override
  public String kind() {
    return "custom";
  }

  /** None: an in-house endpoint must be configured. */
  @Override
  public URI defaultBaseUrl() {
    return null;
  }

  @Override
  public Provider create(ProviderConfig config) {
    return new HttpProvider(config);
  }
}
