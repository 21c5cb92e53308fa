package it.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import it.support.Api;
import it.support.ExtraServer;
import it.support.Fixtures;
import it.support.OpenAiStub;
import it.support.RunResults;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of an executor server in the middle of a partition while the dispatcher keeps running the
 * run's top-level job: a dispatcher and two executors (created from the build's runtime, on the
 * test server's database, with its 2 s heartbeat and 20 s timeout) run a 400-item run in 4
 * partitions; the executor with results is SIGKILLed; the dispatcher sees it lost, stops the job
 * and restarts it from its checkpoints, and the run completes on the surviving executor with one
 * result per item, the results written before the kill unchanged, and the summary of an
 * uninterrupted run.
 *
 * <p>In the failsafe execution {@code crash} ({@code it.crash=true}), with ServerCrashIT.
 */
class ExecutorCrashIT {

  static final Duration START = Duration.ofMinutes(6);
  static final String[] EXECUTORS = {"itCrashExecutorA", "itCrashExecutorB"};
  static ExtraServer dispatcher;
  static final Map<String, ExtraServer> executors = new HashMap<>();

  @BeforeAll
  static void startServers() {
    assumeTrue(Boolean.getBoolean("it.crash"), "runs in the failsafe execution 'crash' only");
    assumeTrue(!Boolean.getBoolean("skipCrashIT"), "-DskipCrashIT");
    Api.awaitReady(Duration.ofSeconds(300));
    Map<String, String> shared = new HashMap<>();
    shared.put("DB_EMBEDDED", "false");
    shared.put("DB_PORT", System.getProperty("it.db.port"));
    shared.put("JMS_PORT", Integer.toString(ExtraServer.freePort()));
    shared.put("LTB_SECRETS_KEY", System.getProperty("it.secrets.key", ""));
    shared.put("LTB_SAMPLES_LOAD", "false");
    // The test server's heartbeat settings (pom.xml): every server must judge liveness alike.
    shared.put("LTB_CLUSTER_HEARTBEAT_INTERVAL_MS", "2000");
    shared.put("LTB_CLUSTER_HEARTBEAT_TIMEOUT_MS", "20000");
    Map<String, String> d = new HashMap<>(shared);
    d.put("LTB_ROLE", "dispatcher");
    d.put("JMS_SSL_PORT", Integer.toString(ExtraServer.freePort()));
    d.put("LTB_BENCHMARK_RECOVER_INTERRUPTED_RUNS", "restart");
    dispatcher = ExtraServer.start("itCrashDispatcher", d);
    for (String name : EXECUTORS) {
      Map<String, String> e = new HashMap<>(shared);
      e.put("LTB_ROLE", "executor");
      executors.put(name, ExtraServer.start(name, e));
    }
    dispatcher.awaitReady(START);
    for (ExtraServer e : executors.values()) {
      e.awaitReady(START);
      // CWSIV0556I: the executor's listener is connected to the dispatcher's messaging engine.
      e.awaitLog("CWSIV0556I", START);
    }
  }

  @AfterAll
  static void stopServers() {
    executors.values().forEach(ExtraServer::close);
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  @Test
  void shouldRestartARunWhoseExecutorWasKilledMidPartitionAndCompleteItOnTheOther()
      throws Exception {
    int cases = 400;
    String api = dispatcher.base + "/api/v1";
    try (OpenAiStub stub = new OpenAiStub(300)) {
      String provider = Fixtures.registerStub(stub, null);
      String datasetId = Fixtures.sumDataset(cases);
      String runId = RunResults.start(api, provider, datasetId, "slow", 2, 4);

      Api.await(
          "40 results",
          Duration.ofSeconds(180),
          () -> Api.get(api + "/benchmarks/" + runId).json().getInt("completedItems") >= 40);
      // The executor to kill: one that is executing the run's partitions (it has results).
      Map<String, Integer> byServer = RunResults.countsByServerName(runId);
      String victim =
          byServer.containsKey(EXECUTORS[0]) || !byServer.containsKey(EXECUTORS[1])
              ? EXECUTORS[0]
              : EXECUTORS[1];
      String survivor = victim.equals(EXECUTORS[0]) ? EXECUTORS[1] : EXECUTORS[0];
      JsonObject before = Api.get(api + "/benchmarks/" + runId).json();
      assertEquals("running", before.getString("status"), before.toString());
      long firstExecution = before.getJsonNumber("jobExecutionId").longValue();

      System.out.println("ExecutorCrashIT: results by server before the kill " + byServer);
      executors.get(victim).kill();
      long killedAt = System.nanoTime();
      Map<Integer, List<String>> written = RunResults.idsByItemKey(runId);
      int victimResults = RunResults.countsByServerName(runId).getOrDefault(victim, 0);
      assertTrue(victimResults > 0, "results of " + victim + ": " + byServer);
      assertTrue(written.size() < cases - 100, "still mid-run: " + written.size());

      dispatcher.awaitLog("was lost in the middle of a partition", Duration.ofSeconds(120));
      double restartedAfter = (System.nanoTime() - killedAt) / 1e9;
      JsonObject run = Api.awaitRunEnd(runId, Duration.ofSeconds(240));
      double completedAfter = (System.nanoTime() - killedAt) / 1e9;
      System.out.printf(
          "ExecutorCrashIT: run restarted %.1f s after the kill, completed %.1f s after it%n",
          restartedAfter, completedAfter);
      assertEquals("completed", run.getString("status"), run.toString());
      assertEquals(cases, run.getInt("completedItems"));
      assertNotEquals(firstExecution, run.getJsonNumber("jobExecutionId").longValue());

      Map<Integer, List<String>> ids = RunResults.idsByItemKey(runId);
      assertEquals(cases, ids.size(), "every item has a result");
      assertTrue(ids.values().stream().allMatch(r -> r.size() == 1), "no duplicates");
      written.forEach((key, ws) -> assertEquals(ws, ids.get(key), "result of item " + key));
      Map<String, Integer> after = RunResults.countsByServerName(runId);
      assertEquals(victimResults, after.get(victim), "nothing more from the killed executor");
      assertEquals(cases, after.values().stream().mapToInt(Integer::intValue).sum(), "" + after);
      assertTrue(after.getOrDefault(survivor, 0) > 0, "the survivor completed the run: " + after);

      // The same run uninterrupted (on the build's server), for its summary.
      String reference = RunResults.start(provider, datasetId, "slow", 8);
      JsonObject uninterrupted = Api.awaitRunEnd(reference, Duration.ofSeconds(240));
      assertEquals("completed", uninterrupted.getString("status"), uninterrupted.toString());
      RunResults.assertSameTotals(
          uninterrupted.getJsonObject("summary"), run.getJsonObject("summary"));
    }
  }
}
