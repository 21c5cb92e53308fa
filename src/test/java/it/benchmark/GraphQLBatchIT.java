package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nested GraphQL fields are batched (Benchmark.resultCount, Benchmark.results and Result.benchmark
 * through PageLoader): answering a page of 40 parents costs about as much database work as a page
 * of 2 (one statement per field and page, not per parent). Measured with PostgreSQL's own counters,
 * once a backend has flushed them: scans of the results table for resultCount (a grouped count),
 * and transactions of the database for the others (the server reads in auto-commit, so each
 * statement is one transaction). Benchmark.results reads each run's first results with an index
 * range scan per run inside its one statement, so its scans do grow with the page: only its
 * statements stay constant.
 */
class GraphQLBatchIT {

  private static final int PARENTS = 40;

  /**
   * Times each page is answered in one measurement: the server's own background statements (about 3
   * per second) stay the same while statements per parent would grow with every answer.
   */
  private static final int REPEATS = 5;

  static String runId;
  static String provider;
  static Connection db;

  @BeforeAll
  static void runs() throws Exception {
    try (OpenAiStub stub = new OpenAiStub(0)) {
      provider = Fixtures.registerStub(stub, null);
      runId =
          Fixtures.startRun(provider, "good", Fixtures.sumDataset(2), "").json().getString("id");
      Api.awaitRunEnd(runId, Duration.ofSeconds(60));
    }
    db =
        DriverManager.getConnection(
            "jdbc:postgresql://localhost:" + System.getProperty("it.db.port") + "/llmtestbench",
            "postgres",
            "embedded-dev-only");
    // Copies of the finished run with copies of its 2 results, newer than it, so they head the
    // benchmarks list.
    try (PreparedStatement run =
            db.prepareStatement(
                "INSERT INTO sessions (name, dataset_id, status, config, tags, total_items,"
                    + " summary, created_at, completed_at) SELECT name || '-copy', dataset_id,"
                    + " status, config, tags, total_items, summary, now(), now() FROM sessions"
                    + " WHERE id = ? RETURNING id");
        PreparedStatement results =
            db.prepareStatement(
                "INSERT INTO results (session_id, item_key, provider_id, provider, model,"
                    + " test_id, repeat_index, status, prompt, response, duration_ms, passed,"
                    + " score) SELECT ?, item_key, provider_id, provider, model, test_id,"
                    + " repeat_index, status, prompt, response, duration_ms, passed, score FROM"
                    + " results WHERE session_id = ?")) {
      run.setObject(1, UUID.fromString(runId));
      for (int i = 0; i < PARENTS - 1; i++) {
        UUID copy;
        try (ResultSet rs = run.executeQuery()) {
          rs.next();
          copy = rs.getObject(1, UUID.class);
        }
        results.setObject(1, copy);
        results.setObject(2, UUID.fromString(runId));
        assertEquals(2, results.executeUpdate());
      }
    }
  }

  @AfterAll
  static void dropCopies() throws Exception {
    if (db == null) {
      return;
    }
    try (Connection c = db;
        PreparedStatement del =
            c.prepareStatement(
                "DELETE FROM sessions WHERE name = (SELECT name || '-copy' FROM sessions WHERE id"
                    + " = ?)")) {
      del.setObject(1, UUID.fromString(runId));
      del.executeUpdate();
    }
  }

  @Test
  void shouldLoadNestedResultCountsWithOneStatementPerPage() throws Exception {
    String query = "query($n:Int!){benchmarks(first:$n){edges{node{id resultCount}}}}";
    Counts[] c = measure(() -> resultCounts(query, 2), () -> resultCounts(query, PARENTS));
    long few = c[0].scans();
    long many = c[1].scans();
    System.out.println(
        "GraphQLBatchIT: resultCount ("
            + REPEATS
            + " answers): results scans "
            + few
            + " for 2, "
            + many
            + " for "
            + PARENTS);
    assertTrue(few >= 1, "the field must read the results table: " + few);
    assertTrue(
        many < few + REPEATS * PARENTS / 2,
        "results scans grew with the number of parents: " + few + " for 2, " + many);
  }

  private static void resultCounts(String query, int first) {
    JsonArray edges = benchmarks(query, first);
    for (JsonValue e : edges) {
      JsonObject node = e.asJsonObject().getJsonObject("node");
      assertEquals(2, node.getInt("resultCount"), node.toString());
    }
  }

