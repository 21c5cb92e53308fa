-- The audit log (issue 6, "Accountability and abuse"). V1 created audit_log with a users(id) foreign
-- key and a UUID resource id; this migration extends it for what the server records:
--   seq          stable order and pagination cursor (newest first);
--   actor        the caller's principal name as authenticated (NULL = anonymous). user_id stays for
--                callers that are local accounts; principals from a corporate IdP have no users row;
--   resource_id  text, since some resources are named (providers) rather than identified by UUID;
--   outcome      success | failure | denied | error, and the HTTP status (NULL when not over HTTP);
--   error        a short error code (the problem type, e.g. "not-found"), never a request body.
ALTER TABLE audit_log ADD COLUMN seq BIGSERIAL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq);
ALTER TABLE audit_log ADD COLUMN actor VARCHAR(255);
ALTER TABLE audit_log ALTER COLUMN resource_id TYPE VARCHAR(255) USING resource_id::text;
ALTER TABLE audit_log ADD COLUMN outcome VARCHAR(20) NOT NULL DEFAULT 'success';
ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check
    CHECK (outcome IN ('success', 'failure', 'denied', 'error'));
ALTER TABLE audit_log ADD COLUMN status INTEGER;
ALTER TABLE audit_log ADD COLUMN error VARCHAR(255);
CREATE INDEX idx_audit_log_actor ON audit_log(actor, seq DESC);
CREATE INDEX idx_audit_log_outcome ON audit_log(outcome, seq DESC);
