using System.Diagnostics;
using System.Globalization;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Service.Monitoring;
using CreditRisk.Drift.Service.Persistence;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Profiles;
using CreditRisk.Persistence.Migrations;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace CreditRisk.Drift.Bench;

/// <summary>
/// The per-prediction cost of streaming ingestion: decoding PredictionLogged records and counting them into their
/// window stream in PostgreSQL (one transaction per batch, as the service's batch consumer does), then testing each
/// window of 2,000 against a 5,000-row reference profile. Runs in a scratch database that is dropped afterwards.
/// </summary>
public static class StreamingBenchmark
{
    private const int Numeric = 10;
    private const int Categorical = 3;
    private const int BatchSize = 500;
    private const int WindowSize = 2_000;

    public static async Task RunAsync(int predictions, string connectionString, TextWriter output, CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        var database = $"drift_bench_{Guid.NewGuid():N}";
        await using (var admin = NpgsqlDataSource.Create(server.ConnectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {database}"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString);
            await new SchemaMigrator(dataSource).MigrateAsync(DriftSchema.Migrations, cancellationToken);
            await MeasureAsync(dataSource, predictions, output, cancellationToken);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task MeasureAsync(NpgsqlDataSource dataSource, int count, TextWriter output, CancellationToken cancellationToken)
    {
        var random = new Random(7);
        var records = Enumerable.Range(0, count).Select(i => Prediction(i, random).ToByteArray()).ToList();
        var store = new PredictionStore(dataSource, TimeProvider.System);

        // Warm the connection pool and the statements on a batch of its own stream.
        await store.AppendAsync([.. records.Take(BatchSize).Select(bytes => { var p = PredictionLogged.Parser.ParseFrom(bytes); p.PredictionId += "-warm"; p.ModelVersion = 99; return p; })], cancellationToken);

        var clock = Stopwatch.StartNew();
        for (var offset = 0; offset < count; offset += BatchSize)
        {
            var batch = records.Skip(offset).Take(BatchSize).Select(bytes => PredictionLogged.Parser.ParseFrom(bytes)).ToList();
            foreach (var prediction in batch)
            {
                if (PredictionBatchHandler.Malformed(prediction) is { } reason) throw new InvalidOperationException(reason);
            }
            await store.AppendAsync(batch, cancellationToken);
        }
        var ingest = clock.Elapsed.TotalSeconds;

        var reference = ReferenceData.From(Profile(random));
        var analyzer = new WindowAnalyzer(new DriftOptions());
        var windows = count / WindowSize;
        var analysis = TimeSpan.Zero;
        var load = TimeSpan.Zero;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            var streamId = (long)(await new NpgsqlCommand("SELECT stream_id FROM drift.streams WHERE model_version = 1", connection).ExecuteScalarAsync(cancellationToken))!;
            for (var w = 0; w < windows; w++)
            {
                var started = Stopwatch.GetTimestamp();
                var (rows, _) = await WindowStore.LoadWindowAsync(connection, null, streamId, (long)w * WindowSize, (long)(w + 1) * WindowSize, cancellationToken);
                var loaded = Stopwatch.GetTimestamp();
                analyzer.Analyze(reference, rows);
                load += Stopwatch.GetElapsedTime(started, loaded);
                analysis += Stopwatch.GetElapsedTime(loaded);
            }
        }
        var perPrediction = ingest / count * 1e6;
        var perWindow = windows == 0 ? 0 : (load + analysis).TotalMilliseconds / windows;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Streaming ingestion: {count:N0} predictions ({Numeric + Categorical} features) in batches of {BatchSize}: {ingest:F2} s, {count / ingest:N0} predictions/s, {perPrediction:F1} µs per prediction (decode, validate, number, COPY into PostgreSQL)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Window close: {windows} windows of {WindowSize:N0} against a {reference.Size:N0}-row reference: {perWindow:F1} ms per window (read {load.TotalMilliseconds / Math.Max(1, windows):F1} ms, tests and quality {analysis.TotalMilliseconds / Math.Max(1, windows):F1} ms), {perWindow * 1000 / WindowSize:F1} µs per prediction"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per prediction, ingestion and its share of a window: {perPrediction + perWindow * 1000 / WindowSize:F1} µs"));
    }

    private static PredictionLogged Prediction(int i, Random random)
    {
        var prediction = new PredictionLogged
        {
            Envelope = new EventEnvelope { EventId = Guid.NewGuid().ToString(), EntityKey = $"c{i}", EventTime = Timestamp.FromDateTime(DateTime.UtcNow), Source = "bench", SchemaVersion = 1 },
            PredictionId = Guid.NewGuid().ToString(),
            RequestId = $"r{i}",
            ApplicationId = $"a{i}",
            CustomerId = $"c{i}",
            ModelName = "bench",
            ModelVersion = 1,
            Variant = "champion",
            Served = true,
            DefaultProbability = random.NextDouble(),
            Decision = "REVIEW",
        };
        for (var f = 0; f < Numeric; f++)
        {
            prediction.Features.Add(new Feature { Name = $"n{f}", Value = new FeatureValue { DoubleValue = random.NextDouble() * 100 } });
            prediction.FeatureStatuses.Add(FeatureStatus.Present);
        }
        for (var f = 0; f < Categorical; f++)
        {
            prediction.Features.Add(new Feature { Name = $"c{f}", Value = new FeatureValue { StringValue = $"k{random.Next(6)}" } });
            prediction.FeatureStatuses.Add(FeatureStatus.Present);
        }
        return prediction;
    }

    private static ReferenceProfile Profile(Random random)
    {
        var features = Enumerable.Range(0, Numeric).Select(f => new FeatureColumn($"n{f}", ColumnKind.Numeric))
            .Concat(Enumerable.Range(0, Categorical).Select(f => new FeatureColumn($"c{f}", ColumnKind.Categorical))).ToList();
        var rows = Enumerable.Range(0, 5_000).Select(_ => features.Select(f => f.Kind == ColumnKind.Numeric ? (object?)(random.NextDouble() * 100) : $"k{random.Next(6)}").ToArray()).ToList();
        var labels = rows.Select(_ => random.NextDouble() < 0.2).ToList();
        var dataset = LabelledDataset.FromValues(features, rows, labels, "label", "bad");
        return ReferenceProfileBuilder.Build(dataset, [.. rows.Select(_ => random.NextDouble())]);
    }
}
