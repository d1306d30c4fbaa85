-- Model registry (models, versions, aliases, the audit history of alias moves) and the transactional outbox.
CREATE TABLE registered_models (
    name           text        PRIMARY KEY,
    description    text        NOT NULL DEFAULT '',
    latest_version int         NOT NULL DEFAULT 0,
    created_time   timestamptz NOT NULL
);

CREATE TABLE model_versions (
    model_name               text        NOT NULL REFERENCES registered_models (name),
    version                  int         NOT NULL,
    run_id                   uuid        NOT NULL REFERENCES runs (run_id),
    feature_service          text        NOT NULL,
    feature_service_version  int         NOT NULL,
    input_schema_names       text[]      NOT NULL,
    input_schema_types       text[]      NOT NULL,
    artifact_sha256          text        NOT NULL,
    reference_profile_sha256 text        NOT NULL,
    metric_keys              text[]      NOT NULL,
    metric_values            double precision[] NOT NULL,
    created_time             timestamptz NOT NULL,
    event_id                 uuid        NOT NULL UNIQUE,
    PRIMARY KEY (model_name, version)
);

CREATE TABLE model_aliases (
    model_name   text        NOT NULL REFERENCES registered_models (name),
    alias        text        NOT NULL,
    version      int         NOT NULL,
    updated_time timestamptz NOT NULL,
    PRIMARY KEY (model_name, alias),
    FOREIGN KEY (model_name, version) REFERENCES model_versions (model_name, version)
);

-- Append-only: who moved which alias, when, from which version to which, and why.
CREATE TABLE alias_moves (
    move_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_name   text        NOT NULL REFERENCES registered_models (name),
    alias        text        NOT NULL,
    from_version int         NOT NULL,
    to_version   int         NOT NULL,
    actor        text        NOT NULL,
    reason       text        NOT NULL,
    moved_time   timestamptz NOT NULL,
    is_rollback  boolean     NOT NULL,
    event_id     uuid        NOT NULL UNIQUE
);
CREATE INDEX alias_moves_model_alias ON alias_moves (model_name, alias, move_id);

-- Events written in the transaction of their change; the relay publishes them and marks them relayed.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    event_type   text        NOT NULL,
    topic        text        NOT NULL,
    entity_key   text        NOT NULL,
    payload      bytea       NOT NULL,
    created_time timestamptz NOT NULL,
    relayed_time timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_time IS NULL;