  @Test
  void shouldLoadNestedResultsAndTheirBenchmarksWithOneStatementPerPage() throws Exception {
    String query =
        "query($n:Int!){benchmarks(first:$n){edges{node{id results(first:3){edges{node{id"
            + " benchmark{id}}}}}}}}";
    Counts[] c = measure(() -> nestedResults(query, 2), () -> nestedResults(query, PARENTS));
    assertStatementsConstant("Benchmark.results", c, "2 benchmarks", PARENTS + " benchmarks");
    assertTrue(c[1].scans() >= PARENTS, "the page's results were read: " + c[1]);
  }

  private static void nestedResults(String query, int first) {
    for (JsonValue e : benchmarks(query, first)) {
      JsonObject node = e.asJsonObject().getJsonObject("node");
      JsonArray results = node.getJsonObject("results").getJsonArray("edges");
      assertEquals(2, results.size(), node.toString());
      for (JsonValue r : results) {
        assertEquals(
            node.getString("id"),
            r.asJsonObject().getJsonObject("node").getJsonObject("benchmark").getString("id"));
      }
    }
  }

  @Test
  void shouldLoadTheBenchmarksOfAPageOfResultsWithOneStatement() throws Exception {
    String query =
        "query($n:Int!,$p:String){results(first:$n,filter:{provider:$p}){edges{node{runId"
            + " benchmark{id status}}}}}";
    Counts[] c = measure(() -> resultBenchmarks(query, 4), () -> resultBenchmarks(query, 80));
    assertStatementsConstant(
        "Result.benchmark", c, "4 results of 2 runs", "80 results of " + PARENTS + " runs");
  }

  private static void resultBenchmarks(String query, int first) {
    JsonObject data =
        Api.graphql(query, Json.createObjectBuilder().add("n", first).add("p", provider).build());
    assertFalse(data.containsKey("errors"), data.toString());
    JsonArray edges = data.getJsonObject("data").getJsonObject("results").getJsonArray("edges");
    assertEquals(first, edges.size(), data.toString());
    Set<String> runs = new HashSet<>();
    for (JsonValue e : edges) {
      JsonObject node = e.asJsonObject().getJsonObject("node");
      assertEquals(node.getString("runId"), node.getJsonObject("benchmark").getString("id"));
      runs.add(node.getString("runId"));
    }
    assertEquals(first / 2, runs.size(), runs.toString());
  }

  /** Fails when answering many parents took a statement per parent more than answering few. */
  private static void assertStatementsConstant(String field, Counts[] c, String few, String many) {
    String measured = c[0] + " for " + few + ", " + c[1] + " for " + many;
    System.out.println("GraphQLBatchIT: " + field + " (" + REPEATS + " answers each): " + measured);
    assertTrue(
        c[1].transactions() < c[0].transactions() + REPEATS * PARENTS / 2,
        field + ": statements grew with the number of parents: " + measured);
  }

  private static JsonArray benchmarks(String query, int first) {
    JsonObject data = Api.graphql(query, Json.createObjectBuilder().add("n", first).build());
    assertFalse(data.containsKey("errors"), data.toString());
    JsonArray edges = data.getJsonObject("data").getJsonObject("benchmarks").getJsonArray("edges");
    assertEquals(first, edges.size(), data.toString());
    return edges;
  }

  /** What the database did while answering: scans of the results table, transactions. */
  record Counts(long scans, long transactions) {}

  /** The counters' growth during each of {@code calls}, each made {@link #REPEATS} times alone. */
  private static Counts[] measure(Runnable... calls) throws Exception {
    Counts[] growth = new Counts[calls.length];
    Counts before = settled();
    for (int i = 0; i < calls.length; i++) {
      for (int r = 0; r < REPEATS; r++) {
        calls[i].run();
      }
      Counts after = settled();
      growth[i] =
          new Counts(after.scans() - before.scans(), after.transactions() - before.transactions());
      before = after;
    }
    return growth;
  }

  /**
   * The counters once the server's backends have flushed their statistics: PostgreSQL flushes an
   * idle backend's pending counts at most 10 s after its last transaction (PGSTAT_IDLE_INTERVAL).
   */
  private static Counts settled() throws Exception {
    Thread.sleep(11_000);
    try (PreparedStatement ps =
            db.prepareStatement(
                "SELECT (SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM"
                    + " pg_stat_user_tables WHERE relname = 'results'), (SELECT xact_commit +"
                    + " xact_rollback FROM pg_stat_database WHERE datname = current_database())");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Counts(rs.getLong(1), rs.getLong(2));
    }
  }
}
