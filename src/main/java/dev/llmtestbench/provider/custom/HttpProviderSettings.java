package dev.llmtestbench.provider.custom;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The adapter-specific settings of an {@code http} provider, read from {@code
 * ProviderConfig.settings} and checked once, when the provider is created.
 *
 * @param method POST (default), PUT or PATCH
 * @param path appended to the base URL; may contain {@code {{model}}}
 * @param body the request body template
 * @param text where the answer text is in the response (required)
 * @param promptTokens where the prompt token count is, or null
 * @param completionTokens where the completion token count is, or null
 * @param finishReason where the finish reason is, or null
 * @param authHeader the header carrying the API key
 * @param authScheme the word before the key in that header; empty for the bare key
 * @param headers extra headers from {@code header.<Name>} settings
 */
record HttpProviderSettings(
    String method,
    String path,
    JsonTemplate body,
    Mapping text,
    Mapping promptTokens,
    Mapping completionTokens,
    Mapping finishReason,
    String authHeader,
    String authScheme,
    Map<String, String> headers) {

  /** A compiled JSONPath with the expression as configured and the setting it came from. */
  record Mapping(String setting, String expression, JsonPath path) {}

  static final String METHOD = "method";
  static final String PATH = "path";
  static final String BODY = "body";
  static final String TEXT = "response.text";
  static final String PROMPT_TOKENS = "response.prompt-tokens";
  static final String COMPLETION_TOKENS = "response.completion-tokens";
  static final String FINISH_REASON = "response.finish-reason";
  static final String AUTH_HEADER = "auth-header";
  static final String AUTH_SCHEME = "auth-scheme";
  static final String HEADER_PREFIX = "header.";

  /** The placeholders a body template may use. */
  static final Set<String> BODY_PLACEHOLDERS =
      Set.of("prompt", "system", "model", "messages", "temperature", "max_tokens");

  static final String DEFAULT_BODY = "{\"model\": {{model}}, \"prompt\": {{prompt}}}";

  private static final Logger LOG = Logger.getLogger(HttpProviderSettings.class.getName());
  private static final Set<String> KNOWN =
      Set.of(
          METHOD,
          PATH,
          BODY,
          TEXT,
          PROMPT_TOKENS,
          COMPLETION_TOKENS,
          FINISH_REASON,
          AUTH_HEADER,
          AUTH_SCHEME);
  private static final List<String> METHODS = List.of("POST", "PUT", "PATCH");

  /** Reads and checks the settings; IllegalArgumentException names the setting that is wrong. */
  static HttpProviderSettings from(String provider, Map<String, String> settings) {
    for (String key : settings.keySet()) {
      if (!KNOWN.contains(key) && !key.startsWith(HEADER_PREFIX)) {
        // A warning, not a failure: the registry may pass keys meant for itself.
        LOG.warning("Provider '" + provider + "' (http): unknown setting '" + key + "' ignored.");
      }
    }
    String method = settings.getOrDefault(METHOD, "POST").strip().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(
          METHOD + " must be one of " + METHODS + "; was '" + settings.get(METHOD) + "'");
    }
    String path = settings.getOrDefault(PATH, "").strip();
    checkPath(path);
    JsonTemplate body =
        JsonTemplate.parse(settings.getOrDefault(BODY, DEFAULT_BODY), BODY_PLACEHOLDERS, BODY);
    String text = settings.get(TEXT);
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          TEXT + " is required: a JSONPath to the answer text, such as $.output.text");
    }
    String authHeader = settings.getOrDefault(AUTH_HEADER, "Authorization").strip();
    // MicroProfile Config drops empty values, so "none" also asks for the bare key.
    String authScheme = settings.getOrDefault(AUTH_SCHEME, "Bearer").strip();
    if (authScheme.equalsIgnoreCase("none")) {
      authScheme = "";
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      if (setting.getKey().startsWith(HEADER_PREFIX)) {
        String name = setting.getKey().substring(HEADER_PREFIX.length());
        checkHeader(setting.getKey(), name, setting.getValue());
        headers.put(name, setting.getValue());
      }
    }
    checkHeader(AUTH_HEADER, authHeader, "x");
    return new HttpProviderSettings(
        method,
        path,
        body,
        mapping(TEXT, text),
        mapping(PROMPT_TOKENS, settings.get(PROMPT_TOKENS)),
        mapping(COMPLETION_TOKENS, settings.get(COMPLETION_TOKENS)),
        mapping(FINISH_REASON, settings.get(FINISH_REASON)),
        authHeader,
        authScheme,
        Collections.unmodifiableMap(headers));
  }

  private static Mapping mapping(String setting, String expression) {
    if (expression == null || expression.isBlank()) {
      return null;
    }
    try {
      return new Mapping(setting, expression.strip(), JsonPath.compile(expression.strip()));
    } catch (InvalidPathException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          setting + " is not a valid JSONPath ('" + expression + "'): " + e.getMessage(), e);
    }
  }

  private static void checkPath(String path) {
    String withoutModel = path.replaceAll("\\{\\{\\s*model\\s*}}", "m");
    if (withoutModel.contains("{{")) {
      throw new IllegalArgumentException(
          PATH + " may contain only the {{model}} placeholder; was '" + path + "'");
    }
    try {
      URI uri = URI.create("http://host/" + withoutModel.replaceFirst("^/+", ""));
      if (uri.getRawFragment() != null) {
        throw new IllegalArgumentException("it has a fragment");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PATH + " is not a valid URL path ('" + path + "'): " + e.getMessage(), e);
    }
  }

  // The JDK client refuses some headers (Host, Connection, ...) and malformed names or values.
  private static void checkHeader(String setting, String name, String value) {
    try {
      HttpRequest.newBuilder(URI.create("http://host/")).setHeader(name, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          setting + " is not a header that can be sent: " + e.getMessage(), e);
    }
  }
}
