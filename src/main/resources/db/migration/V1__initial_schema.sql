-- LLM Test Bench: initial schema. The seeds' Phase 5 tables (users, providers, sessions, results,
-- alerts, plugins, audit_log, model_profiles) plus what the design needs: datasets, test cases and
-- the work items a run is planned into. UUIDs come from gen_random_uuid() (core since PostgreSQL 13).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The Jakarta Batch job repository lives in its own schema of the same database; Liberty creates its
-- tables there on first use.
CREATE SCHEMA IF NOT EXISTS batch;

CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Server-wide settings (e.g. whether the sample datasets were loaded) --------------------------
CREATE TABLE settings (
    key VARCHAR(255) PRIMARY KEY,
    value JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Users and authentication ----------------------------------------------------------------------
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    username VARCHAR(255) UNIQUE NOT NULL,
    email VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role VARCHAR(50) NOT NULL,
    api_key_hash VARCHAR(255),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_login_at TIMESTAMPTZ,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT users_role_check CHECK (role IN ('admin', 'user', 'viewer'))
);
CREATE INDEX idx_users_api_key_hash ON users(api_key_hash);
CREATE TRIGGER trigger_users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- Providers -------------------------------------------------------------------------------------
-- config never holds a secret: API keys come from configuration or the environment.
CREATE TABLE providers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(255) UNIQUE NOT NULL,
    type VARCHAR(50) NOT NULL,
    adapter VARCHAR(50) NOT NULL,
    source VARCHAR(20) NOT NULL DEFAULT 'api',
    config JSONB NOT NULL DEFAULT '{}'::jsonb,
    capabilities JSONB,
    api_version VARCHAR(50),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT providers_type_check CHECK (type IN ('cloud', 'local', 'custom', 'simulator')),
    CONSTRAINT providers_source_check CHECK (source IN ('builtin', 'config', 'api'))
);
CREATE INDEX idx_providers_type ON providers(type);
CREATE INDEX idx_providers_capabilities ON providers USING GIN(capabilities);
CREATE TRIGGER trigger_providers_updated_at BEFORE UPDATE ON providers
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- Datasets and test cases -----------------------------------------------------------------------
CREATE TABLE datasets (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seq BIGSERIAL UNIQUE,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    prompt_template TEXT,
    assertions JSONB NOT NULL DEFAULT '[]'::jsonb,
    tags TEXT[] NOT NULL DEFAULT '{}',
    metadata JSONB NOT NULL DEFAULT '{}'::jsonb,
    test_case_count INTEGER NOT NULL DEFAULT 0,
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_datasets_name ON datasets(name);
CREATE INDEX idx_datasets_tags ON datasets USING GIN(tags);

CREATE TABLE test_cases (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    dataset_id UUID NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    external_id VARCHAR(255),
    prompt TEXT,
    vars JSONB NOT NULL DEFAULT '{}'::jsonb,
    expected TEXT,
    assertions JSONB NOT NULL DEFAULT '[]'::jsonb,
    tags TEXT[] NOT NULL DEFAULT '{}',
    metadata JSONB NOT NULL DEFAULT '{}'::jsonb,
    UNIQUE (dataset_id, ordinal)
);
CREATE INDEX idx_test_cases_tags ON test_cases USING GIN(tags);

-- Sessions: benchmark runs ------------------------------------------------------------------------
CREATE TABLE sessions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seq BIGSERIAL UNIQUE,
    name VARCHAR(255),
    description TEXT,
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    dataset_id UUID REFERENCES datasets(id) ON DELETE SET NULL,
    status VARCHAR(50) NOT NULL DEFAULT 'pending',
    status_reason TEXT,
    config JSONB,
    tags TEXT[] NOT NULL DEFAULT '{}',
    total_items INTEGER,
    job_execution_id BIGINT,
    summary JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    CONSTRAINT sessions_status_check CHECK (
        status IN ('pending', 'running', 'completed', 'failed', 'cancelled'))
);
CREATE INDEX idx_sessions_user_id ON sessions(user_id);
CREATE INDEX idx_sessions_status ON sessions(status);
CREATE INDEX idx_sessions_created_at ON sessions(created_at DESC);
CREATE INDEX idx_sessions_tags ON sessions USING GIN(tags);

-- Work items: dataset x target x repeat, planned once per run with stable keys -------------------
CREATE TABLE work_items (
    session_id UUID NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    item_key INTEGER NOT NULL,
    test_case_id UUID NOT NULL REFERENCES test_cases(id) ON DELETE CASCADE,
    target_index INTEGER NOT NULL,
    repeat_index INTEGER NOT NULL,
    PRIMARY KEY (session_id, item_key)
);

