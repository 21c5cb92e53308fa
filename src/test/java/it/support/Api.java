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
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Api() {}

  /** A response with its body parsed when it is JSON. */
  public record Res(int status, String contentType, String body, String location) {
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

  public static Res get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public static Res post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public static Res post(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public static Res delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  /** A GraphQL operation over HTTP POST, as any GraphQL client sends it. */
  public static JsonObject graphql(String query, JsonObject variables) {
    JsonObject body =
        Json.createObjectBuilder()
            .add("query", query)
            .add("variables", variables == null ? JsonObject.EMPTY_JSON_OBJECT : variables)
            .build();
    Res res =
        send(
            HttpRequest.newBuilder(URI.create(BASE + "/graphql"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    if (res.status() != 200) {
      throw new AssertionError("GraphQL answered " + res);
    }
    return res.json();
  }

  private static URI uri(String path) {
    return URI.create(path.startsWith("http") ? path : API + path);
  }

  private static Res send(HttpRequest.Builder request) {
    HttpResponse<String> r = exchange(request);
    return new Res(
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(""),
        r.body(),
        r.headers().firstValue("Location").orElse(null));
  }

  /**
   * Sends any request (a path under /api/v1, or a full URL) through the same client, timeout and
   * credentials as the helpers above, and returns the whole response (status, headers, body).
   */
  public static HttpResponse<String> exchange(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("Request failed: " + e, e);
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
