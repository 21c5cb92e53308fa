-- Identity (docs/security.md): local accounts, refresh tokens, revoked access tokens, API keys and
-- the key the server signs its own tokens with.

-- Local accounts need no e-mail address; users from the corporate IdP are never stored here.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
-- The seeds' single api_key_hash column gives way to api_keys (many keys per user, each revocable).
DROP INDEX IF EXISTS idx_users_api_key_hash;
ALTER TABLE users DROP COLUMN api_key_hash;

-- Opaque refresh tokens: only their SHA-256 is stored. A refresh rotates the token; logout revokes it.
CREATE TABLE refresh_tokens (
    token_hash CHAR(64) PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_refresh_tokens_user ON refresh_tokens(user_id);

-- Access tokens revoked before their expiry (logout), kept until they would have expired.
CREATE TABLE revoked_tokens (
    jti VARCHAR(64) PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);

-- API keys: only the SHA-256 of the key is stored (keys are 256-bit random, so a fast hash suffices).
CREATE TABLE api_keys (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    key_hash CHAR(64) UNIQUE NOT NULL,
    key_prefix VARCHAR(16) NOT NULL,
    role VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    revoked_at TIMESTAMPTZ,
    CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'user', 'viewer'))
);
CREATE INDEX idx_api_keys_user ON api_keys(user_id);

-- The server's token-signing key, generated at the first start when none is configured, shared by
-- every server on this database so each accepts the tokens the others issue.
CREATE TABLE signing_keys (
    kid VARCHAR(64) PRIMARY KEY,
    algorithm VARCHAR(16) NOT NULL,
    private_key TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
