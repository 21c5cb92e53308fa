package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.TestIdp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix of issue 6, generated from the OpenAPI document and the GraphQL schema
 * the server publishes: every operation × {anonymous, viewer, user, another user, admin}. An
 * operation missing from the expectations below fails the test, so none can be added unguarded; a
 * caller without the operation's permission must get exactly 401 (anonymous) or 403, and one with
 * it must get neither. Zero unexpected allows.
 */
class AuthorizationMatrixIT {

  /** What an operation requires: nothing, any authenticated caller, or a permission. */
  enum Need {
    PUBLIC,
    AUTHENTICATED,
    RUN_BENCHMARK,
    VIEW_RESULTS,
    MANAGE_PROVIDERS,
    MANAGE_PLUGINS,
    MANAGE_USERS,
    ADMIN_ACCESS
  }

  /** The roles' permissions, as the seeds define them (001 section 8.2). */
  private static final Map<String, Set<Need>> GRANTS =
      Map.of(
          "admin",
          Set.of(Need.values()),
          "user",
          Set.of(
              Need.PUBLIC,
              Need.AUTHENTICATED,
              Need.RUN_BENCHMARK,
              Need.VIEW_RESULTS,
              Need.MANAGE_PROVIDERS),
          "viewer",
          Set.of(Need.PUBLIC, Need.AUTHENTICATED, Need.VIEW_RESULTS));

  /** REST operations by "METHOD path" (paths as in /openapi). */
  private static final Map<String, Need> REST = new LinkedHashMap<>();

  /** Operations whose allowed call is not made (it would disturb other tests): denials only. */
  private static final Set<String> DENIALS_ONLY =
      Set.of("DELETE /api/v1/evaluation/cache", "POST /api/v1/auth/logout");

