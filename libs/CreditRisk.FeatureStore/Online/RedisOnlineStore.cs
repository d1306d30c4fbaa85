using CreditRisk.Contracts.Common.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using StackExchange.Redis;

namespace CreditRisk.FeatureStore;

/// <summary>
/// Redis online store (see <see cref="IOnlineStore"/>). One hash per (view, version, entity):
/// key <c>{prefix}{view}@{version}:{entity}:{id}</c>, fields <c>_ts</c> (event time, Unix µs), <c>_ct</c> (created
/// time, Unix µs), <c>_id</c> (event id) and <c>v</c>, the event time and whole vector in one blob
/// (<see cref="VectorCodec"/>). Writes go through one Lua script that compares (_ts, _ct, _id) and replaces the
/// vector only when the incoming row is newer — atomic, so concurrent writers and replays cannot put an older vector
/// over a newer one. A read is one Lua call returning the blob of every (row, view) asked for (one command, one
/// reply, however many rows), decoding only the requested features.
/// The scripts take many keys per call, so they assume a single Redis node (or primary with replicas), not Redis Cluster.
/// </summary>
public sealed class RedisOnlineStore(IConnectionMultiplexer redis, RedisOnlineStoreOptions? options = null, TimeProvider? clock = null) : IOnlineStore
{
    private const string WriteScript = """
        local applied = 0
        local a = 1
        for i = 1, #KEYS do
          local ts = tonumber(ARGV[a])
          local ct = tonumber(ARGV[a + 1])
          local id = ARGV[a + 2]
          local expireAt = tonumber(ARGV[a + 4])
          local current = redis.call('HMGET', KEYS[i], '_ts', '_ct', '_id')
          local newer = true
          if current[1] then
            local cts = tonumber(current[1])
            local cct = tonumber(current[2])
            if ts < cts then newer = false
            elseif ts == cts then
              if ct < cct then newer = false
              elseif ct == cct and id <= current[3] then newer = false end
            end
          end
          if newer then
            redis.call('HSET', KEYS[i], '_ts', ARGV[a], '_ct', ARGV[a + 1], '_id', id, 'v', ARGV[a + 3])
            if expireAt > 0 then redis.call('PEXPIREAT', KEYS[i], expireAt) end
            applied = applied + 1
          end
          a = a + 5
        end
        return applied
        """;

    private const string ReadScript = """
        local blobs = {}
        for i = 1, #KEYS do
          blobs[i] = redis.call('HGET', KEYS[i], 'v')
        end
        return blobs
        """;

    /// <summary>Keys per read script call: bounds how long one call holds Redis.</summary>
    private const int ReadBatchSize = 1_000;

