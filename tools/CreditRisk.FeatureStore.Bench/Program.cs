// Feature store benchmark: prints online read latency (1 × 50 and 100 × 50 features), online write and offline
// append throughput, and the time of a point-in-time retrieval of N entity rows (default 1,000,000).
// Usage: dotnet run -c Release --project tools/CreditRisk.FeatureStore.Bench -- [--rows 1000000] [--quick] [--offline-only] [--keep-database]
// Uses Redis__Configuration and ConnectionStrings__Postgres (defaults: the local infra); creates and drops its own
// database and key prefix.
using System.Diagnostics;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore;
using CreditRisk.FeatureStore.Bench;
using Npgsql;
using StackExchange.Redis;

var options = BenchOptions.Parse(args);
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
    if (!args.Contains("--offline-only"))
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
    if (args.Contains("--keep-database"))
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

// Other work on the machine skews every figure: print the load next to them.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
