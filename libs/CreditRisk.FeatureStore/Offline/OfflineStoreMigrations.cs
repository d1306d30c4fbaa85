namespace CreditRisk.FeatureStore;

/// <summary>
/// The offline store's schema, as ordered migrations applied once each (recorded in
/// <c>feature_store.schema_migrations</c>). Never edit a shipped migration: append a new one.
/// </summary>
internal static class OfflineStoreMigrations
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } =
    [
        (1, "feature_rows", """
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
            """),
        // Vectors in the online store's binary encoding instead of jsonb, and one index instead of two: the as-of
        // index becomes the key. A row is identified by its event id together with the times the event determines,
        // so a replayed event is still skipped. (Each index and the jsonb parse cost about as much as the row.)
        // The jsonb rows are converted by PostgresOfflineStore after this script (ConvertVersion1RowsAsync).
        (2, "binary_vectors_single_key", """
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
            """),
        // The key leads with a 64-bit hash of the series (view, version, entity type, entity id) instead of its four
        // text columns: an insert compares one integer per index level instead of walking variable-width text, and
        // the index is half the size. This index was most of the offline store's write cost. Queries also filter on
        // the identity columns, so two series whose hashes collide cost extra rows read, never a wrong answer; a row
        // is refused as a duplicate only if it also matches another series' event time, created time and event id.
        (3, "series_key", """
            CREATE FUNCTION feature_store.series_key(feature_view text, view_version integer, entity_type text, entity_id text)
                RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN hashtextextended(feature_view || E'\x1f' || view_version::text || E'\x1f' || entity_type || E'\x1f' || entity_id, 0);
            CREATE UNIQUE INDEX feature_rows_series_key ON feature_store.feature_rows
                (feature_store.series_key(feature_view, view_version, entity_type, entity_id), event_ts DESC, created_ts DESC, event_id DESC);
            DROP INDEX feature_store.feature_rows_key;
            """),
    ];
}