-- Results ---------------------------------------------------------------------------------------
-- One row per work item: (session_id, item_key) is unique so re-executed chunks write nothing twice.
CREATE TABLE results (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seq BIGSERIAL UNIQUE,
    session_id UUID NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    item_key INTEGER NOT NULL,
    provider_id UUID NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    provider VARCHAR(255) NOT NULL,
    dataset_id UUID,
    test_id VARCHAR(255) NOT NULL,
    test_case_id UUID,
    repeat_index INTEGER NOT NULL DEFAULT 0,

    status VARCHAR(50) NOT NULL,
    model VARCHAR(255) NOT NULL,
    prompt TEXT NOT NULL,
    response TEXT,
    expected TEXT,
    error TEXT,
    error_type VARCHAR(50),
    finish_reason VARCHAR(50),

    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    duration_ms DOUBLE PRECISION NOT NULL,

    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    total_tokens INTEGER,

    passed BOOLEAN NOT NULL DEFAULT FALSE,
    score DOUBLE PRECISION,
    evaluation_scores JSONB,
    evaluation_details JSONB,
    faithfulness_score DOUBLE PRECISION,
    relevance_score DOUBLE PRECISION,
    coherence_score DOUBLE PRECISION,
    perplexity_score DOUBLE PRECISION,

    multi_modal_inputs JSONB,
    plugin_metrics JSONB,
    trace_id VARCHAR(255),
    span_id VARCHAR(255),
    tags TEXT[] NOT NULL DEFAULT '{}',
    metadata JSONB,
    provider_metadata JSONB,
    total_cost DOUBLE PRECISION,
    cost_details JSONB,
    cache_stats JSONB,
    server_id VARCHAR(255),

    CONSTRAINT results_status_check CHECK (
        status IN ('success', 'failure', 'error', 'timeout', 'skipped')),
    CONSTRAINT results_item_unique UNIQUE (session_id, item_key)
);
CREATE INDEX idx_results_provider_id ON results(provider_id);
CREATE INDEX idx_results_created_at ON results(created_at DESC);
CREATE INDEX idx_results_status ON results(status);
CREATE INDEX idx_results_model ON results(model);
CREATE INDEX idx_results_tags ON results USING GIN(tags);
CREATE INDEX idx_results_evaluation_scores ON results USING GIN(evaluation_scores);
CREATE INDEX idx_results_trace_id ON results(trace_id);
CREATE INDEX idx_results_session_created ON results(session_id, created_at DESC);
CREATE INDEX idx_results_provider_model ON results(provider_id, model);
CREATE INDEX idx_results_prompt_text ON results USING GIN(to_tsvector('english', prompt));
CREATE INDEX idx_results_response_text ON results USING GIN(to_tsvector('english', coalesce(response, '')));

-- Alerts ----------------------------------------------------------------------------------------
CREATE TABLE alerts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    rule_id UUID,
    severity VARCHAR(50) NOT NULL,
    message TEXT NOT NULL,
    details JSONB,
    triggered_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    resolved_at TIMESTAMPTZ,
    resolved_by UUID REFERENCES users(id),
    CONSTRAINT alerts_severity_check CHECK (severity IN ('info', 'warning', 'error', 'critical'))
);
CREATE INDEX idx_alerts_severity ON alerts(severity);
CREATE INDEX idx_alerts_triggered_at ON alerts(triggered_at DESC);
CREATE INDEX idx_alerts_resolved ON alerts(resolved_at) WHERE resolved_at IS NULL;

-- Plugins ---------------------------------------------------------------------------------------
CREATE TABLE plugins (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(255) UNIQUE NOT NULL,
    version VARCHAR(50) NOT NULL,
    author VARCHAR(255),
    description TEXT,
    plugin_type VARCHAR(50) NOT NULL,
    capabilities JSONB,
    config_schema JSONB,
    is_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    file_path TEXT NOT NULL,
    file_hash VARCHAR(255) NOT NULL,
    installed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    installed_by UUID REFERENCES users(id),
    CONSTRAINT plugins_type_check CHECK (
        plugin_type IN ('evaluator', 'transformer', 'exporter', 'provider', 'notifier'))
);
CREATE INDEX idx_plugins_type ON plugins(plugin_type);
CREATE INDEX idx_plugins_enabled ON plugins(is_enabled);

-- Audit log -------------------------------------------------------------------------------------
CREATE TABLE audit_log (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES users(id),
    action VARCHAR(255) NOT NULL,
    resource_type VARCHAR(100) NOT NULL,
    resource_id UUID,
    details JSONB,
    ip_address INET,
    user_agent TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_audit_log_user_id ON audit_log(user_id);
CREATE INDEX idx_audit_log_created_at ON audit_log(created_at DESC);
CREATE INDEX idx_audit_log_action ON audit_log(action);
CREATE INDEX idx_audit_log_resource ON audit_log(resource_type, resource_id);

-- Model profiles --------------------------------------------------------------------------------
CREATE TABLE model_profiles (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    provider_id UUID NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    model_name VARCHAR(255) NOT NULL,
    typical_quality DOUBLE PRECISION,
    avg_latency_ms BIGINT,
    cost_per_1k_tokens DOUBLE PRECISION,
    context_limit INTEGER,
    strengths JSONB,
    sample_count INTEGER DEFAULT 0,
    last_updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (provider_id, model_name)
);
CREATE INDEX idx_model_profiles_quality ON model_profiles(typical_quality DESC);
CREATE INDEX idx_model_profiles_cost ON model_profiles(cost_per_1k_tokens ASC);

-- Views -----------------------------------------------------------------------------------------
CREATE VIEW v_active_sessions AS
SELECT s.id, s.name, s.status, s.created_at,
       COUNT(r.id) AS total_tests,
       COUNT(r.id) FILTER (WHERE r.status = 'success') AS successful_tests,
       AVG(r.duration_ms) AS avg_duration_ms,
       SUM(r.total_cost) AS total_cost
FROM sessions s
LEFT JOIN results r ON s.id = r.session_id
WHERE s.status IN ('pending', 'running')
GROUP BY s.id, s.name, s.status, s.created_at;

CREATE VIEW v_provider_performance AS
SELECT p.name AS provider_name, r.model,
       COUNT(r.id) AS total_requests,
       COUNT(r.id) FILTER (WHERE r.status IN ('success', 'failure')) AS successful_requests,
       AVG(r.duration_ms) AS avg_latency_ms,
       PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY r.duration_ms) AS p95_latency_ms,
       AVG(r.total_cost) AS avg_cost,
       AVG(r.faithfulness_score) AS avg_faithfulness,
       AVG(r.relevance_score) AS avg_relevance
FROM providers p
JOIN results r ON p.id = r.provider_id
GROUP BY p.name, r.model;