  static {
    REST.put("POST /api/v1/auth/login", Need.PUBLIC);
    REST.put("POST /api/v1/auth/refresh", Need.PUBLIC);
    REST.put("GET /api/v1/auth/jwks", Need.PUBLIC);
    REST.put("POST /api/v1/auth/logout", Need.AUTHENTICATED);
    REST.put("GET /api/v1/auth/me", Need.AUTHENTICATED);
    REST.put("POST /api/v1/auth/apikey", Need.AUTHENTICATED);
    REST.put("GET /api/v1/auth/apikey", Need.AUTHENTICATED);
    REST.put("DELETE /api/v1/auth/apikey/{id}", Need.AUTHENTICATED);
    REST.put("GET /api/v1/users", Need.MANAGE_USERS);
    REST.put("POST /api/v1/users", Need.MANAGE_USERS);
    REST.put("PATCH /api/v1/users/{id}", Need.MANAGE_USERS);
    REST.put("GET /api/v1/servers", Need.ADMIN_ACCESS);
    REST.put("GET /api/v1/settings", Need.ADMIN_ACCESS);
    REST.put("PUT /api/v1/settings", Need.ADMIN_ACCESS);
    REST.put("POST /api/v1/benchmarks", Need.RUN_BENCHMARK);
    REST.put("GET /api/v1/benchmarks", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/benchmarks/{id}", Need.VIEW_RESULTS);
    REST.put("POST /api/v1/benchmarks/{id}/cancel", Need.RUN_BENCHMARK);
    REST.put("POST /api/v1/benchmarks/{id}/restart", Need.RUN_BENCHMARK);
    REST.put("PUT /api/v1/benchmarks/{id}/sharing", Need.RUN_BENCHMARK);
    REST.put("POST /api/v1/compare", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/results", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/results/{id}", Need.VIEW_RESULTS);
    REST.put("POST /api/v1/results/export", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/audit", Need.ADMIN_ACCESS);
    REST.put("POST /api/v1/datasets", Need.RUN_BENCHMARK);
    REST.put("POST /api/v1/datasets/import", Need.RUN_BENCHMARK);
    REST.put("GET /api/v1/datasets", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/datasets/{id}", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/datasets/{id}/test-cases", Need.VIEW_RESULTS);
    REST.put("DELETE /api/v1/datasets/{id}", Need.RUN_BENCHMARK);
    REST.put("PUT /api/v1/datasets/{id}/sharing", Need.RUN_BENCHMARK);
    REST.put("GET /api/v1/providers", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/providers/{name}", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/providers/{name}/models", Need.VIEW_RESULTS);
    REST.put("POST /api/v1/providers/{name}/health", Need.MANAGE_PROVIDERS);
    REST.put("POST /api/v1/providers", Need.MANAGE_PROVIDERS);
    REST.put("DELETE /api/v1/providers/{name}", Need.MANAGE_PROVIDERS);
    REST.put("POST /api/v1/embeddings", Need.RUN_BENCHMARK);
    REST.put("POST /api/v1/evaluate", Need.RUN_BENCHMARK);
    REST.put("GET /api/v1/evaluation/judges", Need.VIEW_RESULTS);
    REST.put("GET /api/v1/evaluation/cache", Need.VIEW_RESULTS);
    REST.put("DELETE /api/v1/evaluation/cache", Need.ADMIN_ACCESS);
  }

  /** GraphQL operations: field name → (need, a document calling it). */
  private record GqlOp(Need need, String document) {}

  private static final Map<String, GqlOp> GRAPHQL = new LinkedHashMap<>();

  static {
    String id = UUID.randomUUID().toString();
    GRAPHQL.put(
        "Query.benchmark",
        new GqlOp(Need.VIEW_RESULTS, "{ benchmark(id: \"" + id + "\") { id } }"));
    GRAPHQL.put(
        "Query.benchmarks",
        new GqlOp(Need.VIEW_RESULTS, "{ benchmarks(first: 1) { edges { cursor } } }"));
    GRAPHQL.put(
        "Query.results",
        new GqlOp(Need.VIEW_RESULTS, "{ results(first: 1) { edges { cursor } } }"));
    GRAPHQL.put(
        "Query.provider",
        new GqlOp(Need.VIEW_RESULTS, "{ provider(name: \"simulator\") { name } }"));
    GRAPHQL.put("Query.providers", new GqlOp(Need.VIEW_RESULTS, "{ providers { name } }"));
    GRAPHQL.put(
        "Query.metrics",
        new GqlOp(
            Need.VIEW_RESULTS,
            "{ metrics(labels: [{name: \"provider\", value: \"none\"}]) { name } }"));
    GRAPHQL.put(
        "Query.settings", new GqlOp(Need.ADMIN_ACCESS, "{ settings { defaultConcurrency } }"));
    // An empty input changes nothing, so the allowed call disturbs no other test.
    GRAPHQL.put(
        "Mutation.updateSettings",
        new GqlOp(
            Need.ADMIN_ACCESS, "mutation { updateSettings(input: {}) { defaultConcurrency } }"));
    GRAPHQL.put(
        "Mutation.createBenchmark",
        new GqlOp(
            Need.RUN_BENCHMARK,
            "mutation { createBenchmark(input: {datasetId: \""
                + id
                + "\", targets: [{provider: \"none\", model: \"none\"}]}) { id } }"));
    GRAPHQL.put(
        "Mutation.cancelBenchmark",
        new GqlOp(Need.RUN_BENCHMARK, "mutation { cancelBenchmark(id: \"" + id + "\") { id } }"));
    GRAPHQL.put(
        "Mutation.restartBenchmark",
        new GqlOp(Need.RUN_BENCHMARK, "mutation { restartBenchmark(id: \"" + id + "\") { id } }"));
  }

  private static final Map<String, Api.Client> CALLERS = new LinkedHashMap<>();
  private static final Map<String, String> ROLES = new LinkedHashMap<>();

  @BeforeAll
  static void callers() {
    TestIdp idp = TestIdp.get();
    String other = Fixtures.unique("other");
    Api.Res created =
        Api.post(
            "/users",
            Json.createObjectBuilder()
                .add("username", other)
                .add("password", "another-user-pass")
                .add("role", "user")
                .build()
                .toString());
    assertEquals(201, created.status(), created.toString());
    CALLERS.put("anonymous", Api.ANONYMOUS);
    CALLERS.put("viewer", Api.as("Bearer " + idp.token("matrix-viewer", TestIdp.VIEWERS)));
    CALLERS.put("user", Api.as("Bearer " + idp.token("matrix-user", TestIdp.USERS)));
    CALLERS.put("another user", Api.as("Bearer " + Api.login(other, "another-user-pass")));
    CALLERS.put("admin", Api.as("Bearer " + idp.token("matrix-admin", TestIdp.ADMINS)));
    ROLES.put("viewer", "viewer");
    ROLES.put("user", "user");
    ROLES.put("another user", "user");
    ROLES.put("admin", "admin");
  }

  @Test
  void everyRestOperationShouldAnswerEachIdentityAsItsRoleAllows() {
    JsonObject paths = Api.get(Api.BASE + "/openapi?format=JSON").json().getJsonObject("paths");
    Set<String> published = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    for (var path : paths.entrySet()) {
      for (String method : path.getValue().asJsonObject().keySet()) {
        String m = method.toUpperCase();
        if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(m)) {
          continue;
        }
        String op = m + " " + path.getKey();
        published.add(op);
        Need need = REST.get(op);
        if (need == null) {
          failures.add(op + ": not in the matrix's expectations (add it with its permission)");
          continue;
        }
        String url =
            path.getKey()
                .replace("{id}", UUID.randomUUID().toString())
                .replace("{name}", "matrix-none");
        for (var caller : CALLERS.entrySet()) {
          String who = caller.getKey();
          boolean allowed =
              need == Need.PUBLIC
                  || (!who.equals("anonymous") && GRANTS.get(ROLES.get(who)).contains(need));
          if (allowed && DENIALS_ONLY.contains(op)) {
            continue;
          }
          Api.Res res =
              caller
                  .getValue()
                  .method(m, Api.BASE + url, m.equals("GET") || m.equals("DELETE") ? null : "{}");
          int expectedDenial = who.equals("anonymous") ? 401 : 403;
          // A 403 for a business reason (e.g. API keys belong to local accounts) is no refusal of
          // the permission: refusals name it.
          boolean refused =
              res.status() == 401 || (res.status() == 403 && res.body().contains("permission"));
          if (allowed && refused) {
            failures.add(op + " as " + who + ": refused " + res.status() + " but allowed");
          } else if (!allowed && (res.status() != expectedDenial || !refusalBody(res))) {
            failures.add(
                op
                    + " as "
                    + who
                    + ": expected "
                    + expectedDenial
                    + ", got "
                    + res.status()
                    + " (UNEXPECTED ALLOW unless 401/403)");
          }
        }
      }
    }
    for (String op : REST.keySet()) {
      if (!published.contains(op)) {
        failures.add(op + ": expected in /openapi but not published");
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private static boolean refusalBody(Api.Res res) {
    return res.contentType().startsWith("application/problem+json")
        && (res.status() == 401 || res.body().contains("permission"));
  }

  @Test
  void everyGraphqlOperationShouldAnswerEachIdentityAsItsRoleAllows() {
    List<String> ops = new ArrayList<>();
    for (String kind : List.of("queryType", "mutationType")) {
      // One type per query: SmallRye refuses introspection asking for fields twice.
      JsonObject schema =
          Api.graphql("{ __schema { " + kind + " { fields { name } } } }", null)
              .getJsonObject("data")
              .getJsonObject("__schema");
      if (schema.isNull(kind)) {
        continue;
      }
      for (JsonValue f : schema.getJsonObject(kind).getJsonArray("fields")) {
        ops.add(
            (kind.equals("queryType") ? "Query." : "Mutation.")
                + f.asJsonObject().getString("name"));
      }
    }
    List<String> failures = new ArrayList<>();
    for (String op : ops) {
      GqlOp expected = GRAPHQL.get(op);
      if (expected == null) {
        failures.add(op + ": not in the matrix's expectations (add it with its permission)");
        continue;
      }
      for (var caller : CALLERS.entrySet()) {
        String who = caller.getKey();
        Api.Res res = caller.getValue().graphqlRaw(expected.document(), null);
        if (who.equals("anonymous")) {
          if (res.status() != 401) {
            failures.add(op + " as anonymous: expected 401, got " + res);
          }
          continue;
        }
        boolean allowed = GRANTS.get(ROLES.get(who)).contains(expected.need());
        boolean denied = res.status() == 200 && res.body().contains("permission");
        if (res.status() != 200) {
          failures.add(op + " as " + who + ": HTTP " + res);
        } else if (allowed == denied) {
          failures.add(
              op
                  + " as "
                  + who
                  + ": "
                  + (allowed ? "refused but allowed" : "UNEXPECTED ALLOW")
                  + " "
                  + res.body());
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * Ownership: for every published operation on a run id ({@code /benchmarks/{id}...}), a run
   * created by "user" answers 404 to "another user" (a different local account) and to the viewer
   * (not shared with them), exactly as an unknown id; its owner and admins get no 404. The same for
   * GraphQL {@code benchmark(id)} and the run's results.
   */
  @Test
  void anotherUserShouldGetNotFoundForEveryOperationOnSomeoneElsesRun() {
    String dataset = Fixtures.sumDataset(1);
    Api.Res created =
        CALLERS
            .get("user")
            .post(
                "/benchmarks",
                "{\"datasetId\":\""
                    + dataset
                    + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"echo\"}]}");
    assertEquals(202, created.status(), created.toString());
    String run = created.json().getString("id");
    Api.awaitRunEnd(run, java.time.Duration.ofMinutes(2));
    String result =
        Api.get("/results?runId=" + run)
            .json()
            .getJsonArray("items")
            .getJsonObject(0)
            .getString("id");
    JsonObject paths = Api.get(Api.BASE + "/openapi?format=JSON").json().getJsonObject("paths");
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (var path : paths.entrySet()) {
      String p = path.getKey();
      boolean onRun = p.startsWith("/api/v1/benchmarks/{id}");
      boolean onResult = p.equals("/api/v1/results/{id}");
      if (!onRun && !onResult) {
        continue;
      }
      for (String method : path.getValue().asJsonObject().keySet()) {
        String m = method.toUpperCase();
        String url = Api.BASE + p.replace("{id}", onRun ? run : result);
        for (String who : List.of("another user", "viewer")) {
          if (!GRANTS.get(ROLES.get(who)).contains(REST.get(m + " " + p))) {
            continue; // refused by permission already (the other test)
          }
          checked++;
          Api.Res res = CALLERS.get(who).method(m, url, m.equals("GET") ? null : "{}");
          if (res.status() != 404) {
            failures.add(m + " " + p + " as " + who + ": expected 404, got " + res);
          }
        }
        if (m.equals("GET")) {
          for (String who : List.of("user", "admin")) {
            Api.Res res = CALLERS.get(who).get(url);
            if (res.status() != 200) {
              failures.add(m + " " + p + " as " + who + " (owner/admin): got " + res);
            }
          }
        }
      }
    }
    assertTrue(checked >= 4, "operations on a run id checked: " + checked);
    for (String who : List.of("another user", "viewer")) {
      Api.Res gql =
          CALLERS
              .get(who)
              .graphqlRaw(
                  "{ benchmark(id: \""
                      + run
                      + "\") { id } results(filter: {runId: \""
                      + run
                      + "\"}) { edges { node { id } } } }",
                  null);
      if (!gql.body().contains("does not exist") || gql.body().contains(result)) {
        failures.add("GraphQL benchmark/results as " + who + ": " + gql);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }
}
