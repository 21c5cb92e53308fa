-- The live servers sharing this database (each server's heartbeat), and which server runs the
-- top-level job of each run, so that a run whose server is gone can be recovered by another.

CREATE TABLE servers (
  server_id    text PRIMARY KEY,           -- as recorded on results (ltb.server.id or host/name)
  role         text NOT NULL,              -- standalone, dispatcher or executor
  started_at   timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL        -- the database's clock, so servers' clocks may differ
);

ALTER TABLE sessions ADD COLUMN owner_server_id text;  -- the server running the run's job

-- One row per restart of a run's job from a given execution: whoever inserts it first (a server
-- recovering the run at its start, one recovering a lost server's runs, or the restart endpoint)
-- starts the new execution; the others find the row and leave the run alone.
CREATE TABLE run_restarts (
  run_id            uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  from_execution_id bigint NOT NULL,
  server_id         text NOT NULL,
  claimed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, from_execution_id)
);
