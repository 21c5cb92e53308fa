-- Groups for local accounts (issue 6, docs/security.md "Ownership"): set by admins through
-- POST/PATCH /api/v1/users and carried into the caller (tokens this server issues, API keys), so a
-- run shared with a group is visible to its local members as to the IdP's.
ALTER TABLE users ADD COLUMN groups TEXT[] NOT NULL DEFAULT '{}';
