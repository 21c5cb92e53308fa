package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nested GraphQL fields: Benchmark.results (first, after, filter) with the cursors of the top-level
 * results query, and Result.benchmark. Batching is checked by GraphQLBatchIT, ownership by
 * OwnershipIT.
 */
class GraphQLNestedIT {

  static String runId;
  static String tag;

  @BeforeAll
  static void run() {
    tag = Fixtures.unique("nested");
    Api.Res created =
        Api.post(
            "/benchmarks",
            "{\"datasetId\":\""
                + Fixtures.sumDataset(3)
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"echo\"}],"
                + "\"cache\":false,\"tags\":[\""
                + tag
                + "\"]}");
    assertEquals(202, created.status(), created.toString());
    runId = created.json().getString("id");
    assertEquals(
        "completed", Api.awaitRunEnd(runId, java.time.Duration.ofMinutes(2)).getString("status"));
  }

  private static JsonObject data(String query, JsonObject variables) {
    JsonObject answer = Api.graphql(query, variables);
    assertFalse(answer.containsKey("errors"), answer.toString());
    return answer.getJsonObject("data");
  }

  private static JsonObject vars(String... kv) {
    var b = Json.createObjectBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      b.add(kv[i], kv[i + 1]);
    }
    return b.build();
  }

  private static final String PAGE =
      "{ edges { cursor node { id latencyMs benchmark { id status } } }"
          + " pageInfo { hasNextPage endCursor } count }";

  @Test
  void shouldPageABenchmarksResultsWithTheCursorsOfTheTopLevelQuery() {
    JsonObject b =
        data(
                "query($id: ID!) { benchmark(id: $id) { status resultCount results(first: 2) "
                    + PAGE
                    + " } }",
                vars("id", runId))
            .getJsonObject("benchmark");
    assertEquals("completed", b.getString("status"));
    assertEquals(3, b.getInt("resultCount"));
    JsonObject nested = b.getJsonObject("results");
    assertEquals(2, nested.getInt("count"), nested.toString());
    assertTrue(nested.getJsonObject("pageInfo").getBoolean("hasNextPage"), nested.toString());
    for (JsonValue e : nested.getJsonArray("edges")) {
      JsonObject node = e.asJsonObject().getJsonObject("node");
      assertEquals(runId, node.getJsonObject("benchmark").getString("id"), node.toString());
      assertEquals("completed", node.getJsonObject("benchmark").getString("status"));
    }

    // The same edges and cursors as the top-level results query of the run.
    JsonObject top =
        data(
                "query($id: String) { results(first: 2, filter: {runId: $id}) " + PAGE + " }",
                vars("id", runId))
            .getJsonObject("results");
    assertEquals(nested.getJsonArray("edges"), top.getJsonArray("edges"));
    assertEquals(nested.getJsonObject("pageInfo"), top.getJsonObject("pageInfo"));

    // Paging on from the nested field's cursor, at the top level and nested alike.
    String end = nested.getJsonObject("pageInfo").getString("endCursor");
    JsonObject restTop =
        data(
                "query($id: String, $after: String) {"
                    + " results(filter: {runId: $id}, after: $after) "
                    + PAGE
                    + " }",
                vars("id", runId, "after", end))
            .getJsonObject("results");
    JsonObject restNested =
        data(
                "query($id: ID!, $after: String) { benchmark(id: $id) {"
                    + " results(first: 2, after: $after) "
                    + PAGE
                    + " } }",
                vars("id", runId, "after", end))
            .getJsonObject("benchmark")
            .getJsonObject("results");
    assertEquals(1, restNested.getInt("count"), restNested.toString());
    assertFalse(restNested.getJsonObject("pageInfo").getBoolean("hasNextPage"));
    assertEquals(restTop.getJsonArray("edges"), restNested.getJsonArray("edges"));
    List<String> ids =
        List.of(
            nested.getJsonArray("edges").getJsonObject(0).getJsonObject("node").getString("id"),
            nested.getJsonArray("edges").getJsonObject(1).getJsonObject("node").getString("id"),
            restNested
                .getJsonArray("edges")
                .getJsonObject(0)
                .getJsonObject("node")
                .getString("id"));
    assertEquals(3, ids.stream().distinct().count(), ids.toString());
  }

  @Test
  void shouldFilterAndBatchAPageOfBenchmarksWithDifferentArguments() {
    // Two selections of the field with different arguments on a page of benchmarks.
    JsonObject page =
        data(
                "query($tag: String!) { benchmarks(first: 5, filter: {tags: [$tag]}) { edges {"
                    + " node { id one: results(first: 1) { count pageInfo { hasNextPage } }"
                    + " all: results { count }"
                    + " passed: results(filter: {passed: true}) { count }"
                    + " notPassed: results(filter: {passed: false}) { count }"
                    + " errored: results(filter: {status: \"error\"}) { count }"
                    + " other: results(filter: {runId: \"00000000-0000-0000-0000-000000000000\"})"
                    + " { count } } } } }",
                vars("tag", tag))
            .getJsonObject("benchmarks");
    JsonArray edges = page.getJsonArray("edges");
    assertEquals(1, edges.size(), page.toString());
    JsonObject node = edges.getJsonObject(0).getJsonObject("node");
    assertEquals(runId, node.getString("id"));
    assertEquals(1, node.getJsonObject("one").getInt("count"));
    assertTrue(node.getJsonObject("one").getJsonObject("pageInfo").getBoolean("hasNextPage"));
    assertEquals(3, node.getJsonObject("all").getInt("count"));
    assertEquals(
        3,
        node.getJsonObject("passed").getInt("count")
            + node.getJsonObject("notPassed").getInt("count"),
        node.toString());
    assertEquals(0, node.getJsonObject("errored").getInt("count"));
    // A filter naming another run gives nothing through this one.
    assertEquals(0, node.getJsonObject("other").getInt("count"));
  }

  @Test
  void shouldAnswerTheBenchmarkOfEveryResultOfAPage() {
    JsonObject results =
        data(
                "query($id: String) { results(first: 3, filter: {runId: $id}) { edges { node {"
                    + " runId benchmark { id name results(first: 1) { count } } } } } }",
                vars("id", runId))
            .getJsonObject("results");
    assertEquals(3, results.getJsonArray("edges").size());
    for (JsonValue e : results.getJsonArray("edges")) {
      JsonObject node = e.asJsonObject().getJsonObject("node");
      assertEquals(node.getString("runId"), node.getJsonObject("benchmark").getString("id"));
      assertEquals(1, node.getJsonObject("benchmark").getJsonObject("results").getInt("count"));
    }
  }

  @Test
  void shouldRefuseMoreThanAHundredNestedResultsWithAClearError() {
    for (int first : new int[] {101, 0}) {
      Api.Res res =
          Api.ADMIN.graphqlRaw(
              "query($id: ID!, $n: Int!) { benchmark(id: $id) { id results(first: $n) { count }"
                  + " } }",
              Json.createObjectBuilder().add("id", runId).add("n", first).build());
      assertEquals(200, res.status(), res.toString());
      JsonObject answer = res.json();
      assertTrue(answer.containsKey("errors"), answer.toString());
      assertTrue(
          answer.toString().contains("first must be between 1 and 100, was " + first),
          answer.toString());
      // The benchmark itself is still answered.
      assertEquals(runId, answer.getJsonObject("data").getJsonObject("benchmark").getString("id"));
    }
    Api.Res bad =
        Api.ADMIN.graphqlRaw(
            "query($id: ID!) { benchmark(id: $id) { results(filter: {runId: \"nope\"}) { count }"
                + " } }",
            vars("id", runId));
    assertTrue(bad.body().contains("not a benchmark id"), bad.toString());
  }
}
