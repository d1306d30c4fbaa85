using System.Globalization;
using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Registry.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Registry.Bench;

/// <summary>LogBatch and SearchRuns through the real gRPC server on loopback, against a throw-away database.</summary>
internal static class RegistryBenchmark
{
    public static async Task<int> RunAsync(int runs, int iterations, bool explain)
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "Host=127.0.0.1;Port=5432;Username=creditrisk;Database=creditrisk";

        await using var database = await BenchDatabase.CreateAsync(server);
        await using var registry = await BenchRegistry.StartAsync(database.ConnectionString);
        var client = registry.Client;
        Console.WriteLine($"Registry benchmark: {Environment.ProcessorCount} cores, PostgreSQL at {new Npgsql.NpgsqlConnectionStringBuilder(server).Host}, database {database.Name}");
        // Other work on a shared machine skews latencies: say how busy it was.
        Console.WriteLine($"Load average at start: {LoadAverage()}");

        // 1. LogBatch.
        var experiment = await client.CreateExperimentAsync(new CreateExperimentRequest { Name = "log-batch-bench" });
        var run = await client.CreateRunAsync(new CreateRunRequest { ExperimentId = experiment.ExperimentId });
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        LogBatchRequest Batch(int size, int step)
        {
            var request = new LogBatchRequest { RunId = run.RunId };
            for (var k = 0; k < size; k++)
            {
                request.Metrics.Add(new Metric { Key = $"metric_{k}", Value = Random.Shared.NextDouble(), Step = step, Timestamp = now });
            }
            return request;
        }
        var logBatch1000 = new LatencyRecorder();
        await logBatch1000.MeasureAsync(20, Math.Min(iterations, 200), async step => await client.LogBatchAsync(Batch(1000, step)));
        var logBatch10 = new LatencyRecorder();
        await logBatch10.MeasureAsync(20, iterations, async step => await client.LogBatchAsync(Batch(10, 10_000 + step)));
        Report("LogBatch, 1,000 metrics", logBatch1000);
        Report("LogBatch, 10 metrics", logBatch10);

        // 2. SearchRuns.
        var (experimentId, took) = await database.SeedRunsAsync(runs, 10);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {runs:N0} runs × 10 metrics (latest + history: {2 * runs * 10:N0} rows) with COPY in {took.TotalSeconds:0.0} s"));
        if (explain)
        {
            Console.WriteLine(await database.ExplainSearchAsync(experimentId, "metrics.m3 > 0.5", "metrics.m7 DESC", 100));
        }
        var searches = new (string Name, SearchRunsRequest Request)[]
        {
            ("SearchRuns metrics.m3 > 0.5 ORDER BY metrics.m7 DESC, page 100", new() { Filter = "metrics.m3 > 0.5", OrderBy = { "metrics.m7 DESC" } }),
            ("SearchRuns metrics.m3 > 0.9 ORDER BY metrics.m7 ASC, page 100", new() { Filter = "metrics.m3 > 0.9", OrderBy = { "metrics.m7 ASC" } }),
            ("SearchRuns metrics.m3 < 0.01 ORDER BY metrics.m7 DESC, page 100", new() { Filter = "metrics.m3 < 0.01", OrderBy = { "metrics.m7 DESC" } }),
            ("SearchRuns no filter, default order (start_time), page 100", new()),
            ("SearchRuns metrics.m3 > 0.5 ORDER BY metrics.m7 DESC, 2nd page", new() { Filter = "metrics.m3 > 0.5", OrderBy = { "metrics.m7 DESC" } }),
        };
        foreach (var (name, template) in searches)
        {
            template.ExperimentIds.Add(experimentId.ToString(CultureInfo.InvariantCulture));
            template.PageSize = 100;
            if (name.EndsWith("2nd page", StringComparison.Ordinal))
            {
                template.PageToken = (await client.SearchRunsAsync(template)).NextPageToken;
            }
            var first = await client.SearchRunsAsync(template);
            if (first.Runs.Count != 100 || first.Runs.Any(r => r.Metrics.Count != 10))
            {
                throw new InvalidOperationException($"{name}: expected a full page of runs with 10 metrics each, got {first.Runs.Count}");
            }
            var recorder = new LatencyRecorder();
            await recorder.MeasureAsync(20, iterations, async _ => await client.SearchRunsAsync(template));
            Report(name, recorder);
        }
        Console.WriteLine($"Load average at end: {LoadAverage()}");
        Console.WriteLine("Anchor (MLflow k6): SearchRuns avg 1,004 ms (Python) / 104 ms (mlflow-go); LogMetricBatch of 10: 58 ms / 18 ms. Goal: SearchRuns p50 <= 20 ms.");
        return 0;
    }

    private static void Report(string name, LatencyRecorder recorder) => Console.WriteLine($"{name,-58} {recorder.Summary()}");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
