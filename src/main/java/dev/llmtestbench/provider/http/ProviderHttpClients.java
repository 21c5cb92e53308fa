package dev.llmtestbench.provider.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The HTTP client every HTTP adapter uses: HTTP/1.1 (what providers' APIs and local servers all
 * speak), a connect timeout of the provider's timeout but at most {@link #MAX_CONNECT_TIMEOUT}, and
 * the client's own executor unless one is given.
 */
public final class ProviderHttpClients {

  /** Connecting never waits longer than this, however long a provider may take to answer. */
  public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private ProviderHttpClients() {}

  public static HttpClient create(Duration timeout, Executor executor) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(
                timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT);
    if (executor != null) {
      builder.executor(executor);
    }
    return builder.build();
  }
}