    private readonly RedisOnlineStoreOptions _options = options ?? new RedisOnlineStoreOptions();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<int> WriteAsync(IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count == 0)
        {
            return 0;
        }
        var database = redis.GetDatabase();
        var batchSize = Math.Max(1, _options.WriteBatchSize);
        var pending = new List<Task<RedisResult>>((rows.Count + batchSize - 1) / batchSize);
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, rows.Count - start);
            var keys = new RedisKey[count];
            var arguments = new RedisValue[count * 5];
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                keys[i] = Key(row.FeatureView, row.ViewVersion, row.Entity);
                var eventTime = FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.EventTime));
                arguments[i * 5] = eventTime;
                arguments[i * 5 + 1] = FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.CreatedTime));
                arguments[i * 5 + 2] = row.EventId;
                arguments[i * 5 + 3] = VectorCodec.Encode(eventTime, row.Values);
                arguments[i * 5 + 4] = ExpireAtMilliseconds(row, eventTime);
            }
            pending.Add(database.ScriptEvaluateAsync(WriteScript, keys, arguments));
        }
        var applied = 0;
        foreach (var result in await Task.WhenAll(pending))
        {
            applied += (int)result;
        }
        return applied;
    }

    public async Task<IReadOnlyList<OnlineFeatureVector>> ReadAsync(
        IReadOnlyList<EntityRow> rows, IReadOnlyList<ResolvedFeature> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(features);
        cancellationToken.ThrowIfCancellationRequested();
        var database = redis.GetDatabase();
        var groups = ViewGroup.From(features);
        // Every (row, view) key in one list; slot → index into it (-1: the row has no key of the view's entity).
        var slots = new int[rows.Count * groups.Length];
        var keys = new List<RedisKey>(slots.Length);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var g = 0; g < groups.Length; g++)
            {
                var view = groups[g].View;
                if (rows[r].IdFor(view.Entity.Name) is { } id)
                {
                    slots[r * groups.Length + g] = keys.Count;
                    keys.Add(Key(view.Name, view.Version, view.Entity.Name, id));
                }
                else
                {
                    slots[r * groups.Length + g] = -1;
                }
            }
        }
        var calls = new List<Task<RedisResult>>();
        for (var start = 0; start < keys.Count; start += ReadBatchSize)
        {
            calls.Add(database.ScriptEvaluateAsync(ReadScript, keys.GetRange(start, Math.Min(ReadBatchSize, keys.Count - start)).ToArray()));
        }
        var blobs = new RedisResult[keys.Count];
        var filled = 0;
        foreach (var call in calls)
        {
            var results = (RedisResult[])(await call.ConfigureAwait(false))!;
            results.CopyTo(blobs, filled);
            filled += results.Length;
        }
        var now = _clock.GetUtcNow();
        var vectors = new OnlineFeatureVector[rows.Count];
        var values = new FeatureValue?[features.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var served = new ServedFeature[features.Count];
            for (var g = 0; g < groups.Length; g++)
            {
                var group = groups[g];
                var slot = slots[r * groups.Length + g];
                var blob = slot < 0 ? null : (byte[]?)blobs[slot];
                if (blob is null)
                {
                    foreach (var position in group.Positions)
                    {
                        served[position] = NotFound(features[position].Name);
                    }
                    continue;
                }
                var eventTime = FeatureTime.FromUnixMicroseconds(VectorCodec.EventTime(blob));
                var timestamp = Timestamp.FromDateTimeOffset(eventTime);
                var status = group.View.Ttl is { } ttl && now - eventTime > ttl ? FeatureStatus.OutsideTtl : FeatureStatus.Present;
                VectorCodec.DecodeInto(blob, group.Lookup, values);
                for (var i = 0; i < group.Positions.Length; i++)
                {
                    var position = group.Positions[i];
                    // A feature requested twice shares the first request's decoded value (a copy: messages are mutable).
                    var value = values[group.DecodedAt[i]];
                    served[position] = value is not null
                        ? new ServedFeature
                        {
                            Feature = new Feature { Name = features[position].Name, Value = position == group.DecodedAt[i] ? value : value.Clone(), EventTime = timestamp },
                            Status = status,
                        }
                        : NotFound(features[position].Name);
                }
                foreach (var position in group.Positions)
                {
                    values[position] = null;
                }
            }
            vectors[r] = new OnlineFeatureVector(rows[r], served);
        }
        return vectors;
    }

    public async Task<FeatureRow?> GetRowAsync(EntityKey entity, FeatureView view, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reply = await redis.GetDatabase().HashGetAsync(Key(view.Name, view.Version, entity), ["_ts", "_ct", "_id", "v"]);
        if (reply[0].IsNull)
        {
            return null;
        }
        return new FeatureRow(entity.Clone(), view.Name, view.Version, VectorCodec.DecodeAll(((ReadOnlyMemory<byte>)reply[3]).Span),
            FeatureTime.FromUnixMicroseconds((long)reply[0]), FeatureTime.FromUnixMicroseconds((long)reply[1]), (string)reply[2]!);
    }

    private RedisKey Key(string view, int version, EntityKey entity) => Key(view, version, entity.Entity, entity.Id);

    private RedisKey Key(string view, int version, string entity, string id) => $"{_options.KeyPrefix}{view}@{version}:{entity}:{id}";

    private long ExpireAtMilliseconds(FeatureRow row, long eventTimeMicros)
    {
        if (_options.ExpireAfterTtl is not { } grace || !FeatureRegistry.TryGetView(row.FeatureView, row.ViewVersion, out var view) || view.Ttl is not { } ttl)
        {
            return 0;
        }
        return eventTimeMicros / 1000 + (long)(ttl + grace).TotalMilliseconds;
    }

    private static ServedFeature NotFound(string name) => new()
    {
        Feature = new Feature { Name = name, Value = new FeatureValue() },
        Status = FeatureStatus.NotFound,
    };

    /// <summary>The requested features of one view: their positions in the answer, and a name → position lookup.</summary>
    private sealed class ViewGroup(FeatureView view, int[] positions, int[] decodedAt, Dictionary<string, int> byName)
    {
        public FeatureView View { get; } = view;

        public int[] Positions { get; } = positions;

        /// <summary>Per position, where the decoder puts its value: the first position with the same name.</summary>
        public int[] DecodedAt { get; } = decodedAt;

        public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } = byName.GetAlternateLookup<ReadOnlySpan<char>>();

        public static ViewGroup[] From(IReadOnlyList<ResolvedFeature> features)
        {
            var groups = new List<(FeatureView View, List<int> Positions)>();
            for (var position = 0; position < features.Count; position++)
            {
                var view = features[position].View;
                var index = groups.FindIndex(group => ReferenceEquals(group.View, view) || (group.View.Name == view.Name && group.View.Version == view.Version));
                if (index < 0)
                {
                    index = groups.Count;
                    groups.Add((view, []));
                }
                groups[index].Positions.Add(position);
            }
            return groups.Select(group =>
                {
                    var byName = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var position in group.Positions)
                    {
                        byName.TryAdd(features[position].Definition.Name, position);
                    }
                    var decodedAt = group.Positions.Select(position => byName[features[position].Definition.Name]).ToArray();
                    return new ViewGroup(group.View, group.Positions.ToArray(), decodedAt, byName);
                })
                .ToArray();
        }
    }
}
