package dev.llmtestbench.provider.service;

import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.provider.spi.Completion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Completions kept in PostgreSQL under a key of provider, model and the canonical request, so a
 * re-run (or several servers) reuse an answer instead of paying for it again. Entries expire after
 * {@code ltb.cache.ttl-seconds}.
 */
@ApplicationScoped
public class ResponseCache {

  @Inject Jdbc jdbc;

  @Inject
  @ConfigProperty(name = "ltb.cache.ttl-seconds", defaultValue = "604800")
  long ttlSeconds;

  /** A cached answer and when it was stored. */
  public record Hit(Completion completion, OffsetDateTime storedAt) {}

  /**
   * The stored form of a completion: one canonical constructor, as JSON-B needs to read records
   * back ({@link Completion} has a convenience constructor too).
   */
  public record Stored(
      String text,
      String finishReason,
      Integer promptTokens,
      Integer completionTokens,
      Integer totalTokens,
      long latencyNanos,
      String modelVersion,
      String requestId,
      Long timeToFirstTokenNanos,
      List<dev.llmtestbench.provider.spi.ToolCall> toolCalls,
      List<dev.llmtestbench.provider.spi.TokenLogprob> logprobs,
      boolean tokensEstimated,
      Integer cachedPromptTokens,
      boolean blocked) {

    static Stored of(Completion c) {
      return new Stored(
          c.text(),
          c.finishReason(),
          c.promptTokens(),
          c.completionTokens(),
          c.totalTokens(),
          c.latencyNanos(),
          c.modelVersion(),
          c.requestId(),
          c.timeToFirstTokenNanos(),
          c.toolCalls(),
          c.logprobs(),
          c.tokensEstimated(),
          c.cachedPromptTokens(),
          c.blocked());
    }

    Completion completion() {
      return new Completion(
          text,
          finishReason,
          promptTokens,
          completionTokens,
          totalTokens,
          latencyNanos,
          modelVersion,
          requestId,
          timeToFirstTokenNanos,
          toolCalls,
          logprobs,
          tokensEstimated,
          cachedPromptTokens,
          blocked);
    }
  }

  /** The live entries among these keys, by key: one query for a page of work items. */
  public Map<String, Hit> findAll(Collection<String> keys) {
    Map<String, Hit> hits = new HashMap<>();
    if (keys.isEmpty()) {
      return hits;
    }
    jdbc.list(
            // The keys go as text[]; compared as text the CHAR(64) key cannot use its index, and
            // the lookup became a scan of the whole cache (170 ms at 140,000 entries).
            "SELECT cache_key, completion, created_at FROM response_cache WHERE cache_key ="
                + " ANY(CAST(? AS bpchar[])) AND expires_at > NOW()",
            rs ->
                Map.entry(
                    rs.getString(1),
                    new Hit(
                        Json.read(rs.getString(2), Stored.class).completion(),
                        rs.getObject(3, OffsetDateTime.class))),
            List.copyOf(new LinkedHashSet<>(keys)))
        .forEach(e -> hits.put(e.getKey(), e.getValue()));
    return hits;
  }

  /** An answer to store: its key, whose it is, and the completion. */
  public record Entry(String key, String provider, String model, Completion completion) {}

  /**
   * Stores (or refreshes) several answers in one statement; of entries with the same key, the last
   * one wins.
   */
  public void storeAll(List<Entry> entries) {
    Map<String, Entry> byKey = new LinkedHashMap<>();
    entries.forEach(e -> byKey.put(e.key(), e));
    if (byKey.isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>();
    List<String> providers = new ArrayList<>();
    List<String> models = new ArrayList<>();
    List<String> completions = new ArrayList<>();
    for (Entry e : byKey.values()) {
      keys.add(e.key());
      providers.add(e.provider());
      models.add(e.model());
      completions.add(Json.write(Stored.of(e.completion())));
    }
    jdbc.update(
        "INSERT INTO response_cache (cache_key, provider, model, completion, expires_at) SELECT"
            + " k, p, m, c::jsonb, NOW() + ?::interval FROM unnest(?::text[], ?::text[],"
            + " ?::text[], ?::text[]) AS u(k, p, m, c) ON CONFLICT (cache_key) DO UPDATE SET"
            + " completion = EXCLUDED.completion, created_at = NOW(), expires_at ="
            + " EXCLUDED.expires_at",
        ttlSeconds + " seconds",
        keys,
        providers,
        models,
        completions);
  }

  /** Deletes expired entries; returns how many. */
  public int purgeExpired() {
    return jdbc.update("DELETE FROM response_cache WHERE expires_at <= NOW()");
  }

  public Duration ttl() {
    return Duration.ofSeconds(ttlSeconds);
  }
}
