using System.Buffers;
using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Persistence.Migrations;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.FeatureStore;

/// <summary>
/// PostgreSQL offline store (see <see cref="IOfflineStore"/>): table <c>feature_store.feature_rows</c>, each vector
/// one bytea in the online store's encoding (<see cref="VectorCodec"/>: half the insert cost of jsonb, and decoded
/// without parsing text). Large appends and the entity rows of a retrieval travel by binary COPY into temporary tables; the
/// point-in-time join runs in SQL (one LATERAL index probe per entity row and view) and streams out.
/// </summary>
public sealed class PostgresOfflineStore(NpgsqlDataSource dataSource) : IOfflineStore
{
    /// <summary>Batches up to this size go through one multi-row INSERT; larger ones through COPY.</summary>
    private const int CopyThreshold = 100;

    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        new SchemaMigrator(dataSource).MigrateAsync(OfflineStoreSchema.Migrations, cancellationToken);

    /// <summary>Moves the jsonb rows of schema version 1 into the binary table, in chunks, then drops the old table.</summary>
    internal static async Task ConvertVersion1RowsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const int Chunk = 10_000;
        await Execute(connection, """
            DECLARE version1_rows NO SCROLL CURSOR FOR
                SELECT entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id, feature_values::text
                FROM feature_store.feature_rows_v1
            """, cancellationToken);
        while (true)
        {
            var rows = new List<FeatureRow>(Chunk);
            await using (var fetch = new NpgsqlCommand($"FETCH {Chunk} FROM version1_rows", connection))
            await using (var reader = await fetch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var view = FeatureRegistry.GetView(reader.GetString(2), reader.GetInt32(3));
                    rows.Add(new FeatureRow(
                        new EntityKey { Entity = reader.GetString(0), Id = reader.GetString(1) }, view.Name, view.Version,
                        FeatureValueJson.Deserialize(reader.GetString(7), view),
                        new DateTimeOffset(reader.GetFieldValue<DateTime>(4), TimeSpan.Zero),
                        new DateTimeOffset(reader.GetFieldValue<DateTime>(5), TimeSpan.Zero),
                        reader.GetString(6)));
                }
            }
            if (rows.Count == 0)
            {
                break;
            }
            await CopyAsync(connection, rows, cancellationToken);
        }
        await Execute(connection, "CLOSE version1_rows; DROP TABLE feature_store.feature_rows_v1", cancellationToken);
    }

    public async Task<long> AppendAsync(IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (rows.Count <= CopyThreshold)
        {
            return await InsertAsync(connection, rows, cancellationToken);
        }
        // New rows are the common case: COPY them straight in. A row stored already (a batch redone after a crash,
        // a replay) fails the whole COPY on the idempotency key; then the batch takes the path that skips it.
        var ordered = InIndexOrder(rows);
        try
        {
            return await CopyAsync(connection, ordered, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return await CopyInsertAsync(connection, ordered, cancellationToken);
        }
    }

    /// <summary>The rows in the order of the as-of index (<c>feature_rows_series_key</c>), which makes inserting them cheaper (see <see cref="SeriesKey"/>).</summary>
    internal static FeatureRow[] InIndexOrder(IReadOnlyList<FeatureRow> rows)
    {
        var ordered = new FeatureRow[rows.Count];
        // Pooled: a batch's keys (32 bytes a row) would otherwise be a large-object-heap allocation every batch.
        var keys = ArrayPool<IndexOrder>.Shared.Rent(rows.Count);
        try
        {
            for (var i = 0; i < ordered.Length; i++)
            {
                var row = ordered[i] = rows[i];
                keys[i] = new IndexOrder(
                    SeriesKey.Of(row.FeatureView, row.ViewVersion, row.Entity.Entity, row.Entity.Id),
                    FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.EventTime)),
                    FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.CreatedTime)),
                    row.EventId);
            }
            keys.AsSpan(0, ordered.Length).Sort(ordered.AsSpan());
        }
        finally
        {
            ArrayPool<IndexOrder>.Shared.Return(keys, clearArray: true);   // the keys hold event ids
        }
        return ordered;
    }

    /// <summary>The index's key order: series ascending, then event time, created time and event id descending.</summary>
    private readonly record struct IndexOrder(long Series, long EventTime, long CreatedTime, string EventId) : IComparable<IndexOrder>
    {
        public int CompareTo(IndexOrder other)
        {
            var order = Series.CompareTo(other.Series);
            if (order == 0)
            {
                order = other.EventTime.CompareTo(EventTime);
            }
            if (order == 0)
            {
                order = other.CreatedTime.CompareTo(CreatedTime);
            }
            return order != 0 ? order : string.CompareOrdinal(other.EventId, EventId);
        }
    }

    private static async Task<long> InsertAsync(NpgsqlConnection connection, IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken)
    {
        var count = rows.Count;
        var entityTypes = new string[count];
        var entityIds = new string[count];
        var views = new string[count];
        var versions = new int[count];
        var eventTimes = new DateTime[count];
        var createdTimes = new DateTime[count];
        var eventIds = new string[count];
        var values = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            entityTypes[i] = row.Entity.Entity;
            entityIds[i] = row.Entity.Id;
            views[i] = row.FeatureView;
            versions[i] = row.ViewVersion;
            eventTimes[i] = FeatureTime.Truncate(row.EventTime).UtcDateTime;
            createdTimes[i] = FeatureTime.Truncate(row.CreatedTime).UtcDateTime;
            eventIds[i] = row.EventId;
            values[i] = VectorCodec.Encode(FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.EventTime)), row.Values);
        }
        await using var command = new NpgsqlCommand("""
            INSERT INTO feature_store.feature_rows
                (entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id, feature_values)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::bytea[])
            ON CONFLICT DO NOTHING
            """, connection)
        {
            Parameters =
            {
                new() { Value = entityTypes }, new() { Value = entityIds }, new() { Value = views }, new() { Value = versions },
                new() { Value = eventTimes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                new() { Value = createdTimes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                new() { Value = eventIds }, new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
            },
        };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CopyAsync(NpgsqlConnection connection, IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken)
    {
        await CopyRowsAsync(connection, "feature_store.feature_rows", rows, cancellationToken);
        return rows.Count;
    }

    /// <summary>Bytes encoded before they go to the COPY stream: a network write per chunk, not per row.</summary>
    private const int CopyChunkBytes = 64 * 1024;

    /// <summary>
    /// Binary COPY of <paramref name="rows"/> into <paramref name="table"/>, the tuples encoded here
    /// (<see cref="FeatureRowCopyEncoder"/>) and streamed in chunks. All or nothing: PostgreSQL's refusal (e.g. a
    /// duplicate key) is thrown when the COPY ends, and a failure before that cancels it, which discards every row.
    /// </summary>
    private static async Task CopyRowsAsync(NpgsqlConnection connection, string table, IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken)
    {
        var stream = await connection.BeginRawBinaryCopyAsync(
            $"COPY {table} ({FeatureRowCopyEncoder.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        try
        {
            var chunk = new ArrayBufferWriter<byte>(CopyChunkBytes + 4096);
            FeatureRowCopyEncoder.WriteHeader(chunk);
            foreach (var row in rows)
            {
                FeatureRowCopyEncoder.Write(row, chunk);
                if (chunk.WrittenCount >= CopyChunkBytes)
                {
                    await stream.WriteAsync(chunk.WrittenMemory, cancellationToken);
                    chunk.ResetWrittenCount();
                }
            }
            FeatureRowCopyEncoder.WriteTrailer(chunk);
            await stream.WriteAsync(chunk.WrittenMemory, cancellationToken);
        }
        catch
        {
            // Disposing the stream would end the COPY and keep the rows sent so far; cancelling discards them.
            try
            {
                await stream.CancelAsync();
            }
            catch (Exception cancelling) when (cancelling is NpgsqlException or IOException or ObjectDisposedException)
            {
                // The connection broke, and the COPY with it: the failure to report is the one that got here.
            }
            throw;
        }
        await stream.DisposeAsync();
    }

    private static async Task<long> CopyInsertAsync(NpgsqlConnection connection, IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, """
            CREATE TEMP TABLE IF NOT EXISTS feature_rows_staging
                (LIKE feature_store.feature_rows INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
            """, cancellationToken);
        await CopyRowsAsync(connection, "feature_rows_staging", rows, cancellationToken);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO feature_store.feature_rows
                (entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id, feature_values)
            SELECT entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id, feature_values
            FROM feature_rows_staging
            ON CONFLICT DO NOTHING
            """, connection, transaction) { CommandTimeout = 0 };
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public async IAsyncEnumerable<HistoricalFeatureRow> GetHistoricalFeaturesAsync(
        IAsyncEnumerable<HistoricalEntityRow> entityRows,
        IReadOnlyList<ResolvedFeature> features,
        HistoricalRetrievalOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityRows);
        ArgumentNullException.ThrowIfNull(features);
        options ??= HistoricalRetrievalOptions.Default;
        var plan = RetrievalPlan.Create(features);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the whole answer; the temporary table goes with the transaction.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var keyColumns = string.Concat(plan.EntityTypes.Select((_, i) => $", k{i} text"));
        await Execute(connection, $"CREATE TEMP TABLE entity_rows (row_no bigint NOT NULL, row_id text NOT NULL, ts timestamptz NOT NULL{keyColumns}) ON COMMIT DROP", cancellationToken);

        var keyList = string.Concat(plan.EntityTypes.Select((_, i) => $", k{i}"));
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY entity_rows (row_no, row_id, ts{keyList}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            long rowNumber = 0;
            await foreach (var row in entityRows.WithCancellation(cancellationToken))
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(rowNumber++, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(row.RowId ?? "", NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(FeatureTime.Truncate(row.Timestamp).UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                foreach (var entityType in plan.EntityTypes)
                {
                    if (row.Entities.IdFor(entityType) is { } id)
                    {
                        await writer.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                    }
                    else
                    {
                        await writer.WriteNullAsync(cancellationToken);
                    }
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }
        // Results stream in request order straight off an index on row_no through the nested loops: no final sort
        // that would hold the first row back until the last is joined. JIT costs more than it saves here.
        await Execute(connection, """
            CREATE UNIQUE INDEX ON entity_rows (row_no);
            ANALYZE entity_rows;
            SET LOCAL enable_sort = off;
            SET LOCAL jit = off;
            """, cancellationToken);

        await using var query = new NpgsqlCommand(plan.Sql(options.ExcludeBackfilled), connection, transaction) { CommandTimeout = 0 };
        foreach (var parameter in plan.Parameters)
        {
            query.Parameters.Add(parameter);
        }
        await using var reader = await query.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        var keyCount = plan.EntityTypes.Count;
        while (await reader.ReadAsync(cancellationToken))
        {
            var rowNumber = reader.GetInt64(0);
            var rowId = reader.GetString(1);
            var timestamp = new DateTimeOffset(reader.GetFieldValue<DateTime>(2), TimeSpan.Zero);
            var keys = new List<EntityKey>(keyCount);
            for (var k = 0; k < keyCount; k++)
            {
                if (!await reader.IsDBNullAsync(3 + k, cancellationToken))
                {
                    keys.Add(new EntityKey { Entity = plan.EntityTypes[k], Id = reader.GetString(3 + k) });
                }
            }
            var values = new FeatureValue?[features.Count];
            var eventTimes = new Timestamp?[plan.Views.Count];
            for (var v = 0; v < plan.Views.Count; v++)
            {
                var ordinal = 3 + keyCount + 2 * v;
                if (await reader.IsDBNullAsync(ordinal, cancellationToken))
                {
                    continue;
                }
                eventTimes[v] = Timestamp.FromDateTime(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc));
                VectorCodec.DecodeInto(reader.GetFieldValue<byte[]>(ordinal + 1), plan.Views[v].Lookup, values);
            }
            var served = new Feature[features.Count];
            for (var f = 0; f < features.Count; f++)
            {
                served[f] = new Feature
                {
                    Name = features[f].Name,
                    Value = values[f] ?? new FeatureValue(),
                    EventTime = eventTimes[plan.ViewOf[f]],
                };
            }
            yield return new HistoricalFeatureRow(
                rowNumber, new HistoricalEntityRow(new EntityRow(keys), timestamp, rowId), served);
        }
        await reader.CloseAsync();
        await transaction.CommitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<FeatureRow> GetLatestRowsAsync(
        FeatureView view, DateTimeOffset? from = null, DateTimeOffset? to = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT ON (entity_type, entity_id) entity_type, entity_id, event_ts, created_ts, event_id, feature_values
            FROM feature_store.feature_rows
            WHERE feature_view = $1 AND view_version = $2
              AND ($3::timestamptz IS NULL OR event_ts >= $3) AND ($4::timestamptz IS NULL OR event_ts <= $4)
            ORDER BY entity_type, entity_id, event_ts DESC, created_ts DESC, event_id DESC
            """, connection)
        {
            CommandTimeout = 0,
            Parameters =
            {
                new() { Value = view.Name },
                new() { Value = view.Version },
                new() { Value = from is { } f ? FeatureTime.Truncate(f).UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new() { Value = to is { } t ? FeatureTime.Truncate(t).UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = new EntityKey { Entity = reader.GetString(0), Id = reader.GetString(1) };
            var eventTime = new DateTimeOffset(reader.GetFieldValue<DateTime>(2), TimeSpan.Zero);
            var createdTime = new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero);
            var eventId = reader.GetString(4);
            var values = VectorCodec.DecodeAll(reader.GetFieldValue<byte[]>(5));
            yield return new FeatureRow(entity, view.Name, view.Version, values, eventTime, createdTime, eventId);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        // Large retrievals index and analyse millions of rows: the caller's token bounds them, not a fixed timeout.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The SQL and parameters of one retrieval: a LEFT JOIN LATERAL per view version.</summary>
    private sealed class RetrievalPlan
    {
        private RetrievalPlan(IReadOnlyList<string> entityTypes, IReadOnlyList<ViewPlan> views, int[] viewOf)
        {
            EntityTypes = entityTypes;
            Views = views;
            ViewOf = viewOf;
        }

        public IReadOnlyList<string> EntityTypes { get; }

        public IReadOnlyList<ViewPlan> Views { get; }

        /// <summary>For each requested feature, the index of its view in <see cref="Views"/>.</summary>
        public int[] ViewOf { get; }

        public IEnumerable<NpgsqlParameter> Parameters => Views.SelectMany((view, v) => new NpgsqlParameter[]
        {
            new($"view{v}", NpgsqlDbType.Text) { Value = view.View.Name },
            new($"version{v}", NpgsqlDbType.Integer) { Value = view.View.Version },
            new($"entity{v}", NpgsqlDbType.Text) { Value = view.View.Entity.Name },
            new($"ttl{v}", NpgsqlDbType.Bigint) { Value = (view.View.Ttl ?? TimeSpan.Zero).Ticks / TimeSpan.TicksPerMicrosecond },
        });

        public static RetrievalPlan Create(IReadOnlyList<ResolvedFeature> features)
        {
            var views = new List<ViewPlan>();
            var viewOf = new int[features.Count];
            for (var f = 0; f < features.Count; f++)
            {
                var index = views.FindIndex(plan => plan.View.Name == features[f].View.Name && plan.View.Version == features[f].View.Version);
                if (index < 0)
                {
                    index = views.Count;
                    views.Add(new ViewPlan(features[f].View, new Dictionary<string, int>(StringComparer.Ordinal)));
                }
                views[index].Wanted[features[f].Definition.Name] = f;
                viewOf[f] = index;
            }
            var entityTypes = views.Select(view => view.View.Entity.Name).Distinct(StringComparer.Ordinal).ToArray();
            return new RetrievalPlan(entityTypes, views, viewOf);
        }

        public string Sql(bool excludeBackfilled)
        {
            var sql = new StringBuilder("SELECT e.row_no, e.row_id, e.ts");
            for (var k = 0; k < EntityTypes.Count; k++)
            {
                sql.Append($", e.k{k}");
            }
            for (var v = 0; v < Views.Count; v++)
            {
                sql.Append($", v{v}.event_ts, v{v}.feature_values");
            }
            sql.Append(" FROM entity_rows e");
            for (var v = 0; v < Views.Count; v++)
            {
                var view = Views[v].View;
                var key = $"e.k{IndexOf(view.Entity.Name)}";
                sql.Append($"""

                     LEFT JOIN LATERAL (
                        SELECT r.event_ts, r.feature_values FROM feature_store.feature_rows r
                        WHERE feature_store.series_key(r.feature_view, r.view_version, r.entity_type, r.entity_id)
                              = feature_store.series_key(@view{v}, @version{v}, @entity{v}, {key})
                          AND r.feature_view = @view{v} AND r.view_version = @version{v} AND r.entity_type = @entity{v}
                          AND r.entity_id = {key} AND r.event_ts <= e.ts
                    """);
                if (view.Ttl is not null)
                {
                    // Whole microseconds, not days: a day interval would follow the session time zone's DST.
                    sql.Append($" AND r.event_ts >= e.ts - @ttl{v} * interval '1 microsecond'");
                }
                if (excludeBackfilled)
                {
                    sql.Append(" AND r.created_ts <= e.ts");
                }
                sql.Append($"""

                        ORDER BY r.event_ts DESC, r.created_ts DESC, r.event_id DESC LIMIT 1) v{v} ON true
                    """);
            }
            sql.Append("\nORDER BY e.row_no");
            return sql.ToString();
        }

        private int IndexOf(string entityType)
        {
            for (var k = 0; k < EntityTypes.Count; k++)
            {
                if (EntityTypes[k] == entityType)
                {
                    return k;
                }
            }
            throw new InvalidOperationException($"No key column for {entityType}.");
        }
    }

    private sealed record ViewPlan(FeatureView View, Dictionary<string, int> Wanted)
    {
        public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } = Wanted.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
