CREATE TABLE feature_store.feature_rows (
    entity_type     text        NOT NULL,
    entity_id       text        NOT NULL,
    feature_view    text        NOT NULL,
    view_version    integer     NOT NULL,
    event_ts        timestamptz NOT NULL,
    created_ts      timestamptz NOT NULL,
    event_id        text        NOT NULL,
    feature_values  jsonb       NOT NULL,
    -- Idempotency: one row per raw event, entity and view version; replays are skipped.
    CONSTRAINT feature_rows_idempotency UNIQUE (feature_view, view_version, entity_type, entity_id, event_id)
);
-- As-of joins and materialisation: per entity and view version, newest first in the winner's order.
CREATE INDEX feature_rows_as_of
    ON feature_store.feature_rows (feature_view, view_version, entity_type, entity_id, event_ts DESC, created_ts DESC, event_id DESC);
