package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.GradingUsage;
import dev.llmtestbench.monitoring.service.BenchmarkMetrics;
import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Verdicts of model-graded assertions kept in PostgreSQL under a key of the assertion (type, method
 * and prompt versions, judge, value, options, threshold) and the inputs it judged, so re-scoring
 * the same output costs no judge call. Deterministic assertions are not cached: they cost less to
 * recompute than a database round trip. Entries expire after {@code
 * ltb.evaluation.cache.ttl-seconds}.
 */
@ApplicationScoped
public class EvaluationCache {

  @Inject Jdbc jdbc;
  @Inject BenchmarkMetrics metrics;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.cache.enabled", defaultValue = "true")
  boolean enabled;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.cache.ttl-seconds", defaultValue = "2592000")
  long ttlSeconds;

  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** A cached verdict and what grading it cost when it was made. */
  public record Entry(AssertionResult result, GradingUsage usage) {}

  /** The stored form of a verdict: one canonical constructor, as JSON-B needs. */
  public record StoredResult(
      String metric, String type, boolean pass, double score, String reason) {}

  /**
   * What the cache holds and how it answered.
   *
   * @param enabled whether lookups are made
   * @param ttlSeconds how long an entry lives
   * @param entries live entries in the database (all servers)
   * @param storedHits hits recorded on live entries (all servers, since each was stored)
   * @param hits hits on this server since it started
   * @param misses misses on this server since it started
   * @param hitRate hits / (hits + misses) on this server, null before any lookup
   */
  public record Stats(
      boolean enabled,
      long ttlSeconds,
      long entries,
      long storedHits,
      long hits,
      long misses,
      Double hitRate) {}

  public boolean enabled() {
    return enabled;
  }

  /** Looks a verdict up, counting the hit or miss. */
  public Optional<Entry> find(String key) {
    Optional<Entry> found =
        jdbc.one(
            "UPDATE evaluation_cache SET hits = hits + 1, last_hit_at = NOW() WHERE cache_key = ?"
                + " AND expires_at > NOW() RETURNING result, usage",
            rs -> {
              StoredResult r = Json.read(rs.getString(1), StoredResult.class);
              String usage = rs.getString(2);
              return new Entry(
                  new AssertionResult(r.metric(), r.type(), r.pass(), r.score(), r.reason()),
                  usage == null ? GradingUsage.NONE : Json.read(usage, GradingUsage.class));
            },
            key);
    (found.isPresent() ? hits : misses).incrementAndGet();
    metrics.evaluationCache(found.isPresent());
    return found;
  }

  /** Stores (or refreshes) a verdict; joins the caller's transaction when there is one. */
  public void store(
      String key, String type, String version, AssertionResult r, GradingUsage usage) {
    jdbc.update(
        "INSERT INTO evaluation_cache (cache_key, assertion_type, method_version, result, usage,"
            + " expires_at) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, NOW() + ?::interval) ON CONFLICT"
            + " (cache_key) DO UPDATE SET result = EXCLUDED.result, usage = EXCLUDED.usage, hits ="
            + " 0, created_at = NOW(), last_hit_at = NULL, expires_at = EXCLUDED.expires_at",
        key,
        type,
        version,
        Json.write(new StoredResult(r.metric(), r.type(), r.pass(), r.score(), r.reason())),
        Json.write(usage),
        ttlSeconds + " seconds");
  }

  public Stats stats() {
    long[] live =
        jdbc.one(
                "SELECT count(*), COALESCE(sum(hits), 0) FROM evaluation_cache WHERE expires_at >"
                    + " NOW()",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)})
            .orElse(new long[] {0, 0});
    long h = hits.get();
    long m = misses.get();
    return new Stats(
        enabled, ttlSeconds, live[0], live[1], h, m, h + m == 0 ? null : h / (double) (h + m));
  }

  /** Deletes every entry; returns how many. */
  public int clear() {
    return jdbc.update("DELETE FROM evaluation_cache");
  }
}
