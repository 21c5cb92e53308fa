-- Evaluation issue: what grading each result cost (judge calls, tokens, cost, evaluation cache
-- use), kept apart from the tested call's own tokens and cost; and the evaluation cache.

-- GradingUsage as JSON: {"calls", "promptTokens", "completionTokens", "totalTokens", "costUsd"
-- (null when unpriced), "cacheHits", "cacheMisses", "failures"}; null when nothing was graded by
-- a model.
ALTER TABLE results ADD COLUMN grading_usage JSONB;

-- Verdicts of model-graded assertions keyed on the assertion and the inputs it judged; expired
-- rows are ignored and overwritten.
CREATE TABLE evaluation_cache (
    cache_key CHAR(64) PRIMARY KEY,
    assertion_type VARCHAR(255) NOT NULL,
    method_version VARCHAR(255) NOT NULL,
    result JSONB NOT NULL,
    usage JSONB,
    hits BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_hit_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_evaluation_cache_expires ON evaluation_cache(expires_at);
