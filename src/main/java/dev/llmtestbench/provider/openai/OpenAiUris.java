package dev.llmtestbench.provider.openai;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds endpoint URIs below a configured base URL, keeping any query the base carries. */
final class OpenAiUris {

  private OpenAiUris() {}

  /** Throws IllegalArgumentException unless {@code baseUrl} is an absolute http(s) URL. */
  static URI requireHttp(URI baseUrl) {
    if (baseUrl == null
        || baseUrl.getHost() == null
        || !("http".equalsIgnoreCase(baseUrl.getScheme())
            || "https".equalsIgnoreCase(baseUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute http(s) URL such as https://api.openai.com/v1");
    }
    return baseUrl;
  }

  /** {@code baseUrl} with {@code path} appended to its path (one slash between) and its query. */
  static URI append(URI baseUrl, String path) {
    return append(baseUrl, path, null);
  }

  /** As {@link #append(URI, String)}, adding {@code extraQuery} (already encoded) to the query. */
  static URI append(URI baseUrl, String path, String extraQuery) {
    requireHttp(baseUrl);
    String base = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    String query = baseUrl.getRawQuery();
    if (extraQuery != null) {
      query = query == null || query.isEmpty() ? extraQuery : query + "&" + extraQuery;
    }
    return URI.create(
        baseUrl.getScheme()
            + "://"
            + baseUrl.getRawAuthority()
            + base
            + path
            + (query == null ? "" : "?" + query));
  }

  /** {@code value} encoded for one path segment (Azure deployment names are user-chosen). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code value} encoded for a query parameter value. */
  static String queryValue(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The URI without user info and query, which some gateways use for keys, for messages. */
  static String forMessages(URI uri) {
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return uri.getScheme() + "://" + uri.getHost() + port + uri.getRawPath();
  }
}
