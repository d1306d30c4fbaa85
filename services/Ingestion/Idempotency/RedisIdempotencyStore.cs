using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CreditRisk.Ingestion.Idempotency;

/// <summary>
/// The dedup store in Redis: one key per event id, "P:{token}:{hash}" while a request publishes it
/// (expiring after the reservation lease) and "C:{hash}" once published (expiring after the retention
/// period). Each step is one Lua script over up to <see cref="KeysPerCall"/> keys, so check-and-set is
/// atomic across instances and a batch costs one round trip, not one per event. (Multi-key scripts need
/// one node or co-located keys: a standalone or replicated Redis, not a sharded cluster.) Redis runs with
/// appendonly, so the ids survive its restart.
/// </summary>
public sealed class RedisIdempotencyStore(IConnectionMultiplexer redis, IOptions<IdempotencyOptions> options) : IIdempotencyStore
{
    /// <summary>Bounds how long one script holds Redis (a few milliseconds).</summary>
    public const int KeysPerCall = 1_000;

    // ARGV[i]: the pending value for KEYS[i]; ARGV[n+1]: the lease in ms. Returns, per key, "" when it
    // reserved the id, else the current value.
    private const string ReserveScript = """
        local n = #KEYS
        local result = {}
        for i = 1, n do
          local current = redis.call('GET', KEYS[i])
          if current then
            result[i] = current
          else
            redis.call('SET', KEYS[i], ARGV[i], 'PX', ARGV[n + 1])
            result[i] = ''
          end
        end
        return result
        """;

    // ARGV[2i-1]: our pending value, ARGV[2i]: the confirmed value, ARGV[2n+1]: retention in ms.
    // Also confirms when the lease ran out meanwhile and nobody took the id over.
    private const string ConfirmScript = """
        local n = #KEYS
        for i = 1, n do
          local current = redis.call('GET', KEYS[i])
          if (not current) or current == ARGV[2 * i - 1] then
            redis.call('SET', KEYS[i], ARGV[2 * i], 'PX', ARGV[2 * n + 1])
          end
        end
        return n
        """;

    // ARGV[i]: our pending value; deletes only our own reservation.
    private const string ReleaseScript = """
        for i = 1, #KEYS do
          if redis.call('GET', KEYS[i]) == ARGV[i] then
            redis.call('DEL', KEYS[i])
          end
        end
        return #KEYS
        """;

    private readonly IdempotencyOptions _options = options.Value;

    public async Task<IReadOnlyList<Reservation>> ReserveAsync(IReadOnlyList<(string EventId, string ContentHash)> events, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var reservations = new List<Reservation>(events.Count);
        foreach (var chunk in events.Chunk(KeysPerCall))
        {
            var tokens = chunk.Select(_ => Guid.NewGuid().ToString("N")).ToArray();
            RedisValue[] arguments = [.. chunk.Select((e, i) => (RedisValue)Pending(tokens[i], e.ContentHash)), Milliseconds(_options.ReservationLease)];
            var result = await database.ScriptEvaluateAsync(ReserveScript, [.. chunk.Select(e => Key(e.EventId))], arguments).WaitAsync(cancellationToken);
            var current = (string?[])result!;
            for (var i = 0; i < chunk.Length; i++)
            {
                var (eventId, hash) = chunk[i];
                reservations.Add(new Reservation(eventId, StateOf(current[i] ?? "", hash), tokens[i], hash));
            }
        }
        return reservations;
    }

    public async Task ConfirmAsync(IReadOnlyList<Reservation> reservations, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        foreach (var chunk in reservations.Chunk(KeysPerCall))
        {
            RedisValue[] arguments =
            [
                .. chunk.SelectMany(r => new RedisValue[] { Pending(r.Token, r.ContentHash), "C:" + r.ContentHash }),
                Milliseconds(_options.RetentionPeriod),
            ];
            await database.ScriptEvaluateAsync(ConfirmScript, [.. chunk.Select(r => Key(r.EventId))], arguments).WaitAsync(cancellationToken);
        }
    }

    public async Task ReleaseAsync(IReadOnlyList<Reservation> reservations, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        foreach (var chunk in reservations.Chunk(KeysPerCall))
        {
            await database.ScriptEvaluateAsync(
                ReleaseScript,
                [.. chunk.Select(r => Key(r.EventId))],
                [.. chunk.Select(r => (RedisValue)Pending(r.Token, r.ContentHash))]).WaitAsync(cancellationToken);
        }
    }

    private static ReservationState StateOf(string current, string hash)
    {
        if (current.Length == 0)
        {
            return ReservationState.Reserved;
        }
        // "C:{hash}" or "P:{token}:{hash}": the hash is always the last part.
        var storedHash = current[(current.LastIndexOf(':') + 1)..];
        if (storedHash != hash)
        {
            return ReservationState.Conflict;
        }
        return current.StartsWith("C:", StringComparison.Ordinal) ? ReservationState.AlreadyPublished : ReservationState.InFlight;
    }

    private RedisKey Key(string eventId) => _options.KeyPrefix + eventId;

    private static string Pending(string token, string hash) => $"P:{token}:{hash}";

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
