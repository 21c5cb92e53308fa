package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/benchmarks and GraphQL benchmarks filter by provider, model, creation time and tags,
 * page with stable cursors under a filter, and still show a caller only the runs they may read.
 */
class BenchmarkFilterIT {

  private static final String TAG = Fixtures.unique("ftag");
  private static final String EXTRA = Fixtures.unique("fx");
  private static String a;
  private static String b;
  private static String c;

  @BeforeAll
  static void runs() {
    String ds = Fixtures.sumDataset(1);
    a = start(ds, "m1", "[\"" + TAG + "\",\"" + EXTRA + "\"]");
    b = start(ds, "m2", "[\"" + TAG + "\"]");
    c = start(ds, "m1", "[\"" + TAG + "\"]");
    for (String id : List.of(a, b, c)) {
      Api.awaitRunEnd(id, Duration.ofSeconds(60));
    }
  }

  private static String start(String ds, String model, String tags) {
    Api.Res r = Fixtures.startRun("simulator", model, ds, "\"tags\":" + tags);
    assertEquals(202, r.status(), r.toString());
    return r.json().getString("id");
  }

  private static List<String> ids(Api.Client client, String query) {
    Api.Res r = client.get("/benchmarks?tag=" + TAG + query);
    assertEquals(200, r.status(), r.toString());
    List<String> out = new ArrayList<>();
    for (JsonValue v : r.json().getJsonArray("items")) {
      out.add(v.asJsonObject().getString("id"));
    }
    return out;
  }

  @Test
  void restShouldFilterByEveryCriterion() {
    assertEquals(List.of(c, b, a), ids(Api.ADMIN, ""));
    assertEquals(List.of(a), ids(Api.ADMIN, "&tag=" + EXTRA));
    assertEquals(List.of(c, a), ids(Api.ADMIN, "&model=m1"));
    assertEquals(List.of(b), ids(Api.ADMIN, "&provider=simulator&model=m2"));
    assertEquals(List.of(), ids(Api.ADMIN, "&provider=no-such-provider"));
    assertEquals(List.of(c, b, a), ids(Api.ADMIN, "&status=completed&createdAfter=2020-01-01"));
    String later = Instant.now().plusSeconds(3600).toString();
    assertEquals(List.of(), ids(Api.ADMIN, "&createdAfter=" + later));
    assertEquals(List.of(c, b, a), ids(Api.ADMIN, "&createdBefore=" + later));

    Api.Res bad = Api.get("/benchmarks?createdAfter=yesterday");
    assertEquals(400, bad.status(), bad.toString());
    assertTrue(bad.body().contains("createdAfter"), bad.toString());
  }

  @Test
  void restCursorsShouldStayStableUnderAFilter() {
    Api.Res first = Api.get("/benchmarks?limit=1&model=m1&tag=" + TAG);
    assertEquals(c, first.json().getJsonArray("items").getJsonObject(0).getString("id"));
    String cursor = first.json().getString("nextCursor");
    Api.Res second = Api.get("/benchmarks?limit=1&model=m1&tag=" + TAG + "&cursor=" + cursor);
    assertEquals(a, second.json().getJsonArray("items").getJsonObject(0).getString("id"));
    JsonValue next = second.json().get("nextCursor");
    assertTrue(next == null || next == JsonValue.NULL, second.toString());
  }

  @Test
  void graphqlShouldFilterAndPage() {
    String q =
        "query($f: BenchmarkFilter, $after: String) { benchmarks(filter: $f, first: 1, after:"
            + " $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }";
    JsonObject f =
        Json.createObjectBuilder()
            .add("model", "m1")
            .add("tags", Json.createArrayBuilder().add(TAG))
            .add("createdAfter", "2020-01-01T00:00:00Z")
            .build();
    JsonObject page1 = benchmarks(q, f, null);
    assertEquals(c, nodeId(page1));
    assertTrue(page1.getJsonObject("pageInfo").getBoolean("hasNextPage"));
    JsonObject page2 = benchmarks(q, f, page1.getJsonObject("pageInfo").getString("endCursor"));
    assertEquals(a, nodeId(page2));
    assertTrue(!page2.getJsonObject("pageInfo").getBoolean("hasNextPage"), page2.toString());

    JsonObject bad =
        Api.graphql(
            q,
            Json.createObjectBuilder()
                .add("f", Json.createObjectBuilder().add("createdBefore", "soon"))
                .build());
    assertTrue(String.valueOf(bad.get("errors")).contains("createdBefore"), bad.toString());
  }

  @Test
  void anotherUserShouldSeeNoneOfThemWhateverTheFilter() {
    String other = Fixtures.unique("filter-other");
    Api.Res created =
        Api.post(
            "/users",
            Json.createObjectBuilder()
                .add("username", other)
                .add("password", "filter-other-pass")
                .add("role", "user")
                .build()
                .toString());
    assertEquals(201, created.status(), created.toString());
    Api.Client client = Api.as("Bearer " + Api.login(other, "filter-other-pass"));
    assertEquals(List.of(), ids(client, ""));
    assertEquals(List.of(), ids(client, "&model=m1&provider=simulator"));
    Api.Res gql =
        client.graphqlRaw(
            "{ benchmarks(filter: {tags: [\"" + TAG + "\"]}) { edges { node { id } } } }", null);
    assertEquals(200, gql.status(), gql.toString());
    assertEquals(
        0,
        gql.json().getJsonObject("data").getJsonObject("benchmarks").getJsonArray("edges").size(),
        gql.toString());
  }

  private static JsonObject benchmarks(String q, JsonObject f, String after) {
    var vars = Json.createObjectBuilder().add("f", f);
    if (after == null) {
      vars.addNull("after");
    } else {
      vars.add("after", after);
    }
    JsonObject answer = Api.graphql(q, vars.build());
    assertTrue(answer.get("errors") == null, answer.toString());
    return answer.getJsonObject("data").getJsonObject("benchmarks");
  }

  private static String nodeId(JsonObject connection) {
    return connection.getJsonArray("edges").getJsonObject(0).getJsonObject("node").getString("id");
  }
}
