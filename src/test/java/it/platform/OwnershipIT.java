package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.GraphQLWsNode;
import it.support.TestIdp;
import it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ownership (issue 6, docs/security.md): a run and its results belong to the caller that created
 * it. Another user (a local account or an IdP identity) and a viewer get 404 for its id and never
 * see it in lists, result queries, full-text search, exports, comparisons, GraphQL or /ws events;
 * its owner and admins see it.
 */
class OwnershipIT {

  static Api.Client alice; // local account, role user: owns the run
  static Api.Client bob; // IdP user
  static Api.Client carol; // another local account
  static Api.Client viewer; // IdP viewer
  static String bobAuth;
  static String aliceAuth;
  static String dataset;

  @BeforeAll
  static void callers() {
    TestIdp idp = TestIdp.get();
    aliceAuth = "Bearer " + Api.login(localUser("alice"), "ownership-pass");
    alice = Api.as(aliceAuth);
    carol = Api.as("Bearer " + Api.login(localUser("carol"), "ownership-pass"));
    bobAuth = "Bearer " + idp.token(Fixtures.unique("bob"), TestIdp.USERS);
    bob = Api.as(bobAuth);
    viewer = Api.as("Bearer " + idp.token(Fixtures.unique("viewer"), TestIdp.VIEWERS));
    dataset = Fixtures.sumDataset(3);
  }

  private static String localUser(String prefix, String... groups) {
    return localAccount(prefix, "user", groups);
  }

  private static String localAccount(String prefix, String role, String... groups) {
    String name = Fixtures.unique(prefix);
    var groupArray = Json.createArrayBuilder();
    for (String g : groups) {
      groupArray.add(g);
    }
    Api.Res created =
        Api.post(
            "/users",
            Json.createObjectBuilder()
                .add("username", name)
                .add("password", "ownership-pass")
                .add("role", role)
                .add("groups", groupArray)
                .build()
                .toString());
    assertEquals(201, created.status(), created.toString());
    return name;
  }

  private static Api.Res start(Api.Client as, String more) {
    return as.post(
        Api.BASE + "/api/v1/benchmarks",
        "{\"datasetId\":\""
            + dataset
            + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"echo\"}],"
            + "\"cache\":false"
            + more
            + "}");
  }

  private static String run(Api.Client as, String marker) {
    Api.Res created =
        as.post(
            Api.BASE + "/api/v1/benchmarks",
            "{\"name\":\""
                + marker
                + "\",\"datasetId\":\""
                + dataset
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"echo\"}],"
                + "\"cache\":false,\"tags\":[\""
                + marker
                + "\"]}");
    assertEquals(202, created.status(), created.toString());
    String id = created.json().getString("id");
    assertEquals("completed", Api.awaitRunEnd(id, Duration.ofMinutes(2)).getString("status"));
    return id;
  }

