-- API keys for identities of the corporate IdP (issue 6), which have no users row: such a key has
-- no user_id but an owner, the principal key "idp:<name>" (the same key runs are owned under), and
-- the IdP groups its owner had when creating it. Its role (not wider than the owner's role then)
-- is its only role: the IdP is not asked again while the key is used, so revoke it when the owner
-- leaves or changes role. A local account's key keeps user_id and has no owner.
ALTER TABLE api_keys ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE api_keys ADD COLUMN owner TEXT;
ALTER TABLE api_keys ADD COLUMN owner_groups TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE api_keys ADD CONSTRAINT api_keys_owner_check
    CHECK ((user_id IS NOT NULL AND owner IS NULL) OR (user_id IS NULL AND owner LIKE 'idp:%'));
CREATE INDEX idx_api_keys_owner ON api_keys (owner) WHERE owner IS NOT NULL;
