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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Nested GraphQL fields are batched (Benchmark.resultCount through PageLoader): PostgreSQL's own
 * scan counter of the results table grows by about the same whether a page holds 2 or 40 benchmarks
 * (one statement per page, not per benchmark).
 */
class GraphQLBatchIT {

  private static final int PARENTS = 40;

  @Test
  void shouldLoadNestedResultCountsWithOneStatementPerPage() throws Exception {
    String runId;
    try (OpenAiStub stub = new OpenAiStub(0)) {
      String provider = Fixtures.registerStub(stub, null);
      runId =
          Fixtures.startRun(provider, "good", Fixtures.sumDataset(2), "").json().getString("id");
      Api.awaitRunEnd(runId, Duration.ofSeconds(60));
    }
    try (Connection c = db()) {
      // Copies of the finished run, newer than it, so they head the benchmarks list.
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO sessions (name, dataset_id, status, config, tags, total_items, summary,"
                  + " created_at, completed_at) SELECT name || '-copy', dataset_id, status, config,"
                  + " tags, total_items, summary, now(), now() FROM sessions WHERE id = ?")) {
        ps.setObject(1, UUID.fromString(runId));
        for (int i = 0; i < PARENTS - 1; i++) {
          ps.executeUpdate();
        }
      }
      long few;
      long many;
      try {
        few = scansFor(c, 2, null);
        many = scansFor(c, PARENTS, runId);
      } finally {
        try (PreparedStatement del =
            c.prepareStatement(
                "DELETE FROM sessions WHERE name = (SELECT name || '-copy' FROM sessions WHERE id"
                    + " = ?)")) {
          del.setObject(1, UUID.fromString(runId));
          del.executeUpdate();
        }
      }
      System.out.println(
          "GraphQLBatchIT: results scans "
              + few
              + " for 2 benchmarks, "
              + many
              + " for "
              + PARENTS);
      assertTrue(few >= 1, "the field must read the results table: " + few);
      assertTrue(
          many < few + PARENTS / 2,
          "results scans grew with the number of parents: "
              + few
              + " for 2, "
              + many
              + " for "
              + PARENTS);
    }
  }

  /** Scans of the results table while answering one page of {@code first} benchmarks. */
  private static long scansFor(Connection c, int first, String lastId) throws Exception {
    long before = settledScans(c);
    JsonObject data =
        Api.graphql(
            "query($n:Int!){benchmarks(first:$n){edges{node{id resultCount}}}}",
            Json.createObjectBuilder().add("n", first).build());
    assertFalse(data.containsKey("errors"), data.toString());
    JsonArray edges = data.getJsonObject("data").getJsonObject("benchmarks").getJsonArray("edges");
    assertEquals(first, edges.size(), data.toString());
    for (int i = 0; i < edges.size(); i++) {
      JsonObject node = edges.getJsonObject(i).getJsonObject("node");
      // The copies have no results; the run they copy (the oldest of the page) has its 2.
      boolean original = node.getString("id").equals(lastId);
      assertEquals(original ? 2 : 0, node.getInt("resultCount"), node.toString());
    }
    long after = settledScans(c);
    return after - before;
  }

  /**
   * The counter once the server's backends have flushed their statistics: PostgreSQL flushes an
   * idle backend's pending counts at most 10 s after its last transaction (PGSTAT_IDLE_INTERVAL).
   */
  private static long settledScans(Connection c) throws Exception {
    Thread.sleep(11_000);
    return scans(c);
  }

  private static long scans(Connection c) throws Exception {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
                    + " WHERE relname = 'results'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection db() throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + System.getProperty("it.db.port") + "/llmtestbench",
        "postgres",
        "embedded-dev-only");
  }
}
