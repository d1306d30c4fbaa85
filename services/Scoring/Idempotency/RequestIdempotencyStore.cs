using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Options;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CreditRisk.Scoring.Idempotency;

/// <summary>
/// Remembers each request id's answer for Scoring:IdempotencyWindow in Redis, so every replica gives a retried request
/// the first prediction. <see cref="ClaimAsync"/> is one atomic script: the first answer stored wins, and every other
/// caller gets that one back (and must not log its own).
/// </summary>
public sealed class RequestIdempotencyStore(IConnectionMultiplexer redis, IOptions<ScoringOptions> options)
{
    // KEYS[1]: the request id's key; ARGV[1]: the serialized response; ARGV[2]: the window in ms.
    // Returns the stored answer, or nothing when this one was stored.
    private const string ClaimScript = """
        local current = redis.call('GET', KEYS[1])
        if current then
          return current
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """;

    // Deletes the key only while it still holds ARGV[1] (our own answer).
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly ScoringOptions _options = options.Value;

    /// <summary>Stores <paramref name="response"/> for its request id unless one is stored: null when ours was, else the stored one.</summary>
    public async Task<ScoreResponse?> ClaimAsync(ScoreResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var stored = await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript,
            [Key(response.RequestId)], [response.ToByteArray(), (long)_options.IdempotencyWindow.TotalMilliseconds]);
        return stored.IsNull ? null : ScoreResponse.Parser.ParseFrom((byte[])stored!);
    }

    /// <summary>Forgets our answer (when it could not be logged), so a retry scores and logs afresh.</summary>
    public async Task ReleaseAsync(ScoreResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [Key(response.RequestId)], [response.ToByteArray()]);
    }

    private RedisKey Key(string requestId) => _options.IdempotencyKeyPrefix + requestId;
}
