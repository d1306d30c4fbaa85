using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using CreditRisk.Contracts.Common.V1;
using Google.Protobuf.WellKnownTypes;
using StackExchange.Redis;

namespace CreditRisk.FeatureStore;

/// <summary>
/// Redis online store (see <see cref="IOnlineStore"/>). One string per (view, version, entity):
/// key <c>{prefix}vec:{view}@{version}:{entity}:{id}</c>, value = the row's order key — event time and created time
/// (Unix µs, 8 bytes each, big endian), the event id (2-byte length, UTF-8) — then the vector (<see cref="VectorCodec"/>). Writes go through one Lua script that
/// compares the order keys and replaces the value only when the incoming row is newer — atomic, so concurrent
/// writers, retries and backfills cannot put an older vector over a newer one. A read is one MGET for every
/// (row, view) asked for, decoding only the requested features.
/// The write script takes many keys per call, so it assumes a single Redis node (or primary with replicas), not
/// Redis Cluster.
/// </summary>
public sealed class RedisOnlineStore(IConnectionMultiplexer redis, RedisOnlineStoreOptions? options = null, TimeProvider? clock = null) : IOnlineStore
{
    // Times compare as numbers (Lua doubles hold Unix µs exactly until the year 2255); equal times fall back to the ids.
    // The current values come from one MGET (a redis.call per key cost Redis as much as the SET itself); a key that
    // recurs in the call compares with what the call wrote for it. ARGV holds per key its value, then its expiry
    // (Unix ms, 0: none) only when keys expire: every argument costs Redis a parse and a Lua string. Without expiry
    // the newer values go in one MSET at the end (a key twice: the later, newer one wins), cheaper for Redis than a SET
    // per key; with expiry each needs its own SET … PXAT.
    private const string WriteScript = """
        local applied = 0
        local currents = redis.call('MGET', unpack(KEYS))
        local written = {}
        local stride = #ARGV / #KEYS
        local pending = {}
        for i = 1, #KEYS do
          local new = ARGV[stride * (i - 1) + 1]
          local current = written[KEYS[i]] or currents[i]
          local newer = true
          if current then
            local ts, ct, idLength = struct.unpack('>llH', new)
            local currentTs, currentCt, currentIdLength = struct.unpack('>llH', current)
            if ts < currentTs then newer = false
            elseif ts == currentTs then
              if ct < currentCt then newer = false
              elseif ct == currentCt and string.sub(new, 19, 18 + idLength) <= string.sub(current, 19, 18 + currentIdLength) then newer = false end
            end
          end
          if newer then
            if stride == 1 then
              pending[#pending + 1] = KEYS[i]
              pending[#pending + 1] = new
            else
              local expireAt = tonumber(ARGV[2 * i])
              if expireAt > 0 then redis.call('SET', KEYS[i], new, 'PXAT', expireAt) else redis.call('SET', KEYS[i], new) end
            end
            written[KEYS[i]] = new
            applied = applied + 1
          end
        end
        if #pending > 0 then redis.call('MSET', unpack(pending)) end
        return applied
        """;

    /// <summary>
    /// Rows per script call at most: Lua's <c>unpack</c> returns at most 8,000 values, and the MSET takes two per row.
    /// </summary>
    internal const int MaxWriteBatchSize = 3_000;

    /// <summary>Keys per MGET: bounds how long one command holds Redis.</summary>
    private const int ReadBatchSize = 1_000;

    private const int OrderKeyLength = 18;

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
        var batchSize = Math.Clamp(_options.WriteBatchSize, 1, MaxWriteBatchSize);
        var stride = _options.ExpireAfterTtl is null ? 1 : 2;
        var pending = new List<Task<RedisResult>>((rows.Count + batchSize - 1) / batchSize);
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, rows.Count - start);
            var keys = new RedisKey[count];
            var arguments = new RedisValue[count * stride];
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                keys[i] = Key(row.FeatureView, row.ViewVersion, row.Entity);
                var eventTime = FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.EventTime));
                arguments[i * stride] = EncodeValue(row, eventTime);
                if (stride == 2)
                {
                    arguments[i * 2 + 1] = ExpireAtMilliseconds(row, eventTime);
                }
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

    private static byte[] EncodeValue(FeatureRow row, long eventTimeMicros)
    {
        var vector = VectorCodec.Encode(eventTimeMicros, row.Values);
        var idLength = Encoding.UTF8.GetByteCount(row.EventId);
        if (idLength > ushort.MaxValue)
        {
            throw new ArgumentException($"Event id of {idLength} bytes is too long for the online store.", nameof(row));
        }
        var value = new byte[OrderKeyLength + idLength + vector.Length];
        BinaryPrimitives.WriteInt64BigEndian(value, eventTimeMicros);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(8), FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.CreatedTime)));
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(16), (ushort)idLength);
        Encoding.UTF8.GetBytes(row.EventId, value.AsSpan(OrderKeyLength));
        vector.CopyTo(value.AsSpan(OrderKeyLength + idLength));
        return value;
    }

    /// <summary>The vector part of a stored value.</summary>
    private static ReadOnlySpan<byte> Vector(ReadOnlySpan<byte> value) =>
        value[(OrderKeyLength + BinaryPrimitives.ReadUInt16BigEndian(value[16..]))..];

    public async Task<IReadOnlyList<OnlineFeatureVector>> ReadAsync(
        IReadOnlyList<EntityRow> rows, IReadOnlyList<ResolvedFeature> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(features);
        cancellationToken.ThrowIfCancellationRequested();
        var database = redis.GetDatabase();
        var groups = ViewGroups.GetValue(features, ViewGroup.From);
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
        var calls = new List<Task<RedisValue[]>>();
        for (var start = 0; start < keys.Count; start += ReadBatchSize)
        {
            calls.Add(database.StringGetAsync(keys.GetRange(start, Math.Min(ReadBatchSize, keys.Count - start)).ToArray()));
        }
        var blobs = new RedisValue[keys.Count];
        var filled = 0;
        foreach (var call in calls)
        {
            var results = await call.ConfigureAwait(false);
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
                var stored = slot < 0 ? null : (byte[]?)blobs[slot];
                if (stored is null)
                {
                    foreach (var position in group.Positions)
                    {
                        served[position] = NotFound(features[position].Name);
                    }
                    continue;
                }
                var blob = Vector(stored);
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
        var stored = (byte[]?)await redis.GetDatabase().StringGetAsync(Key(view.Name, view.Version, entity));
        if (stored is null)
        {
            return null;
        }
        var eventId = Encoding.UTF8.GetString(stored, OrderKeyLength, BinaryPrimitives.ReadUInt16BigEndian(stored.AsSpan(16)));
        return new FeatureRow(entity.Clone(), view.Name, view.Version, VectorCodec.DecodeAll(Vector(stored)),
            FeatureTime.FromUnixMicroseconds(BinaryPrimitives.ReadInt64BigEndian(stored)),
            FeatureTime.FromUnixMicroseconds(BinaryPrimitives.ReadInt64BigEndian(stored.AsSpan(8))), eventId);
    }

    private RedisKey Key(string view, int version, EntityKey entity) => Key(view, version, entity.Entity, entity.Id);

    private RedisKey Key(string view, int version, string entity, string id) => $"{_options.KeyPrefix}vec:{view}@{version}:{entity}:{id}";

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

    // Per feature list (a resolved selection is one shared list per distinct request, see FeatureContractMapping):
    // its grouping by view, computed once.
    private static readonly ConditionalWeakTable<IReadOnlyList<ResolvedFeature>, ViewGroup[]> ViewGroups = new();

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