  @Test
  void anotherUserAViewerAndAnIdpUserShouldNeverSeeSomeoneElsesRun() throws Exception {
    String marker = Fixtures.unique("alice-secret");
    String runId;
    String bobRun;
    try (WsClient bobWs = WsClient.connect(Api.BASE, bobAuth);
        WsClient aliceWs = WsClient.connect(Api.BASE, aliceAuth)) {
      for (WsClient ws : List.of(bobWs, aliceWs)) {
        ws.send("{\"type\":\"Subscribe\",\"topics\":[\"benchmark.*\",\"test.completed\"]}");
        assertEquals("Ack", ws.next(Duration.ofSeconds(10)).getString("type"));
      }
      runId = run(alice, marker);
      // Subscribing to the run by id gives another user nothing either.
      bobWs.send(
          "{\"type\":\"Subscribe\",\"topics\":[\"test.completed\"],\"session_id\":\""
              + runId
              + "\"}");
      bobRun = run(bob, Fixtures.unique("bob-run"));
      Api.await(
          "bob's own events",
          Duration.ofSeconds(20),
          () -> bobWs.received().stream().anyMatch(m -> m.toString().contains(bobRun)));
      Api.await(
          "alice's own events",
          Duration.ofSeconds(20),
          () -> aliceWs.received().stream().anyMatch(m -> m.toString().contains(runId)));
      for (JsonObject m : bobWs.received()) {
        assertFalse(m.toString().contains(runId), "bob received alice's event " + m);
      }
      for (JsonObject m : aliceWs.received()) {
        assertFalse(m.toString().contains(bobRun), "alice received bob's event " + m);
      }
    }
    String resultId =
        alice
            .get(Api.BASE + "/api/v1/results?runId=" + runId)
            .json()
            .getJsonArray("items")
            .getJsonObject(0)
            .getString("id");

    // The owner and admins see it.
    assertEquals(200, alice.get(Api.BASE + "/api/v1/benchmarks/" + runId).status());
    assertEquals(200, Api.get("/benchmarks/" + runId).status());
    assertEquals(200, Api.get("/results/" + resultId).status());

    for (var entry :
        List.of(
            java.util.Map.entry("another local user", carol),
            java.util.Map.entry("an IdP user", bob),
            java.util.Map.entry("a viewer", viewer))) {
      String who = entry.getKey();
      Api.Client c = entry.getValue();
      String api = Api.BASE + "/api/v1";
      assertEquals(404, c.get(api + "/benchmarks/" + runId).status(), who);
      assertEquals(404, c.get(api + "/results/" + resultId).status(), who);
      assertFalse(c.get(api + "/benchmarks?limit=500").body().contains(runId), who);
      assertEquals(
          0,
          c.get(api + "/results?runId=" + runId).json().getJsonArray("items").size(),
          who + " results by runId");
      assertFalse(c.get(api + "/results?limit=1000").body().contains(runId), who + " results");
      assertFalse(
          c.get(api + "/results?limit=1000&tag=" + marker).body().contains(runId), who + " tag");
      assertFalse(
          c.get(api + "/results?limit=1000&q=What").body().contains(runId), who + " search");
      assertEquals(
          404,
          c.post(api + "/results/export", "{\"format\":\"json\",\"runId\":\"" + runId + "\"}")
              .status(),
          who + " export");
      Api.Res all = c.post(api + "/results/export", "{\"format\":\"csv\"}");
      assertEquals(200, all.status(), who + " export all");
      assertFalse(all.body().contains(runId), who + " export all");
      assertEquals(
          404,
          c.post(api + "/compare", "{\"runId\":\"" + runId + "\"}").status(),
          who + " compare");
      if (c != viewer) {
        assertEquals(404, c.post(api + "/benchmarks/" + runId + "/cancel", "{}").status(), who);
        assertEquals(404, c.post(api + "/benchmarks/" + runId + "/restart", "{}").status(), who);
      }
      // GraphQL: the run by id, the list, results (and a nested selection of them).
      String gql =
          c.graphqlRaw(
                  "{ benchmark(id: \""
                      + runId
                      + "\") { id name } benchmarks(first: 500) { edges { node { id } } } }",
                  null)
              .body();
      assertFalse(gql.contains(marker), who + " graphql " + gql);
      assertFalse(gql.contains("\"id\":\"" + runId), who + " graphql " + gql);
      assertTrue(gql.contains("does not exist"), who + " graphql " + gql);
      String gqlResults =
          c.graphqlRaw(
                  "{ results(first: 1000, filter: {runId: \""
                      + runId
                      + "\"}) { edges { node { id runId } } } }",
                  null)
              .body();
      assertFalse(gqlResults.contains(runId) || gqlResults.contains(resultId), who + gqlResults);
      // Nested fields reach nothing either: results under the caller's own benchmarks (even
      // filtered by the other run's id), the benchmark of every result the caller sees.
      String nested =
          c.graphqlRaw(
                  "{ benchmarks(first: 500) { edges { node { id results(first: 100) { edges {"
                      + " node { id runId benchmark { id name } } } }"
                      + " other: results(filter: {runId: \""
                      + runId
                      + "\"}) { count edges { node { id } } } } } }"
                      + " results(first: 1000) { edges { node { id benchmark { id name } } } } }",
                  null)
              .body();
      assertFalse(nested.contains("errors"), who + " nested " + nested);
      assertFalse(
          nested.contains(runId) || nested.contains(resultId) || nested.contains(marker),
          who + " nested " + nested);
      if (c == bob) {
        // bob's own run shows its results nested, and they lead back to it only.
        assertTrue(nested.contains("\"runId\":\"" + bobRun + "\""), nested);
      }
    }
    // The owner reaches the run's results nested, and their benchmark from each of them.
    String own =
        alice
            .graphqlRaw(
                "{ benchmark(id: \""
                    + runId
                    + "\") { results(first: 100) { count edges { node { id benchmark { id } }"
                    + " } } } }",
                null)
            .body();
    assertTrue(own.contains("\"count\":3"), own);
    assertTrue(own.contains(resultId), own);
    // bob's own run is his: alice does not see it.
    assertEquals(404, alice.get(Api.BASE + "/api/v1/benchmarks/" + bobRun).status());
    assertEquals(200, bob.get(Api.BASE + "/api/v1/benchmarks/" + bobRun).status());
  }

