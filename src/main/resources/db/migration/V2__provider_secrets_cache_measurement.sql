-- Providers issue: encrypted API keys for providers registered over the API, the response cache,
-- and what each result records of the call (time to first token, retries, estimated tokens).

-- AES-GCM ciphertext ("v1:" + base64(iv || ciphertext)) under the key from ltb.secrets.key.
ALTER TABLE providers ADD COLUMN secret TEXT;

-- Completions keyed on provider, model and the canonical request; expired rows are ignored and
-- purged.
CREATE TABLE response_cache (
    cache_key CHAR(64) PRIMARY KEY,
    provider VARCHAR(255) NOT NULL,
    model VARCHAR(255) NOT NULL,
    completion JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_response_cache_expires ON response_cache(expires_at);

ALTER TABLE results
    ADD COLUMN time_to_first_token_ms DOUBLE PRECISION,
    ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN rate_limited INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN api_version VARCHAR(50),
    ADD COLUMN queued_ms DOUBLE PRECISION,
    ADD COLUMN tokens_estimated BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN cached_prompt_tokens INTEGER,
    ADD COLUMN tool_calls JSONB,
    ADD COLUMN blocked BOOLEAN NOT NULL DEFAULT FALSE;
