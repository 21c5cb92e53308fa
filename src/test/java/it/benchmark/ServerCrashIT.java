package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import it.support.Api;
import it.support.Fixtures;
import it.support.OpenAiStub;
import it.support.RunResults;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of the server in the middle of a run, twice: each time the server starts again, the run
 * is recovered automatically and completes with every result exactly once and the summary of an
 * uninterrupted run.
 *
 * <p>It kills the shared test server, so failsafe runs it in its own execution after every other
 * integration test ({@code it.crash=true}); the build's post-integration-test stop ends the server
 * this test started again.
 */
class ServerCrashIT {

  static OpenAiStub stub;
  static String provider;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Boolean.getBoolean("it.crash"), "runs in the failsafe execution 'crash' only");
    assumeTrue(!Boolean.getBoolean("skipCrashIT"), "-DskipCrashIT");
    Api.awaitReady(Duration.ofSeconds(300));
    stub = new OpenAiStub(300);
    provider = Fixtures.registerStub(stub, "LTB_IT_STUB_API_KEY");
  }

  @AfterAll
  static void stop() {
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void shouldCompleteRunThroughKillsAndDatabaseOutageWithNothingLostOrDuplicated()
      throws Exception {
    int cases = 400;
    String datasetId = Fixtures.sumDataset(cases);
    String runId = startRun(datasetId);

    // Kill 1: during the first job execution.
    int kept = awaitResults(runId, 30, cases);
    killServer();
    startServer();

    // Kill 2: during the execution the recovery restarted.
    awaitMore(runId, 20, cases);
    killServer();
    startServer();

    // Database outage: the API answers 503 with a reason; the embedded database comes back with
    // its server, which recovers the run again. Results written before the outage stay as written.
    awaitMore(runId, 20, cases);
    Map<Integer, List<String>> written = RunResults.idsByItemKey(runId);
    stopDatabase();
    Api.Res[] during = new Api.Res[1];
    Api.await(
        "503 while the database is down",
        Duration.ofSeconds(60),
        () -> (during[0] = Api.get("/benchmarks/" + runId)).status() == 503);
    assertTrue(
        during[0].contentType().startsWith("application/problem+json"), during[0].toString());
    assertTrue(during[0].body().contains("database-unavailable"), during[0].toString());
    killServer();
    startServer();

    // The same run uninterrupted, for its summary (latencies aside), alongside the recovery.
    String reference = startRun(datasetId);
    JsonObject run = awaitEnd(runId, Duration.ofSeconds(300));
    assertEquals("completed", run.getString("status"), run.toString());
    assertTrue(kept >= 30, "results before the first kill: " + kept);
    assertEquals(cases, run.getInt("totalItems"));
    assertEquals(cases, run.getInt("completedItems"));
    Map<Integer, List<String>> ids = RunResults.idsByItemKey(runId);
    assertEquals(cases, ids.size(), "every item has a result");
    assertEquals(0, ids.keySet().stream().mapToInt(Integer::intValue).min().orElse(-1));
    assertEquals(cases - 1, ids.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1));
    assertTrue(ids.values().stream().allMatch(r -> r.size() == 1), "no duplicates: " + ids);
    written.forEach((key, before) -> assertEquals(before, ids.get(key), "result of item " + key));

    JsonObject uninterrupted = awaitEnd(reference, Duration.ofSeconds(300));
    assertEquals("completed", uninterrupted.getString("status"), uninterrupted.toString());
    RunResults.assertSameTotals(
        uninterrupted.getJsonObject("summary"), run.getJsonObject("summary"));
  }

  /**
   * The database goes away mid-run and comes back while the server keeps running (an external
   * PostgreSQL restarted, a failover): the run's job fails while the database is down and its end
   * cannot be recorded, so the server settles the run once the database answers again, restarting
   * it from its checkpoints. It completes with every result once; results written before the outage
   * stay as written.
   */
  @Test
  void shouldCompleteRunWhenDatabaseReturnsWhileServerKeepsRunning() throws Exception {
    int cases = 300;
    String datasetId = Fixtures.sumDataset(cases);
    String runId = startRun(datasetId);
    awaitResults(runId, 20, cases);
    Map<Integer, List<String>> written = RunResults.idsByItemKey(runId);

    List<String> startCommand = stopDatabase();
    // The job has ended once its partitions stop calling the provider (their chunks fail).
    int[] calls = {-1};
    Api.await(
        "the run's calls to stop while the database is down",
        Duration.ofSeconds(120),
        () -> {
          int before = stub.requests().size();
          try {
            Thread.sleep(4000);
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          calls[0] = stub.requests().size();
          return calls[0] == before;
        });
    startDatabase(startCommand);

    JsonObject run = awaitEnd(runId, Duration.ofSeconds(300));
    assertEquals("completed", run.getString("status"), run.toString());
    assertEquals(cases, run.getInt("completedItems"));
    Map<Integer, List<String>> ids = RunResults.idsByItemKey(runId);
    assertEquals(cases, ids.size(), "every item has a result");
    assertTrue(ids.values().stream().allMatch(r -> r.size() == 1), "no duplicates: " + ids);
    written.forEach((key, before) -> assertEquals(before, ids.get(key), "result of item " + key));
    assertTrue(
        stub.requests().size() > calls[0], "the run went on calling the provider after the outage");
  }

  /**
   * SIGKILL while the run is in its last step, summarize: the run's row is locked from here (FOR NO
   * KEY UPDATE, so results referencing it are still written) so the step's final update (status
   * completed with the summary) waits; once that update is seen waiting in pg_stat_activity the
   * server is killed and its database sessions ended (as when its machine dies). After the restart
   * the recovered run completes with every result once and the summary of an uninterrupted run.
   */
  @Test
  void shouldCompleteRunKilledInItsSummarizeStep() throws Exception {
    int cases = 60;
    String datasetId = Fixtures.sumDataset(cases);
    String runId = RunResults.start(provider, datasetId, "slow", 8);
    Api.await(
        "run planned",
        Duration.ofSeconds(120),
        () -> "running".equals(Api.get("/benchmarks/" + runId).json().getString("status")));
    try (Connection lock = database();
        Connection watch = database()) {
      lock.setAutoCommit(false);
      try (PreparedStatement ps =
          lock.prepareStatement("SELECT id FROM sessions WHERE id = ?::uuid FOR NO KEY UPDATE")) {
        ps.setString(1, runId);
        assertTrue(ps.executeQuery().next(), "run row locked");
      }
      Api.await(
          "every result written",
          Duration.ofSeconds(120),
          () -> Api.get("/benchmarks/" + runId).json().getInt("completedItems") == cases);
      Api.await(
          "the summarize step's update waiting for the lock",
          Duration.ofSeconds(120),
          () ->
              count(
                      watch,
                      "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                          + " AND query LIKE 'UPDATE sessions SET status = %'")
                  > 0);
      killServer();
      // The killed JVM's sessions end with it, as they would with its machine; until then a
      // waiting statement of a dead client would still commit once the lock is released.
      count(
          watch,
          "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name"
              + " = 'llm-test-bench' AND pid <> pg_backend_pid()");
      lock.rollback();
      try (PreparedStatement ps =
          watch.prepareStatement(
              "SELECT status, summary IS NULL FROM sessions WHERE id = ?::uuid")) {
        ps.setString(1, runId);
        ResultSet rs = ps.executeQuery();
        assertTrue(rs.next());
        assertEquals("running", rs.getString(1), "killed before the run was marked completed");
        assertTrue(rs.getBoolean(2), "no summary stored before the kill");
      }
    }
    startServer();

    String reference = RunResults.start(provider, datasetId, "slow", 8);
    JsonObject run = awaitEnd(runId, Duration.ofSeconds(300));
    assertEquals("completed", run.getString("status"), run.toString());
    Map<Integer, List<String>> ids = RunResults.idsByItemKey(runId);
    assertEquals(cases, ids.size(), "every item has a result");
    assertTrue(ids.values().stream().allMatch(r -> r.size() == 1), "no duplicates: " + ids);
    JsonObject uninterrupted = awaitEnd(reference, Duration.ofSeconds(300));
    assertEquals("completed", uninterrupted.getString("status"), uninterrupted.toString());
    RunResults.assertSameTotals(
        uninterrupted.getJsonObject("summary"), run.getJsonObject("summary"));
  }

  /** A connection to the test server's database (the embedded PostgreSQL's defaults). */
  private static Connection database() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + System.getProperty("it.db.port") + "/llmtestbench",
        "postgres",
        "embedded-dev-only");
  }

  private static long count(Connection c, String sql) {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  private static void awaitMore(String runId, int more, int cases) {
    awaitResults(
        runId, Api.get("/benchmarks/" + runId).json().getInt("completedItems") + more, cases);
  }

  /**
   * Waits until the run has at least {@code min} results and checks it is still running with plenty
   * left, so the kill that follows lands mid-run; returns the results so far.
   */
  private static int awaitResults(String runId, int min, int cases) {
    Api.await(
        min + " results",
        Duration.ofSeconds(120),
        () -> Api.get("/benchmarks/" + runId).json().getInt("completedItems") >= min);
    JsonObject run = Api.get("/benchmarks/" + runId).json();
    assertEquals("running", run.getString("status"), run.toString());
    assertTrue(run.getInt("completedItems") < cases - 100, "still mid-run: " + run);
    return run.getInt("completedItems");
  }

  private static String startRun(String datasetId) {
    return RunResults.start(provider, datasetId, "slow", 2);
  }

  /** SIGKILL of the Liberty JVM (its pid from the server script's pid file). */
  private static void killServer() throws Exception {
    Path pidFile = wlp().resolve("usr/servers/.pid/" + serverName() + ".pid");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle server =
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("No server process " + pid));
    assertTrue(server.destroyForcibly(), "SIGKILL sent to " + pid);
    server.onExit().get(60, TimeUnit.SECONDS);
  }

  /**
   * Fast shutdown of the server's embedded PostgreSQL (SIGINT to its postmaster); returns the
   * command line that starts it again (from its postmaster.opts).
   */
  private static List<String> stopDatabase() throws Exception {
    Path dataDir = wlp().resolve("usr/servers/" + serverName() + "/postgres-data");
    List<String> command = new ArrayList<>();
    Matcher m =
        Pattern.compile("\"([^\"]*)\"|(\\S+)")
            .matcher(Files.readString(dataDir.resolve("postmaster.opts")));
    while (m.find()) {
      command.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(pid))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertEquals(0, kill.waitFor(), "kill -INT " + pid);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    return command;
  }

  /**
   * Starts the embedded PostgreSQL again by itself, as an operator restarting an external database
   * would, while the server keeps running (as root under {@code unshare -U}, as the server starts
   * it); the server stops it when it stops.
   */
  private static void startDatabase(List<String> command) throws Exception {
    List<String> line = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      line.addAll(List.of("unshare", "-U"));
    }
    line.addAll(command);
    new ProcessBuilder(line)
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", "restarted-postgres.log").toFile())
        .start();
    try (Connection c = awaitConnection(Duration.ofSeconds(60))) {
      assertTrue(c.isValid(5), "the database answers again");
    }
  }

  private static Connection awaitConnection(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return database();
      } catch (SQLException e) {
        if (System.nanoTime() > end) {
          throw new AssertionError("the restarted database does not answer", e);
        }
        Thread.sleep(200);
      }
    }
  }

  /** Starts the installed test server again, as an operator would, and waits until it is ready. */
  private static void startServer() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(wlp().resolve("bin/server").toString(), "start", serverName())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "server start returned");
    assertEquals(0, p.exitValue(), "server start exit code");
    Api.awaitReady(Duration.ofSeconds(300));
  }

  /** Waits for the run to end, riding out moments the server does not answer. */
  private static JsonObject awaitEnd(String runId, Duration timeout) {
    JsonObject[] last = new JsonObject[1];
    Api.await(
        "run " + runId + " to end",
        timeout,
        () -> {
          try {
            last[0] = Api.get("/benchmarks/" + runId).json();
          } catch (RuntimeException e) {
            return false;
          }
          String s = last[0].getString("status");
          return s.equals("completed") || s.equals("failed") || s.equals("cancelled");
        });
    return last[0];
  }

  private static Path wlp() {
    return Path.of(System.getProperty("it.wlp.dir", "target/liberty/wlp"));
  }

  private static String serverName() {
    return System.getProperty("it.server.name", "itServer");
  }
}
