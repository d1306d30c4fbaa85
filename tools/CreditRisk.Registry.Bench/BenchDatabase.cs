using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.Registry.Bench;

/// <summary>A throw-away database, and the bulk seed of runs and metrics through binary COPY.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private BenchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 50 }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string server)
    {
        var database = new BenchDatabase(server, $"registry_bench_{Guid.NewGuid():N}");
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>Seeds <paramref name="runs"/> runs in one experiment, each with <paramref name="metricsPerRun"/> metrics m0..m9 in [0, 1).</summary>
    public async Task<(long ExperimentId, TimeSpan Took)> SeedRunsAsync(int runs, int metricsPerRun)
    {
        var stopwatch = Stopwatch.StartNew();
        // Bulk loading on a busy machine can take minutes: no 30 s command timeout here.
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString) { CommandTimeout = 0 }.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        long experimentId;
        await using (var experiment = new NpgsqlCommand("INSERT INTO experiments (name, created_time) VALUES ('search-bench', now()) RETURNING experiment_id", connection))
        {
            experimentId = (long)(await experiment.ExecuteScalarAsync())!;
        }

        var random = new Random(42);
        var ids = new Guid[runs];
        var start = DateTime.UtcNow.AddDays(-30);
        await using (var importer = await connection.BeginBinaryImportAsync("COPY runs (run_id, experiment_id, name, status, start_time, end_time) FROM STDIN (FORMAT BINARY)"))
        {
            importer.Timeout = TimeSpan.FromMinutes(30);
            for (var i = 0; i < runs; i++)
            {
                ids[i] = Guid.CreateVersion7();
                var started = start.AddSeconds(i * 20);
                await importer.StartRowAsync();
                await importer.WriteAsync(ids[i], NpgsqlDbType.Uuid);
                await importer.WriteAsync(experimentId, NpgsqlDbType.Bigint);
                await importer.WriteAsync($"run-{i}", NpgsqlDbType.Text);
                await importer.WriteAsync((short)2, NpgsqlDbType.Smallint);
                await importer.WriteAsync(started, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(started.AddMinutes(5), NpgsqlDbType.TimestampTz);
            }
            await importer.CompleteAsync();
        }

        var values = new double[runs, metricsPerRun];
        for (var i = 0; i < runs; i++)
        {
            for (var k = 0; k < metricsPerRun; k++)
            {
                values[i, k] = random.NextDouble();
            }
        }
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var table in new[] { "latest_metrics", "metrics" })
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} (run_id, key, value, timestamp_ms, step) FROM STDIN (FORMAT BINARY)");
            importer.Timeout = TimeSpan.FromMinutes(30);
            for (var i = 0; i < runs; i++)
            {
                for (var k = 0; k < metricsPerRun; k++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(ids[i], NpgsqlDbType.Uuid);
                    await importer.WriteAsync($"m{k}", NpgsqlDbType.Text);
                    await importer.WriteAsync(values[i, k], NpgsqlDbType.Double);
                    await importer.WriteAsync(timestamp, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(0L, NpgsqlDbType.Bigint);
                }
            }
            await importer.CompleteAsync();
        }
        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }
        return (experimentId, stopwatch.Elapsed);
    }

    /// <summary>PostgreSQL's plan and timing of the first-page query SearchRuns sends for this filter and order.</summary>
    public async Task<string> ExplainSearchAsync(long experimentId, string filter, string orderBy, int pageSize)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var query = new CreditRisk.Registry.Search.SearchQueryBuilder(
            [experimentId], CreditRisk.Contracts.Registry.V1.RunViewType.ActiveOnly,
            CreditRisk.Registry.Search.SearchExpressionParser.ParseFilter(filter),
            [CreditRisk.Registry.Search.SearchExpressionParser.ParseOrderBy(orderBy, 0)]);
        await using var command = query.Build(connection, 0, 0, pageSize + 1);
        command.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + command.CommandText;
        var plan = new System.Text.StringBuilder(command.CommandText["EXPLAIN (ANALYZE, BUFFERS) ".Length..]).AppendLine();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }
        return plan.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
