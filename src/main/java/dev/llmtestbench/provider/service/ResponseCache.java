package dev.llmtestbench.provider.service;

import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.provider.spi.Completion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
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
      java.util.List<dev.llmtestbench.provider.spi.ToolCall> toolCalls,
      java.util.List<dev.llmtestbench.provider.spi.TokenLogprob> logprobs,
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

  public Optional<Hit> find(String key) {
    return jdbc.one(
        "SELECT completion, created_at FROM response_cache WHERE cache_key = ? AND expires_at >"
            + " NOW()",
        rs ->
            new Hit(
                Json.read(rs.getString(1), Stored.class).completion(),
                rs.getObject(2, OffsetDateTime.class)),
        key);
  }

  /** Stores (or refreshes) an answer; joins the caller's transaction when there is one. */
  public void store(String key, String provider, String model, Completion completion) {
    jdbc.update(
        "INSERT INTO response_cache (cache_key, provider, model, completion, expires_at) VALUES"
            + " (?, ?, ?, ?::jsonb, NOW() + ?::interval) ON CONFLICT (cache_key) DO UPDATE SET"
            + " completion = EXCLUDED.completion, created_at = NOW(), expires_at ="
            + " EXCLUDED.expires_at",
        key,
        provider,
        model,
        Json.write(Stored.of(completion)),
        ttlSeconds + " seconds");
  }

  /** Deletes expired entries; returns how many. */
  public int purgeExpired() {
    return jdbc.update("DELETE FROM response_cache WHERE expires_at <= NOW()");
  }

  public Duration ttl() {
    return Duration.ofSeconds(ttlSeconds);
  }
}
