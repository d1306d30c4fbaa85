using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Options;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CreditRisk.Scoring.Idempotency;

/// <summary>
/// Remembers each request id's answer for Scoring:IdempotencyWindow in Redis, so every replica gives a retried request
/// the first prediction. A request first reserves its id (SET NX with a marker of its own, sent alongside the feature
/// read so both share one round trip); the holder stores its answer once it is logged, and a retry that finds the id
/// reserved waits for that answer. A reservation whose holder died expires after Scoring:IdempotencyReservationTimeout.
/// </summary>
public sealed class RequestIdempotencyStore(IConnectionMultiplexer redis, IOptions<ScoringOptions> options)
{
    // A serialized ScoreResponse never starts with a zero byte (field number 0 does not exist), so the marker cannot be
    // mistaken for an answer.
    private const string MarkerPrefix = "\0reserved:";

    // Deletes the key only while it still holds ARGV[1] (our own reservation).
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    private readonly ScoringOptions _options = options.Value;

    /// <summary>Reserves the request id for this call: a <see cref="Reservation"/> that holds it, or one that found it taken.</summary>
    public async Task<Reservation> ReserveAsync(string requestId)
    {
        var reservation = new Reservation(requestId, MarkerPrefix + Guid.NewGuid().ToString("N"));
        reservation.Held = await TryHoldAsync(redis.GetDatabase(), reservation);
        return reservation;
    }

    /// <summary>
    /// For a reservation that found the id taken: the answer stored for it once its holder has one, or null when the
    /// holder gave the id up (or died) and this reservation now holds it.
    /// </summary>
    public async Task<ScoreResponse?> AwaitAnswerAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var database = redis.GetDatabase();
        while (!reservation.Held)
        {
            var stored = await database.StringGetAsync(Key(reservation.RequestId));
            if (stored.IsNull)
            {
                reservation.Held = await TryHoldAsync(database, reservation);
                continue;
            }
            var bytes = (byte[])stored!;
            if (bytes.Length > 0 && bytes[0] != 0)
            {
                return ScoreResponse.Parser.ParseFrom(bytes);
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return null;
    }

    /// <summary>Stores the held id's answer for the window; sent without waiting, as the prediction is already logged.</summary>
    public void Complete(ScoreResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        // The async form: the synchronous one blocks the thread while another request holds the connection's write lock.
        _ = redis.GetDatabase().StringSetAsync(Key(response.RequestId), response.ToByteArray(), _options.IdempotencyWindow, flags: CommandFlags.FireAndForget);
    }

    /// <summary>Gives the held id up (its prediction could not be logged), so a retry scores and logs afresh.</summary>
    public async Task ReleaseAsync(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Held)
        {
            await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [Key(reservation.RequestId)], [reservation.Marker]);
            reservation.Held = false;
        }
    }

    private Task<bool> TryHoldAsync(IDatabase database, Reservation reservation) =>
        database.StringSetAsync(Key(reservation.RequestId), reservation.Marker, _options.IdempotencyReservationTimeout, When.NotExists);

    private RedisKey Key(string requestId) => _options.IdempotencyKeyPrefix + requestId;
}
