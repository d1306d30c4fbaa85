-- Drift monitoring's state: every prediction it counted, in a numbered stream per model, version and served/shadow,
-- the windows closed over those streams, the loan outcomes that label them, the reference profiles and the alerts.
-- A window is a range of stream numbers, so a restart re-reads nothing twice and loses nothing.

CREATE TABLE IF NOT EXISTS drift.streams (
    stream_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_name      text    NOT NULL,
    model_version   integer NOT NULL,
    served          boolean NOT NULL,
    -- The number the next prediction of the stream gets; numbers are dense from 0.
    next_seq        bigint  NOT NULL DEFAULT 0,
    -- Predictions below this number are covered by closed windows (tumbling), or the last window ended here (sliding).
    closed_until    bigint  NOT NULL DEFAULT 0,
    UNIQUE (model_name, model_version, served)
);

CREATE TABLE IF NOT EXISTS drift.predictions (
    prediction_id   text        PRIMARY KEY,
    stream_id       bigint      NOT NULL REFERENCES drift.streams,
    seq             bigint      NOT NULL,
    application_id  text        NOT NULL,
    predicted_time  timestamptz NOT NULL,
    received_time   timestamptz NOT NULL,
    probability     double precision NOT NULL,
    -- The PredictionLogged event as consumed (Protobuf).
    payload         bytea       NOT NULL,
    UNIQUE (stream_id, seq)
);
CREATE INDEX IF NOT EXISTS predictions_application ON drift.predictions (application_id);

CREATE TABLE IF NOT EXISTS drift.outcomes (
    application_id  text        PRIMARY KEY,
    defaulted       boolean     NOT NULL,
    event_id        text        NOT NULL,
    recorded_time   timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS drift.reference_profiles (
    model_name      text    NOT NULL,
    model_version   integer NOT NULL,
    -- Null with a reason when the version has no usable profile.
    digest          text,
    profile         bytea,
    missing_reason  text,
    fetched_time    timestamptz NOT NULL,
    PRIMARY KEY (model_name, model_version)
);

CREATE TABLE IF NOT EXISTS drift.windows (
    report_id        text        PRIMARY KEY,
    stream_id        bigint      NOT NULL REFERENCES drift.streams,
    start_seq        bigint      NOT NULL,
    end_seq          bigint      NOT NULL,
    model_name       text        NOT NULL,
    model_version    integer     NOT NULL,
    served           boolean     NOT NULL,
    window_start     timestamptz NOT NULL,
    window_end       timestamptz NOT NULL,
    -- 'reported', or 'no_profile' when the version had no reference to compare with.
    status           text        NOT NULL,
    dataset_drift    boolean     NOT NULL DEFAULT false,
    prediction_drift boolean     NOT NULL DEFAULT false,
    drift_share      double precision NOT NULL DEFAULT 0,
    labelled         bigint      NOT NULL DEFAULT 0,
    -- The DriftReportPublished (Protobuf) and its HTML page; null when status is not 'reported'.
    report           bytea,
    html             text,
    -- Set when an outcome arrived for one of the window's predictions after its performance was computed.
    performance_stale boolean    NOT NULL DEFAULT false,
    created_time     timestamptz NOT NULL,
    updated_time     timestamptz NOT NULL,
    UNIQUE (stream_id, end_seq)
);
CREATE INDEX IF NOT EXISTS windows_model_created ON drift.windows (model_name, created_time DESC, report_id DESC);
CREATE INDEX IF NOT EXISTS windows_stale ON drift.windows (report_id) WHERE performance_stale;

-- One row per report that alerted: raised (RetrainRequested written) or suppressed inside the model's cool-down.
CREATE TABLE IF NOT EXISTS drift.alerts (
    report_id       text        PRIMARY KEY,
    model_name      text        NOT NULL,
    reasons         text        NOT NULL,
    raised          boolean     NOT NULL,
    request_id      text,
    created_time    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_model_raised ON drift.alerts (model_name, created_time DESC) WHERE raised;

-- Events written in the transaction of their change (the outbox library's table); the relay publishes them.
CREATE TABLE IF NOT EXISTS drift.outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    event_type   text        NOT NULL,
    topic        text        NOT NULL,
    entity_key   text        NOT NULL,
    payload      bytea       NOT NULL,
    created_time timestamptz NOT NULL,
    relayed_time timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_pending ON drift.outbox (id) WHERE relayed_time IS NULL;
