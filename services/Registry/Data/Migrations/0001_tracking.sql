-- Experiment tracking: experiments, runs, params, tags, metric history and latest values, inputs, artifacts.
CREATE TABLE experiments (
    experiment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    created_time  timestamptz NOT NULL
);

CREATE TABLE runs (
    run_id        uuid        PRIMARY KEY,
    experiment_id bigint      NOT NULL REFERENCES experiments (experiment_id),
    name          text        NOT NULL,
    status        smallint    NOT NULL,
    start_time    timestamptz NOT NULL,
    end_time      timestamptz,
    deleted_time  timestamptz
);
CREATE INDEX runs_experiment_start ON runs (experiment_id, start_time DESC, run_id DESC);

CREATE TABLE params (
    run_id uuid NOT NULL REFERENCES runs (run_id),
    key    text NOT NULL,
    value  text NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX params_key_value ON params (key, value, run_id);

CREATE TABLE tags (
    run_id uuid NOT NULL REFERENCES runs (run_id),
    key    text NOT NULL,
    value  text NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX tags_key_value ON tags (key, value, run_id);

-- Every logged value; the history is read per (run, key) in step order.
CREATE TABLE metrics (
    run_id       uuid             NOT NULL REFERENCES runs (run_id),
    key          text             NOT NULL,
    value        double precision NOT NULL,
    timestamp_ms bigint           NOT NULL,
    step         bigint           NOT NULL,
    seq          bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX metrics_run_key_step ON metrics (run_id, key, step, timestamp_ms, seq);

-- The latest value per (run, key), kept in the same transaction as the history: searches filter and
-- order on it through (key, value, run_id) without touching the history.
CREATE TABLE latest_metrics (
    run_id       uuid             NOT NULL REFERENCES runs (run_id),
    key          text             NOT NULL,
    value        double precision NOT NULL,
    timestamp_ms bigint           NOT NULL,
    step         bigint           NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value, run_id);

CREATE TABLE run_inputs (
    run_id                  uuid   NOT NULL REFERENCES runs (run_id),
    name                    text   NOT NULL,
    digest                  text   NOT NULL,
    feature_service         text   NOT NULL,
    feature_service_version int    NOT NULL,
    row_count               bigint NOT NULL,
    start_time              timestamptz,
    end_time                timestamptz,
    PRIMARY KEY (run_id, name, digest)
);

CREATE TABLE artifacts (
    run_id       uuid        NOT NULL REFERENCES runs (run_id),
    path         text        NOT NULL,
    sha256       text        NOT NULL,
    size_bytes   bigint      NOT NULL,
    created_time timestamptz NOT NULL,
    PRIMARY KEY (run_id, path)
);
CREATE INDEX artifacts_sha256 ON artifacts (sha256);