  @Test
  void aRunSharedWithAGroupShouldBeReadByItsMembersAndChangedByItsOwnerOnly() throws Exception {
    String team = Fixtures.unique("team");
    String ownerName = localUser("dora", team);
    Api.Client owner = Api.as("Bearer " + Api.login(ownerName, "ownership-pass"));
    // Groups of local accounts: shown by /auth/me and the users list, settable by admins only.
    String memberName = localUser("erin");
    String memberId =
        Api.get("/users").array().stream()
            .map(JsonValue::asJsonObject)
            .filter(u -> u.getString("username").equals(memberName))
            .findFirst()
            .orElseThrow()
            .getString("id");
    assertEquals(
        400,
        Api.ADMIN.method("PATCH", "/users/" + memberId, "{\"groups\":[\"not a group\"]}").status());
    Api.Res patched =
        Api.ADMIN.method("PATCH", "/users/" + memberId, "{\"groups\":[\"" + team + "\"]}");
    assertEquals(200, patched.status(), patched.toString());
    assertEquals(List.of(team), strings(patched.json().getJsonArray("groups")));
    assertEquals(403, owner.method("PATCH", "/users/" + memberId, "{\"groups\":[]}").status());
    Api.Client member = Api.as("Bearer " + Api.login(memberName, "ownership-pass"));
    assertEquals(List.of(team), strings(member.get("/auth/me").json().getJsonArray("groups")));
    Api.Res key = member.post("/auth/apikey", "{\"name\":\"share\",\"role\":\"viewer\"}");
    assertEquals(201, key.status(), key.toString());
    Api.Client memberKey = Api.as("Bearer " + key.json().getString("key"));

    // shareWith on creation: a group of the creator's only, and a group name.
    Api.Res notMine = start(owner, ",\"shareWith\":\"" + Fixtures.unique("other-team") + "\"");
    assertEquals(403, notMine.status(), notMine.toString());
    assertTrue(notMine.contentType().startsWith("application/problem+json"), notMine.toString());
    assertTrue(notMine.body().contains(team), "names the groups one may use: " + notMine);
    assertEquals(400, start(owner, ",\"shareWith\":\"a b\"").status());
    Api.Res created = start(owner, ",\"shareWith\":\"" + team + "\"");
    assertEquals(202, created.status(), created.toString());
    String runId = created.json().getString("id");
    assertEquals(team, created.json().getString("sharedGroup"));
    assertEquals("completed", Api.awaitRunEnd(runId, Duration.ofMinutes(2)).getString("status"));

    // Members read it (token and API key alike), in lists, results and GraphQL; others do not.
    String run = "/benchmarks/" + runId;
    for (Api.Client c : List.of(member, memberKey)) {
      assertEquals(200, c.get(run).status());
      assertTrue(c.get("/benchmarks?limit=500").body().contains(runId));
      assertEquals(3, c.get("/results?runId=" + runId).json().getJsonArray("items").size());
    }
    String gql =
        member.graphqlRaw("{ benchmark(id: \"" + runId + "\") { sharedGroup } }", null).body();
    assertTrue(gql.contains("\"sharedGroup\":\"" + team + "\""), gql);
    // Its results nested, in a member's page of benchmarks and back from each result; nothing
    // nested for someone outside the group.
    String nestedQuery =
        "{ benchmarks(first: 500) { edges { node { id results(first: 5) { count edges { node {"
            + " runId benchmark { id sharedGroup } } } } } } } }";
    for (Api.Client c : List.of(member, memberKey)) {
      JsonObject page = c.graphqlRaw(nestedQuery, null).json();
      assertFalse(page.containsKey("errors"), page.toString());
      JsonObject node =
          page.getJsonObject("data").getJsonObject("benchmarks").getJsonArray("edges").stream()
              .map(e -> e.asJsonObject().getJsonObject("node"))
              .filter(n -> n.getString("id").equals(runId))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the shared run in the member's page " + page));
      assertEquals(3, node.getJsonObject("results").getInt("count"), node.toString());
      for (JsonValue e : node.getJsonObject("results").getJsonArray("edges")) {
        JsonObject b = e.asJsonObject().getJsonObject("node").getJsonObject("benchmark");
        assertEquals(runId, b.getString("id"), node.toString());
        assertEquals(team, b.getString("sharedGroup"), node.toString());
      }
    }
    assertFalse(carol.graphqlRaw(nestedQuery, null).body().contains(runId));
    assertEquals(404, carol.get(run).status());
    assertEquals(404, viewer.get(run).status());
    // Only the owner (or an admin) changes it or its sharing.
    assertEquals(403, member.post(run + "/restart", "{}").status());
    assertEquals(403, member.method("PUT", run + "/sharing", "{\"group\":null}").status());
    assertEquals(404, carol.method("PUT", run + "/sharing", "{\"group\":null}").status());
    assertEquals(403, viewer.method("PUT", run + "/sharing", "{\"group\":null}").status());
    assertEquals(
        403,
        owner
            .method("PUT", run + "/sharing", "{\"group\":\"" + Fixtures.unique("x") + "\"}")
            .status());

    // Unsharing takes effect at once (cached answers and ownership included).
    Api.Res unshared = owner.method("PUT", run + "/sharing", "{\"group\":null}");
    assertEquals(200, unshared.status(), unshared.toString());
    assertFalse(
        unshared.json().containsKey("sharedGroup") && !unshared.json().isNull("sharedGroup"),
        unshared.toString());
    assertEquals(404, member.get(run).status());
    assertEquals(404, memberKey.get(run).status());
    assertEquals(200, owner.get(run).status());
    // An admin shares with any group, member or not.
    Api.Res byAdmin = Api.ADMIN.method("PUT", run + "/sharing", "{\"group\":\"" + team + "\"}");
    assertEquals(200, byAdmin.status(), byAdmin.toString());
    assertEquals(200, member.get(run).status());
    // The change is audited like every mutation.
    Api.await(
        "the sharing change in the audit log",
        Duration.ofSeconds(20),
        () -> Api.get("/audit?resourceId=" + runId + "&limit=100").body().contains("sharing"));

    // GraphQL createBenchmark applies the same rule.
    String refused =
        owner
            .graphqlRaw(
                "mutation { createBenchmark(input: {datasetId: \""
                    + dataset
                    + "\", targets: [{provider: \"simulator\", model: \"echo\"}], shareWith: \""
                    + Fixtures.unique("nope")
                    + "\"}) { id } }",
                null)
            .body();
    assertTrue(refused.contains("errors"), refused);
    String shared =
        owner
            .graphqlRaw(
                "mutation { createBenchmark(input: {datasetId: \""
                    + dataset
                    + "\", targets: [{provider: \"simulator\", model: \"echo\"}], shareWith: \""
                    + team
                    + "\"}) { id sharedGroup } }",
                null)
            .body();
    assertTrue(shared.contains("\"sharedGroup\":\"" + team + "\""), shared);
  }

