package dev.llmtestbench.benchmark.domain;

/**
 * The seeds' cache statistics of one result: whether the answer (or its evaluation) came from a
 * cache, under which key, and for how long such entries live.
 */
public record CacheStats(
    boolean evaluationCacheHit, boolean providerCacheHit, String cacheKey, Long ttlSeconds) {}
