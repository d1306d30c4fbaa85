using CreditRisk.Contracts.Common.V1;
using Npgsql;
using StackExchange.Redis;

namespace CreditRisk.FeatureStore.Bench;

/// <summary>The online and offline store benchmarks against their own Redis key prefix and database, removed afterwards.</summary>
internal static class FeatureStoreBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        Console.WriteLine($"Feature store benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u}, load average {LoadAverage()}");

        var redis = await ConnectionMultiplexer.ConnectAsync(options.Redis);
        var prefix = $"bench:{Guid.NewGuid():N}:";
        var database = $"fs_bench_{Guid.NewGuid():N}";
        var server = new NpgsqlConnectionStringBuilder(options.Postgres);
        await using (var admin = NpgsqlDataSource.Create(server.ConnectionString))
        {
            await using var create = admin.CreateCommand($"CREATE DATABASE \"{database}\"");
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            if (!options.OfflineOnly)
            {
                await OnlineBenchmark.RunAsync(redis, prefix, options);
            }
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.Postgres) { Database = database, CommandTimeout = 0 }.ConnectionString);
            await OfflineBenchmark.RunAsync(dataSource, options);
        }
        finally
        {
            var endpoint = redis.GetServers()[0];
            await foreach (var key in endpoint.KeysAsync(pattern: prefix + "*", pageSize: 1000))
            {
                await redis.GetDatabase().KeyDeleteAsync(key, CommandFlags.FireAndForget);
            }
            NpgsqlConnection.ClearAllPools();
            if (options.KeepDatabase)
            {
                Console.WriteLine($"kept database {database}");
            }
            else
            {
                // Autovacuum may still be working on the fresh table (FORCE may not end it for a non-superuser): retry.
                await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{database}\"");
                        await drop.ExecuteNonQueryAsync();
                        break;
                    }
                    catch (PostgresException exception) when (attempt < 10)
                    {
                        Console.WriteLine($"  (drop of {database} retried: {exception.MessageText})");
                        await Task.Delay(TimeSpan.FromSeconds(3));
                    }
                }
            }
            await redis.DisposeAsync();
        }
        return 0;
    }

    // Other work on the machine skews every figure: print the load next to them.
    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
