-- Ownership of datasets (issue 6, docs/security.md "Ownership"), as V9 did for runs: owner is the
-- creator's key ("local:<username>" or "idp:<name>"), shared_group the group whose members may read
-- the dataset, shared_all whether every signed-in caller may read it (the sample datasets; set by
-- admins). Only the owner and admins change or delete a dataset.
-- Datasets created before V14 have no owner: like runs before V9, only admins see them (and may
-- share them), except the sample dataset, which every caller reads.
ALTER TABLE datasets ADD COLUMN owner TEXT;
ALTER TABLE datasets ADD COLUMN shared_group TEXT;
ALTER TABLE datasets ADD COLUMN shared_all BOOLEAN NOT NULL DEFAULT false;
UPDATE datasets SET shared_all = true WHERE name = 'gsm8k-sample' AND 'sample' = ANY (tags);
CREATE INDEX idx_datasets_owner ON datasets (owner, seq DESC);
