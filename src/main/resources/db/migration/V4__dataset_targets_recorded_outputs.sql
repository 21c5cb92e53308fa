-- Data issue: recorded outputs on test cases (outputs other tools or logs produced, scored without a
-- provider call), the targets a dataset suggests (a promptfoo config's providers), and the built-in
-- 'recorded' provider that results of recorded outputs refer to.

-- {"<model>": {"output": "...", "latencyMs": 120.0, "promptTokens": 10, ...}, ...}
ALTER TABLE test_cases ADD COLUMN outputs JSONB NOT NULL DEFAULT '{}'::jsonb;

-- [{"provider": "openai", "model": "gpt-4o-mini", "label": "openai:chat:gpt-4o-mini"}, ...]
ALTER TABLE datasets ADD COLUMN targets JSONB NOT NULL DEFAULT '[]'::jsonb;

ALTER TABLE providers DROP CONSTRAINT providers_type_check;
ALTER TABLE providers ADD CONSTRAINT providers_type_check
    CHECK (type IN ('cloud', 'local', 'custom', 'simulator', 'recorded'));
