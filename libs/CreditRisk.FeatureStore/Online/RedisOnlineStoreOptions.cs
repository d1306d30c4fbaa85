namespace CreditRisk.FeatureStore;

/// <summary>Options of <see cref="RedisOnlineStore"/>.</summary>
public sealed class RedisOnlineStoreOptions
{
    /// <summary>Prefix of every key ("fs:" by default); tests use a unique one.</summary>
    public string KeyPrefix { get; set; } = "fs:";

    /// <summary>Rows per Lua call when writing (one round trip per call; calls are pipelined); at most 3,000.</summary>
    public int WriteBatchSize { get; set; } = 256;

    /// <summary>
    /// When set, keys expire this long after the view's TTL passes (memory bound); reads after that report
    /// NOT_FOUND instead of OUTSIDE_TTL. Null (default): keys never expire.
    /// </summary>
    public TimeSpan? ExpireAfterTtl { get; set; }
}
