-- How scoring serves each model: the current experiment (arms as the Protobuf JSON of ServingArm) and every change.
CREATE TABLE serving_experiments (
    model_name   text        PRIMARY KEY REFERENCES registered_models (name),
    revision     bigint      NOT NULL,
    arms         jsonb       NOT NULL,
    actor        text        NOT NULL,
    reason       text        NOT NULL,
    changed_time timestamptz NOT NULL,
    event_id     uuid        NOT NULL
);

CREATE TABLE serving_experiment_changes (
    model_name   text        NOT NULL REFERENCES registered_models (name),
    revision     bigint      NOT NULL,
    arms         jsonb       NOT NULL,
    actor        text        NOT NULL,
    reason       text        NOT NULL,
    changed_time timestamptz NOT NULL,
    event_id     uuid        NOT NULL,
    PRIMARY KEY (model_name, revision)
);