  @Test
  void aDatasetShouldBeSeenUsedAndChangedOnlyByItsOwnerItsGroupAndAdmins() throws Exception {
    String team = Fixtures.unique("data-team");
    String ownerName = localUser("frank", team);
    Api.Client owner = Api.as("Bearer " + Api.login(ownerName, "ownership-pass"));
    Api.Client member = Api.as("Bearer " + Api.login(localUser("gina", team), "ownership-pass"));
    Api.Client groupViewer =
        Api.as("Bearer " + Api.login(localAccount("hal", "viewer", team), "ownership-pass"));
    Api.Res created =
        owner.post(
            "/datasets",
            "{\"name\":\""
                + Fixtures.unique("private-data")
                + "\",\"testCases\":[{\"prompt\":\"secret prompt\",\"expected\":\"x\"}]}");
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    assertFalse(created.json().getBoolean("sharedWithAll"));
    String path = "/datasets/" + id;
    String runIt =
        "{\"datasetId\":\""
            + id
            + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"echo\"}]}";
    String gqlRun =
        "mutation { createBenchmark(input: {datasetId: \""
            + id
            + "\", targets: [{provider: \"simulator\", model: \"echo\"}]}) { id } }";

    // Nobody else sees it: not by id, not its cases, not in lists, not to run, not to change.
    for (Api.Client other : List.of(carol, bob, viewer, member, groupViewer)) {
      assertEquals(404, other.get(path).status());
      assertEquals(404, other.get(path + "/test-cases").status());
      assertFalse(other.get("/datasets?limit=500").body().contains(id));
      // Viewers may change no dataset at all (403 before any lookup); users learn nothing (404).
      int refused = other == viewer || other == groupViewer ? 403 : 404;
      assertEquals(refused, other.delete(path).status());
      assertEquals(refused, other.method("PUT", path + "/sharing", "{\"group\":null}").status());
    }
    for (Api.Client other : List.of(carol, bob, member)) {
      Api.Res run = other.post("/benchmarks", runIt);
      assertEquals(400, run.status(), run.toString());
      assertTrue(run.body().contains("unknown-dataset"), run.toString());
      String gql = other.graphqlRaw(gqlRun, null).body();
      assertTrue(gql.contains("errors") && gql.contains("does not exist"), gql);
    }
    // Its owner and admins do.
    for (Api.Client c : List.of(owner, Api.ADMIN)) {
      assertEquals(200, c.get(path).status());
      assertTrue(c.get(path + "/test-cases").body().contains("secret prompt"));
      assertTrue(c.get("/datasets?limit=500").body().contains(id));
    }

    // Only an admin shares with everyone; only a group of one's own.
    assertEquals(403, owner.method("PUT", path + "/sharing", "{\"sharedWithAll\":true}").status());
    Api.Res notMine =
        owner.method("PUT", path + "/sharing", "{\"group\":\"" + Fixtures.unique("other") + "\"}");
    assertEquals(403, notMine.status(), notMine.toString());
    assertEquals(
        403,
        owner
            .post(
                "/datasets",
                "{\"name\":\"x\",\"sharedWithAll\":true," + "\"testCases\":[{\"prompt\":\"p\"}]}")
            .status());

    // Shared with the group: members read it and run it, a viewer of the group reads it; only the
    // owner (or an admin) changes or deletes it; others still see nothing.
    Api.Res shared = owner.method("PUT", path + "/sharing", "{\"group\":\"" + team + "\"}");
    assertEquals(200, shared.status(), shared.toString());
    assertEquals(team, shared.json().getString("sharedGroup"));
    for (Api.Client c : List.of(member, groupViewer)) {
      assertEquals(200, c.get(path).status());
      assertTrue(c.get(path + "/test-cases").body().contains("secret prompt"));
      assertTrue(c.get("/datasets?limit=500").body().contains(id));
      assertEquals(403, c.delete(path).status());
      assertEquals(403, c.method("PUT", path + "/sharing", "{\"group\":null}").status());
    }
    Api.Res memberRun = member.post("/benchmarks", runIt);
    assertEquals(202, memberRun.status(), memberRun.toString());
    String memberRunId = memberRun.json().getString("id");
    assertEquals(403, groupViewer.post("/benchmarks", runIt).status());
    for (Api.Client other : List.of(carol, bob, viewer)) {
      assertEquals(404, other.get(path).status());
    }
    for (Api.Client other : List.of(carol, bob)) {
      assertEquals(400, other.post("/benchmarks", runIt).status());
    }
    assertEquals(
        "completed", Api.awaitRunEnd(memberRunId, Duration.ofMinutes(2)).getString("status"));

    // Unsharing takes effect at once; the member's finished run and its results stay theirs.
    assertEquals(200, owner.method("PUT", path + "/sharing", "{\"group\":null}").status());
    assertEquals(404, member.get(path).status());
    assertEquals(400, member.post("/benchmarks", runIt).status());
    assertEquals(200, member.get("/benchmarks/" + memberRunId).status());
    assertEquals(
        1, member.get("/results?runId=" + memberRunId).json().getJsonArray("items").size());

    // Imports take the same sharing.
    Api.Res imported =
        owner.post(
            "/datasets/import?format=jsonl&name=" + Fixtures.unique("imp") + "&shareWith=" + team,
            "application/x-ndjson",
            "{\"prompt\":\"imported\"}\n");
    assertEquals(201, imported.status(), imported.toString());
    assertEquals(team, imported.json().getString("sharedGroup"));
    String importedId = imported.json().getString("id");
    assertEquals(200, member.get("/datasets/" + importedId).status());
    assertEquals(404, carol.get("/datasets/" + importedId).status());

    // The sample dataset is everyone's to read and run, and no one's but an admin's to change.
    JsonObject sample =
        carol.get("/datasets?limit=500").json().getJsonArray("items").stream()
            .map(JsonValue::asJsonObject)
            .filter(d -> d.getString("name").equals("gsm8k-sample"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the sample dataset is listed for everyone"));
    assertTrue(sample.getBoolean("sharedWithAll"));
    String samplePath = "/datasets/" + sample.getString("id");
    assertEquals(200, viewer.get(samplePath).status());
    assertEquals(403, carol.delete(samplePath).status());
    assertEquals(403, carol.method("PUT", samplePath + "/sharing", "{\"group\":null}").status());

    // The owner deletes it (and the audit log has the sharing change).
    assertEquals(204, owner.delete(path).status());
    assertEquals(404, Api.get(path).status());
    Api.await(
        "the dataset's sharing change in the audit log",
        Duration.ofSeconds(20),
        () -> Api.get("/audit?resourceId=" + id + "&limit=100").body().contains("sharing"));
  }

  @Test
  void aGraphqlSubscriberShouldGetNothingOfAnotherUsersRunWhileItsOwnerGetsItsProgress()
      throws Exception {
    String slow = Fixtures.sumDataset(20);
    Api.Res created =
        alice.post(
            Api.BASE + "/api/v1/benchmarks",
            "{\"datasetId\":\""
                + slow
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"echo\","
                + "\"options\":{\"latencyMs\":\"400\"}}],\"concurrency\":1,\"partitions\":1,"
                + "\"cache\":false}");
    assertEquals(202, created.status(), created.toString());
    String runId = created.json().getString("id");
    String query =
        "subscription P($id: ID!) { benchmarkProgress(id: $id) { event benchmarkId completed } }";
    String vars = "{\"id\":\"" + runId + "\"}";
    GraphQLWsNode.Run bobSub = GraphQLWsNode.subscribe(bobAuth, query, vars, 0);
    GraphQLWsNode.Run aliceSub = GraphQLWsNode.subscribe(aliceAuth, query, vars, 0);
    List<JsonObject> aliceLines = aliceSub.lines(150);
    assertEquals("completed", Api.awaitRunEnd(runId, Duration.ofMinutes(2)).getString("status"));
    assertTrue(
        aliceLines.stream().anyMatch(l -> l.containsKey("next") && l.toString().contains(runId)),
        "the owner gets the run's events: " + aliceLines);
    Thread.sleep(1000); // what the hub would still deliver after the run's end
    bobSub.stop();
    List<JsonObject> bobLines = bobSub.soFar();
    assertTrue(
        bobLines.stream().anyMatch(l -> l.getBoolean("connected", false)),
        "bob's subscription was accepted: " + bobLines);
    for (JsonObject l : bobLines) {
      assertFalse(l.containsKey("next"), "bob received alice's event " + l);
      assertFalse(l.toString().contains(runId), "bob received alice's event " + l);
    }
  }

  private static List<String> strings(jakarta.json.JsonArray a) {
    return a.getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }
}
