using CreditRisk.Testing.Redis;
using StackExchange.Redis;

namespace CreditRisk.Infrastructure.Tests;

public sealed class RedisTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Stores_and_reads_back_a_hash_with_an_expiry()
    {
        var key = redis.KeyPrefix + "customer:C-1";

        await redis.Database.HashSetAsync(key, [new HashEntry("txn_count_30d", 17), new HashEntry("event_time", 1_700_000_000)]);
        await redis.Database.KeyExpireAsync(key, TimeSpan.FromMinutes(5));

        Assert.Equal(17, (int)await redis.Database.HashGetAsync(key, "txn_count_30d"));
        var ttl = await redis.Database.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Runs_a_lua_script_atomically()
    {
        // The online store's "never overwrite newer with older" rule will be a script like this one.
        var key = redis.KeyPrefix + "latest";
        const string keepNewest = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'ts') or '-1')
            if tonumber(ARGV[1]) > current then redis.call('HSET', KEYS[1], 'ts', ARGV[1], 'v', ARGV[2]) return 1 end
            return 0
            """;

        var first = (int)await redis.Database.ScriptEvaluateAsync(keepNewest, [key], [200, "new"]);
        var older = (int)await redis.Database.ScriptEvaluateAsync(keepNewest, [key], [100, "old"]);

        Assert.Equal(1, first);
        Assert.Equal(0, older);
        Assert.Equal("new", (string?)await redis.Database.HashGetAsync(key, "v"));
    }
}
