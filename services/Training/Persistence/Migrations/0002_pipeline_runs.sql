-- Pipeline runs of the training service: each run, its steps (status, attempts, cache key, output), the steps'
-- log lines, a content-addressed blob store for what steps produce, and every retrain request with its decision.

CREATE TABLE IF NOT EXISTS training.pipeline_runs (
    run_id uuid PRIMARY KEY,
    model_name text NOT NULL,
    feature_service text NOT NULL,
    feature_service_version integer NOT NULL CHECK (feature_service_version > 0),
    cutoff timestamptz NOT NULL,
    parameters jsonb NOT NULL DEFAULT '{}',
    trigger text NOT NULL CHECK (trigger IN ('api', 'schedule', 'drift', 'manual')),
    -- The creator's idempotency key: a repeated StartRun, a redelivered retrain request or a schedule slot raced by
    -- several replicas all land on one run.
    request_id text NOT NULL UNIQUE,
    drift_report_id text,
    cache_enabled boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    failure_reason text,
    -- A running run stops at its next step boundary once this is set.
    cancel_requested boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    -- The replica executing the run and until when (database time); a run whose lease expired is claimable again.
    lease_owner text,
    lease_expires_at timestamptz,
    -- Incremented on every claim: each state write names the token it holds, so a replica that lost the lease
    -- (and a later owner claimed it) writes nothing.
    lease_token bigint NOT NULL DEFAULT 0
);

-- The claim query: the oldest queued run, or a running one whose lease expired.
CREATE INDEX IF NOT EXISTS pipeline_runs_claimable ON training.pipeline_runs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS pipeline_runs_newest ON training.pipeline_runs (created_at DESC, run_id DESC);
CREATE INDEX IF NOT EXISTS pipeline_runs_model_newest ON training.pipeline_runs (model_name, created_at DESC, run_id DESC);

CREATE TABLE IF NOT EXISTS training.pipeline_steps (
    run_id uuid NOT NULL REFERENCES training.pipeline_runs (run_id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    name text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cached')),
    attempts integer NOT NULL DEFAULT 0,
    cache_key text,
    -- Step name -> output digest of each consumed step.
    input_digests jsonb,
    output_values jsonb,
    -- Blob name (with its extension) -> sha256 in training.blobs.
    output_blobs jsonb,
    output_digest text,
    started_at timestamptz,
    finished_at timestamptz,
    duration_ms double precision,
    error text,
    cached_from uuid,
    PRIMARY KEY (run_id, ordinal),
    UNIQUE (run_id, name)
);

-- The step cache: a succeeded execution with the same key, in any run.
CREATE INDEX IF NOT EXISTS pipeline_steps_cache ON training.pipeline_steps (cache_key, finished_at) WHERE status = 'succeeded';

CREATE TABLE IF NOT EXISTS training.pipeline_step_logs (
    id bigserial PRIMARY KEY,
    run_id uuid NOT NULL REFERENCES training.pipeline_runs (run_id) ON DELETE CASCADE,
    step_name text NOT NULL,
    logged_at timestamptz NOT NULL DEFAULT now(),
    message text NOT NULL
);

CREATE INDEX IF NOT EXISTS pipeline_step_logs_run ON training.pipeline_step_logs (run_id, id);

-- Content-addressed: a blob is stored once whatever the number of runs and steps that produce it.
CREATE TABLE IF NOT EXISTS training.blobs (
    sha256 text PRIMARY KEY,
    content bytea NOT NULL,
    size_bytes bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Every RetrainRequested received, once per request id, and what was decided: a run started, or skipped and why.
CREATE TABLE IF NOT EXISTS training.retrain_requests (
    request_id text PRIMARY KEY,
    model_name text NOT NULL,
    trigger text NOT NULL,
    reason text NOT NULL,
    drift_report_id text,
    received_at timestamptz NOT NULL DEFAULT now(),
    decision text NOT NULL CHECK (decision IN ('started', 'skipped')),
    decision_reason text,
    run_id uuid REFERENCES training.pipeline_runs (run_id)
);

CREATE INDEX IF NOT EXISTS retrain_requests_model_started ON training.retrain_requests (model_name, received_at DESC) WHERE decision = 'started';
