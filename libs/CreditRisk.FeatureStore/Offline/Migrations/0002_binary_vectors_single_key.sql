-- Vectors in the online store's binary encoding instead of jsonb, and one index instead of two: the as-of
-- index becomes the key. A row is identified by its event id together with the times the event determines,
-- so a replayed event is still skipped. (Each index and the jsonb parse cost about as much as the row.)
-- The jsonb rows are converted by PostgresOfflineStore after this script, in the same transaction
-- (OfflineStoreSchema: ConvertVersion1RowsAsync).
ALTER TABLE feature_store.feature_rows RENAME TO feature_rows_v1;
ALTER TABLE feature_store.feature_rows_v1 RENAME CONSTRAINT feature_rows_idempotency TO feature_rows_v1_idempotency;
ALTER INDEX feature_store.feature_rows_as_of RENAME TO feature_rows_v1_as_of;
CREATE TABLE feature_store.feature_rows (
    entity_type     text        NOT NULL,
    entity_id       text        NOT NULL,
    feature_view    text        NOT NULL,
    view_version    integer     NOT NULL,
    event_ts        timestamptz NOT NULL,
    created_ts      timestamptz NOT NULL,
    event_id        text        NOT NULL,
    feature_values  bytea       NOT NULL
);
-- As-of joins, materialisation and idempotency: per entity and view version, newest first in the winner's order.
CREATE UNIQUE INDEX feature_rows_key
    ON feature_store.feature_rows (feature_view, view_version, entity_type, entity_id, event_ts DESC, created_ts DESC, event_id DESC);
