package it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser for the tests' web logins: one cookie store, redirects followed by hand (each hop is
 * kept, so a test can check where it went), HTML forms filled in and submitted. It trusts the
 * loopback test server's dev certificate like {@link Api}.
 */
public final class Browser {

  /** One answer: its address, status, Location and body. */
  public record Page(URI uri, int status, String location, String body) {
    @Override
    public String toString() {
      return status + " " + uri + (location == null ? "" : " -> " + location) + " " + body;
    }
  }

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .cookieHandler(cookies)
          .sslContext(Api.trustAnyCertificate())
          .build();

  /** Every answer so far, in order. */
  public final List<Page> history = new ArrayList<>();

  public Page get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** Submits the page's first form with its hidden fields and {@code fields} filled in. */
  public Page submitForm(Page page, Map<String, String> fields) {
    Matcher form = Pattern.compile("<form[^>]*action=\"([^\"]*)\"").matcher(page.body());
    if (!form.find()) {
      throw new AssertionError("No form on " + page);
    }
    Map<String, String> values = new LinkedHashMap<>();
    Matcher hidden =
        Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
            .matcher(page.body());
    while (hidden.find()) {
      values.put(hidden.group(1), hidden.group(2).replace("&quot;", "\"").replace("&amp;", "&"));
    }
    values.putAll(fields);
    StringBuilder body = new StringBuilder();
    values.forEach(
        (k, v) ->
            body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, UTF_8)));
    return send(
        HttpRequest.newBuilder(page.uri().resolve(form.group(1)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** Follows redirects from {@code page} (at most 10) and answers the first non-redirect. */
  public Page follow(Page page) {
    Page p = page;
    for (int i = 0; i < 10 && p.status() / 100 == 3 && p.location() != null; i++) {
      p = get(p.uri().resolve(p.location()).toString());
    }
    return p;
  }

  private Page send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
      HttpResponse<String> res = http.send(built, HttpResponse.BodyHandlers.ofString());
      Page page =
          new Page(
              built.uri(),
              res.statusCode(),
              res.headers().firstValue("Location").orElse(null),
              res.body());
      history.add(page);
      return page;
    } catch (Exception e) {
      throw new AssertionError("Request failed: " + e, e);
    }
  }
}
