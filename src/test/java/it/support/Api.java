package it.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** HTTP access to the server the build started (port from the it.http.port system property). */
public final class Api {

  public static final String BASE =
      "http://localhost:" + System.getProperty("it.http.port", "9080");
  public static final String API = BASE + "/api/v1";

  /**
   * The HTTPS address of the same server: Liberty's own endpoints (the batch REST API
   * /ibm/api/batch, the Admin Center) are served on HTTPS only. Its dev certificate is self-signed,
   * so requests to it trust any certificate (loopback test server only).
   */
  public static final String HTTPS_BASE =
      "https://localhost:" + System.getProperty("it.https.port", "9443");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .sslContext(trustAnyCertificate())
          .build();

  private Api() {}

  /** A response with its body parsed when it is JSON. */
  public record Res(
      int status, String contentType, String body, String location, String wwwAuthenticate) {
    public JsonObject json() {
      return (JsonObject) parse(body);
    }

    public JsonArray array() {
      return (JsonArray) parse(body);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }

  /** The bootstrap admin every test acts as unless it says otherwise (see docs/security.md). */
  public static final String ADMIN_USER = System.getProperty("it.admin.user", "admin");

  public static final String ADMIN_PASSWORD =
      System.getProperty("it.admin.password", "admin-dev-only");

  private static volatile String adminToken;

  /** The admin's {@code Authorization} header value, logging in on first use. */
  public static String authorization() {
    String t = adminToken;
    if (t == null) {
      synchronized (Api.class) {
        t = adminToken;
        if (t == null) {
          t = "Bearer " + login(ADMIN_USER, ADMIN_PASSWORD);
          adminToken = t;
        }
      }
    }
    return t;
  }

  /** Logs in with a local account and returns its access token. */
  public static String login(String username, String password) {
    Res res =
        ANONYMOUS.post(
            "/auth/login",
            Json.createObjectBuilder()
                .add("username", username)
                .add("password", password)
                .build()
                .toString());
    if (res.status() != 200) {
      throw new AssertionError("Login of " + username + " failed: " + res);
    }
    return res.json().getString("accessToken");
  }

  /** Requests with no credentials. */
  public static final Client ANONYMOUS = new Client(null);

  /** The admin client (what the static methods use). */
  public static final Client ADMIN = new Client(Api::authorization);

  /** Requests carrying {@code Authorization: <authorization>} (e.g. "Bearer ey..."). */
  public static Client as(String authorization) {
    return new Client(() -> authorization);
  }

  /** Requests carrying the given header (e.g. X-API-Key) instead of Authorization. */
  public static Client withHeader(String name, String value) {
    return new Client(null, name, value);
  }

  /** HTTP calls made with one identity. */
  public static final class Client {
    private final java.util.function.Supplier<String> authorization;
    private final String headerName;
    private final String headerValue;

    Client(java.util.function.Supplier<String> authorization) {
      this(authorization, null, null);
    }

    Client(java.util.function.Supplier<String> authorization, String headerName, String value) {
      this.authorization = authorization;
      this.headerName = headerName;
      this.headerValue = value;
    }

    public Res get(String path) {
      return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Res post(String path, String json) {
      return post(path, "application/json", json);
    }

    public Res post(String path, String contentType, String body) {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", contentType)
              .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Res method(String method, String path, String json) {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Res delete(String path) {
      return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** A GraphQL operation over HTTP POST, whatever the status. */
    public Res graphqlRaw(String query, JsonObject variables) {
      JsonObject body =
          Json.createObjectBuilder()
              .add("query", query)
              .add("variables", variables == null ? JsonObject.EMPTY_JSON_OBJECT : variables)
              .build();
      return send(
          HttpRequest.newBuilder(URI.create(BASE + "/graphql"))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public Res send(HttpRequest.Builder request) {
      HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
      String auth = authorization == null ? null : authorization.get();
      Res res = sendOnce(built, auth);
      if (res.status() == 401 && authorization == Api.ADMIN.authorization) {
        // The admin's access token expired during a long build: log in again, once.
        synchronized (Api.class) {
          if (auth.equals(adminToken)) {
            adminToken = null;
          }
        }
        res = sendOnce(built, authorization.get());
      }
      return res;
    }

    private Res sendOnce(HttpRequest built, String auth) {
      HttpRequest.Builder b = HttpRequest.newBuilder(built, (n, v) -> true);
      if (auth != null) {
        b.setHeader("Authorization", auth);
      }
      if (headerName != null) {
        b.setHeader(headerName, headerValue);
      }
      return Api.sendRaw(b);
    }
  }

  public static Res get(String path) {
    return ADMIN.get(path);
  }

  public static Res post(String path, String json) {
    return ADMIN.post(path, json);
  }

  public static Res post(String path, String contentType, String body) {
    return ADMIN.post(path, contentType, body);
  }

  public static Res delete(String path) {
    return ADMIN.delete(path);
  }

  /** A GraphQL operation over HTTP POST, as any GraphQL client sends it. */
  public static JsonObject graphql(String query, JsonObject variables) {
    Res res = ADMIN.graphqlRaw(query, variables);
    if (res.status() != 200) {
      throw new AssertionError("GraphQL answered " + res);
    }
    return res.json();
  }

  private static URI uri(String path) {
    return URI.create(path.startsWith("http") ? path : API + path);
  }

  private static Res sendRaw(HttpRequest.Builder request) {
    HttpResponse<String> r = sendHttp(request);
    return new Res(
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(""),
        r.body(),
        r.headers().firstValue("Location").orElse(null),
        r.headers().firstValue("WWW-Authenticate").orElse(null));
  }

  /**
   * Sends any request (a path under /api/v1, or a full URL) through the same client and timeout as
   * the helpers above, as the bootstrap admin unless it carries its own {@code Authorization}, and
   * returns the whole response (status, headers, body).
   */
  public static HttpResponse<String> exchange(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(built, (n, v) -> true);
    if (built.headers().firstValue("Authorization").isEmpty()) {
      b.setHeader("Authorization", authorization());
    }
    return sendHttp(b);
  }

  private static HttpResponse<String> sendHttp(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.build();
      HttpClient client = "https".equals(built.uri().getScheme()) ? HTTPS : HTTP;
      return client.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("Request failed: " + e, e);
    }
  }

  /**
   * Trusts any server certificate and name: only for the loopback test server's dev certificate.
   */
  static javax.net.ssl.SSLContext trustAnyCertificate() {
    javax.net.ssl.TrustManager trustAll =
        new javax.net.ssl.X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(
              java.security.cert.X509Certificate[] chain, String authType, java.net.Socket s) {}

          @Override
          public void checkServerTrusted(
              java.security.cert.X509Certificate[] chain, String authType, java.net.Socket s) {}

          @Override
          public void checkClientTrusted(
              java.security.cert.X509Certificate[] chain,
              String authType,
              javax.net.ssl.SSLEngine e) {}

          @Override
          public void checkServerTrusted(
              java.security.cert.X509Certificate[] chain,
              String authType,
              javax.net.ssl.SSLEngine e) {}

          @Override
          public void checkClientTrusted(
              java.security.cert.X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(
              java.security.cert.X509Certificate[] chain, String authType) {}

          @Override
          public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
          }
        };
    try {
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(null, new javax.net.ssl.TrustManager[] {trustAll}, new java.security.SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request builder for a path under /api/v1 or a full URL, for {@link #exchange}. */
  public static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path));
  }

  public static JsonStructure parse(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.read();
    }
  }

  /** Polls until the condition holds, failing with {@code what} after the timeout. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Waits until the application answers {@code /health/ready} with 200: the server can report
   * itself started before the application has (CWWKZ0022W on a loaded machine), or be restarting.
   */
  public static void awaitReady(Duration timeout) {
    await(
        "the application to be ready",
        timeout,
        () -> {
          try {
            return get(BASE + "/health/ready").status() == 200;
          } catch (AssertionError e) {
            return false;
          }
        });
  }

  /** Waits until the run reaches a terminal status and returns it. */
  public static JsonObject awaitRunEnd(String runId, Duration timeout) {
    JsonObject[] last = new JsonObject[1];
    await(
        "run " + runId + " to end",
        timeout,
        () -> {
          last[0] = get("/benchmarks/" + runId).json();
          String s = last[0].getString("status");
          return s.equals("completed") || s.equals("failed") || s.equals("cancelled");
        });
    return last[0];
  }
}
