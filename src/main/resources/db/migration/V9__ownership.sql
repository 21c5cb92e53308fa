-- Ownership (issue 6): who owns a run and which group it is shared with.
-- owner is the caller's principal key ("local:<username>" or "idp:<name>"); NULL for runs
-- created before V9, which only admins see. shared_group NULL = not shared.
ALTER TABLE sessions ADD COLUMN owner TEXT;
ALTER TABLE sessions ADD COLUMN shared_group TEXT;
CREATE INDEX idx_sessions_owner ON sessions (owner, seq DESC);
