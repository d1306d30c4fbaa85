using StackExchange.Redis;
using Xunit;

namespace CreditRisk.Testing.Redis;

/// <summary>
/// A connection to the real Redis started by the infra script. Each fixture gets its own key prefix,
/// so test classes never see each other's keys.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

    public string KeyPrefix { get; } = $"test:{Guid.NewGuid():N}:";

    public IConnectionMultiplexer Connection =>
        _connection ?? throw new InvalidOperationException("The fixture is not initialised.");

    public IDatabase Database => Connection.GetDatabase();

    public async ValueTask InitializeAsync()
    {
        var options = ConfigurationOptions.Parse(InfrastructureSettings.RedisConfiguration);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5_000;
        try
        {
            _connection = await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException exception)
        {
            throw new InvalidOperationException(
                $"Redis is not reachable at {InfrastructureSettings.RedisConfiguration}; {InfrastructureSettings.StartHint}", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }
        var server = _connection.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: KeyPrefix + "*"))
        {
            await Database.KeyDeleteAsync(key);
        }
        await _connection.DisposeAsync();
    }
}
