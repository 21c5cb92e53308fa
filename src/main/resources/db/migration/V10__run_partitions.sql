-- Which server executes each partition of a run's job execution, so that the server running the
-- top-level job (the dispatcher) can tell that an executor was lost in the middle of a partition:
-- Liberty's top-level job would otherwise wait for that partition's answer for ever.

CREATE TABLE run_partitions (
  execution_id bigint NOT NULL,             -- the top-level job execution
  first_key    integer NOT NULL,            -- the partition's first item key (its identity)
  run_id       uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  server_id    text NOT NULL,               -- the executing server (as in the registry)
  started_at   timestamptz NOT NULL DEFAULT now(),
  ended_at     timestamptz,                 -- null while the partition runs (or its server died)
  PRIMARY KEY (execution_id, first_key)
);

CREATE INDEX run_partitions_open ON run_partitions (run_id) WHERE ended_at IS NULL;
