-- Results of one run in write order: GET /results?runId=… pages by (session_id, seq), and the
-- export streams the same order. Without it a run's page walked the seq index from the start of
-- the table, filtering out every earlier run's results.
--
-- Full-text search over prompts and responses uses the two GIN expression indexes of V1
-- (to_tsvector('english', prompt) and to_tsvector('english', coalesce(response, ''))); a stored
-- tsvector column was not added: measured, those indexes' insert cost is within the noise of the
-- overhead benchmark (docs/benchmarks.md), and a column would store every lexeme a second time.
CREATE INDEX idx_results_session_seq ON results(session_id, seq);
