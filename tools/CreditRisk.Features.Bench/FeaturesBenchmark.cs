using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime;
using Confluent.Kafka;
using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Features.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Topics;
using CreditRisk.DevBroker;
using CreditRisk.Features.Processing;
using CreditRisk.FeatureStore;
using CreditRisk.Messaging;
using CreditRisk.Messaging.Provisioning;
using CreditRisk.Messaging.Telemetry;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StackExchange.Redis;

namespace CreditRisk.Features.Bench;

/// <summary>
/// 1. Publishes N raw events (event-time order, many customers) to the catalogue's source topics.
/// 2. Starts the features service (Program.cs's composition, real Kestrel) and times its processor draining them
///    into Redis + PostgreSQL (+ FeatureVectorUpdated): sustained events/s, over the events after a warm-up (start-up,
///    JIT compilation and tiering: a long-running service pays them once), whose own rate is printed too.
/// 3. Times GetOnlineFeatures over gRPC (h2c loopback, sequential calls): 1 row and 100 rows, once the machine is
///    quiet and the path is warm. This program runs the GC as the service does (DATAS off, see the features
///    service's README); DOTNET_GCDynamicAdaptationMode=1 measures .NET's default instead.
/// 4. Times GetHistoricalFeatures for N entity rows streamed both ways.
/// </summary>
internal static class FeaturesBenchmark
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        KafkaDevBroker? broker = null;
        string? brokerDirectory = null;
        var bootstrap = settings.Bootstrap;
        if (bootstrap is null)
        {
            brokerDirectory = Directory.CreateTempSubdirectory("features-bench").FullName;
            broker = new KafkaDevBroker(new BrokerOptions { DataDirectory = brokerDirectory, Port = 0, RetentionTime = Timeout.InfiniteTimeSpan });
            await broker.StartAsync();
            bootstrap = broker.BootstrapServers;
        }
        var database = $"features_bench_{Guid.NewGuid():N}";
        var server = new NpgsqlConnectionStringBuilder(settings.Postgres);
        var benchConnection = new NpgsqlConnectionStringBuilder(settings.Postgres) { Database = database }.ConnectionString;
        var redisPrefix = $"bench:{Guid.NewGuid():N}:";
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{database}\"");
        try
        {
            Console.WriteLine($"features bench: {settings.WarmupEvents:N0} warm-up + {settings.Events:N0} measured raw events, {settings.Customers:N0} customers, {settings.EventSpan.TotalDays:0} days of event time, " +
                $"batches of {settings.BatchRecords} records / {settings.BatchDelayMs} ms, lateness {settings.AllowedLateness}, {Environment.ProcessorCount} cores");
            Console.WriteLine($"broker {bootstrap} ({(broker is null ? "external" : "in-process dev broker")}), PostgreSQL {server.Host}:{server.Port}/{database}, Redis {settings.Redis}");
            Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, dynamic adaptation (DATAS) {(AppContext.GetData("System.GC.DynamicAdaptationMode") is 1 or "1" || Environment.GetEnvironmentVariable("DOTNET_GCDynamicAdaptationMode") == "1" ? "on" : "off")}");

            var (recordCount, applications) = await PublishEventsAsync(settings, bootstrap);

            var group = "features-bench-" + Guid.NewGuid().ToString("N")[..8];
            using var progress = new ProcessorProgress(group, settings.WarmupEvents);
            using var allocations = settings.SampleAllocations ? new AllocationSampler() : null;
            progress.WarmedUp += () =>
            {
                if (allocations is not null)
                {
                    allocations.Recording = true;
                }
            };
            var grpcPort = FreePort.Next();
            var app = BuildService(settings, bootstrap, benchConnection, redisPrefix, group, grpcPort);
            var started = Stopwatch.GetTimestamp();
            await app.StartAsync();
            try
            {
                while (progress.Consumed < recordCount)
                {
                    await Task.Delay(100);
                    if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(20))
                    {
                        throw new TimeoutException($"processor drained only {progress.Consumed:N0} of {recordCount:N0} records in 20 min");
                    }
                }
                var total = Stopwatch.GetElapsedTime(started);
                var end = DrainMark.Take(progress.Applied, progress.LastBatchTimestamp);
                var offlineRows = await ScalarAsync(benchConnection, "SELECT count(*) FROM feature_store.feature_rows");
                Console.WriteLine();
                Console.WriteLine("raw events → Redis + PostgreSQL (+ FeatureVectorUpdated)");
                if (allocations is not null)
                {
                    allocations.Recording = false;
                }
                PrintDrain(settings, progress, end, total, offlineRows, allocations);

                // Reads are timed on a quiet machine: vacuum the fresh history now rather than let autovacuum run mid-measurement.
                var settling = Stopwatch.StartNew();
                await ExecuteAsync(benchConnection, "VACUUM (ANALYZE)");
                Console.WriteLine($"  then VACUUM (ANALYZE) of the database: {settling.Elapsed.TotalSeconds:0.0} s");
                var quiet = await MachineLoad.WaitUntilQuietAsync(maxBusyShare: 0.10, TimeSpan.FromSeconds(120));
                Console.WriteLine($"  then waited {quiet.Waited.TotalSeconds:0.0} s for a quiet machine (CPU busy {quiet.BusyShare:P0} over the last second)");

                await ReadBenchmarkAsync(settings, grpcPort, applications);
                if (settings.HistoricalRows > 0)
                {
                    await HistoricalBenchmarkAsync(settings, grpcPort, applications);
                }
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DeleteRedisKeysAsync(settings.Redis, redisPrefix);
            await DropDatabaseAsync(server.ConnectionString, database);
            if (broker is not null)
            {
                await broker.DisposeAsync();
                Directory.Delete(brokerDirectory!, recursive: true);
            }
        }
    }

    private static WebApplication BuildService(BenchSettings settings, string bootstrap, string postgres, string redisPrefix, string group, int grpcPort) =>
        BenchService.Build(grpcPort, new Dictionary<string, string?>
        {
            ["ApiKeys:bench:Key"] = ReaderKey,
            ["ApiKeys:bench:Roles"] = "reader",
            ["Kafka:BootstrapServers"] = bootstrap,
            ["ConnectionStrings:Postgres"] = postgres,
            ["Redis:Configuration"] = settings.Redis,
            ["OnlineStore:KeyPrefix"] = redisPrefix,
            ["FeatureProcessor:GroupId"] = group,
            ["FeatureProcessor:MaxBatchRecords"] = settings.BatchRecords.ToString(CultureInfo.InvariantCulture),
            ["FeatureProcessor:MaxBatchDelay"] = TimeSpan.FromMilliseconds(settings.BatchDelayMs).ToString("c", CultureInfo.InvariantCulture),
            ["FeatureProcessor:AllowedLateness"] = settings.AllowedLateness.ToString("c", CultureInfo.InvariantCulture),
        }, builder => builder.AddApplicationServices(), app => app.MapApplicationEndpoints(), typeof(FeaturesBenchmark).Assembly.GetName().Name);

    /// <summary>The reader key the bench's service accepts, made up for the run.</summary>
    private static readonly string ReaderKey = "bench-" + Guid.NewGuid().ToString("N");

    private static FeatureRetrievalService.FeatureRetrievalServiceClient ReaderClient(GrpcChannel channel) =>
        new(channel.WithApiKey(ReaderKey));

    private static async Task ReadBenchmarkAsync(BenchSettings settings, int grpcPort, List<(string Customer, string Application)> applications)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var client = ReaderClient(channel);
        var service = FeatureRegistry.GetService("credit_default");
        var serviceReferences = service.Features.Select(reference => FeatureRegistry.Pin(reference).ToString()).ToList();
        // The registry has 31 distinct features; 50 references = all of them + the first 19 again (same lookups).
        var fifty = serviceReferences.Concat(serviceReferences).Take(50).ToList();
        var rows = applications.DistinctBy(pair => pair.Customer).Take(100)
            .Select(pair => new EntityKeys { Keys = { new EntityKey { Entity = "customer", Id = pair.Customer }, new EntityKey { Entity = "application", Id = pair.Application } } })
            .ToList();

        Console.WriteLine();
        Console.WriteLine("GetOnlineFeatures over gRPC (h2c loopback, sequential calls, one client)");
        var scenarios = new[]
        {
            ("1 row x 50 features", 1, fifty, settings.ReadCallsSingle, 1.78),
            ("1 row x 31 (credit_default's features)", 1, serviceReferences, settings.ReadCallsSingle, double.NaN),
            ("100 rows x 50 features", 100, fifty, settings.ReadCallsHundred, 22.0),
            ("100 rows x 31 (credit_default's features)", 100, serviceReferences, settings.ReadCallsHundred, double.NaN),
        }.Select(scenario => (scenario.Item1, Request: new GetOnlineFeaturesRequest
        {
            Rows = { rows.Take(scenario.Item2) },
            Selection = new Contracts.Features.V1.FeatureSelection { Features = new FeatureList { References = { scenario.Item3 } } },
        }, Calls: scenario.Item4, Anchor: scenario.Item5)).ToList();

        // Warm-up over every request: long enough for tiered JIT to finish optimising the whole path (it recompiles
        // hot methods in the background for seconds), so that the figures are the steady state a serving replica has.
        // A call that never returns fails the bench with a message instead of hanging it (two runs hung here; cause not found).
        using var warmUpLimit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var warming = Stopwatch.StartNew();
        var warmUpCalls = 0;
        while (warming.Elapsed < TimeSpan.FromSeconds(15))
        {
            foreach (var scenario in scenarios)
            {
                await client.GetOnlineFeaturesAsync(scenario.Request, cancellationToken: warmUpLimit.Token);
                warmUpCalls++;
            }
        }
        Console.WriteLine($"  (after {warmUpCalls:N0} warm-up calls in {warming.Elapsed.TotalSeconds:0} s)");
        Console.WriteLine($"  {"request",-42} {"calls",7} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"p99.9 ms",8} {"max ms",8} {"present",9}");
        foreach (var (label, request, calls, anchor) in scenarios)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var first = await client.GetOnlineFeaturesAsync(request, cancellationToken: limit.Token);
            var present = first.Rows.SelectMany(row => row.Features).Count(feature => feature.Status == FeatureStatus.Present);
            var total = first.Rows.Sum(row => row.Features.Count);
            var latencies = new LatencyRecorder();
            await latencies.MeasureAsync(warmup: 0, calls, async _ => await client.GetOnlineFeaturesAsync(request, cancellationToken: limit.Token));
            var summary = latencies.Summary();
            var goal = double.IsNaN(anchor) ? "" : $"  (Feast p99 {anchor} ms; goal ≤ {anchor / 2:0.##} ms)";
            Console.WriteLine($"  {label,-42} {calls,7} {summary.P50,8:0.000} {summary.P90,8:0.000} {summary.P99,8:0.000} {summary.P999,8:0.000} {summary.Max,8:0.000} {present,4}/{total,-4}{goal}");
        }
    }

    /// <summary>A training set over gRPC: entity rows streamed in, point-in-time rows streamed out.</summary>
    private static async Task HistoricalBenchmarkAsync(BenchSettings settings, int grpcPort, List<(string Customer, string Application)> applications)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = ReaderClient(channel);
        var end = DateTimeOffset.UtcNow;
        var random = new Random(3);
        var started = Stopwatch.GetTimestamp();
        using var call = client.GetHistoricalFeatures();
        var sending = Task.Run(async () =>
        {
            const int perMessage = 10_000;
            for (var sent = 0; sent < settings.HistoricalRows; sent += perMessage)
            {
                var message = new GetHistoricalFeaturesRequest();
                if (sent == 0)
                {
                    message.Selection = new Contracts.Features.V1.FeatureSelection { FeatureService = new FeatureServiceRef { Name = "credit_default" } };
                }
                for (var i = sent; i < Math.Min(sent + perMessage, settings.HistoricalRows); i++)
                {
                    var (customer, application) = applications[random.Next(applications.Count)];
                    message.EntityRows.Add(new Contracts.Features.V1.EntityRow
                    {
                        Keys = new EntityKeys { Keys = { new EntityKey { Entity = "customer", Id = customer }, new EntityKey { Entity = "application", Id = application } } },
                        Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(end - TimeSpan.FromMinutes(random.Next(90 * 24 * 60))),
                        RowId = i.ToString(CultureInfo.InvariantCulture),
                    });
                }
                await call.RequestStream.WriteAsync(message);
            }
            await call.RequestStream.CompleteAsync();
        });
        long rows = 0, values = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            rows += call.ResponseStream.Current.Rows.Count;
            foreach (var row in call.ResponseStream.Current.Rows)
            {
                values += row.Values.Count(value => value.KindCase != FeatureValue.KindOneofCase.None);
            }
        }
        await sending;
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine();
        Console.WriteLine("GetHistoricalFeatures over gRPC (credit_default, 31 features, rows streamed both ways)");
        Console.WriteLine($"  {rows:N0} entity rows in {elapsed.TotalSeconds:0.00} s: {rows / elapsed.TotalSeconds:N0} rows/s ({values:N0} non-null values)");
    }

    private static async Task ProvisionAsync(string bootstrap)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await TopicProvisioner.EnsureTopicsAsync(admin, TopicCatalogue.All, CancellationToken.None);
        await Task.Delay(500);   // let metadata settle
    }

    /// <summary>
    /// Generates and publishes the raw events, then lets them go: a service would not hold the producer's copy, and
    /// left live it would be a few hundred MB in the heap the processor's collections work on.
    /// </summary>
    private static async Task<(int Count, List<(string Customer, string Application)> Applications)> PublishEventsAsync(BenchSettings settings, string bootstrap)
    {
        // The warm-up events come first in event time: the measured ones follow on the same customers.
        var (records, applications) = BenchEvents.Generate(settings.WarmupEvents + settings.Events, settings.Customers, settings.EventSpan);
        await ProvisionAsync(bootstrap);
        var published = Publish(bootstrap, records);
        Console.WriteLine($"published {records.Count:N0} events in {published.TotalSeconds:0.00} s ({records.Count / published.TotalSeconds:N0} ev/s)");
        return (records.Count, applications);
    }

    private static TimeSpan Publish(string bootstrap, List<BenchRecord> records)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(BenchKafka.ThroughputProducer(bootstrap)).Build();
        var failures = 0L;
        var stopwatch = Stopwatch.StartNew();
        foreach (var record in records)
        {
            var message = new Message<byte[], byte[]>
            {
                Key = record.Key,
                Value = record.Value,
                Headers = new Headers { { MessageHeaders.MessageType, record.MessageType } },
            };
            while (true)
            {
                try
                {
                    producer.Produce(record.Topic, message, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[], byte[]> exception) when (exception.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }
        producer.Flush(TimeSpan.FromMinutes(5));
        stopwatch.Stop();
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} events were not acknowledged");
        }
        return stopwatch.Elapsed;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the bench database, waiting for stray sessions (e.g. autovacuum, which FORCE may not end) to go.</summary>
    private static async Task DropDatabaseAsync(string serverConnection, string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(serverConnection, $"DROP DATABASE IF EXISTS \"{database}\"");
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task DeleteRedisKeysAsync(string configuration, string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        var database = redis.GetDatabase();
        var batch = new List<RedisKey>();
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: prefix + "*", pageSize: 10_000))
        {
            batch.Add(key);
            if (batch.Count == 10_000)
            {
                await database.KeyDeleteAsync([.. batch]);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await database.KeyDeleteAsync([.. batch]);
        }
    }

    /// <summary>
    /// The drain's figures: the warm-up (start-up, JIT compilation, the first states), then the sustained rate of
    /// the events after it, from the batch whose writes took the applied events past the warm-up to the last
    /// checkpoint, with the CPU, allocations and GCs of that stretch.
    /// </summary>
    private static void PrintDrain(BenchSettings settings, ProcessorProgress progress, DrainMark end, TimeSpan total, long offlineRows, AllocationSampler? allocations)
    {
        var first = progress.FirstBatch;
        var from = progress.Measured;
        if (first is null || from is null)
        {
            Console.WriteLine("  the processor wrote no batch");
            return;
        }
        Console.WriteLine($"  drained {progress.Consumed:N0} records in {Stopwatch.GetElapsedTime(first.At, end.At).TotalSeconds:0.00} s from the first batch applied to the last checkpoint " +
            $"({total.TotalSeconds:0.00} s including start-up and group join); {progress.Batches:N0} batches, mean {progress.BatchSeconds / Math.Max(1, progress.Batches) * 1000:0.0} ms from apply to written");
        Console.WriteLine($"  applied {progress.Applied:N0}, late {progress.Late:N0}, offline rows {offlineRows:N0}; the last store write was acknowledged {Stopwatch.GetElapsedTime(progress.LastWrittenTimestamp, end.At).TotalMilliseconds:0} ms before the last checkpoint");
        if (settings.WarmupEvents > 0)
        {
            var warmup = from.Since(first);
            Console.WriteLine($"  warm-up: {from.Applied:N0} events in {warmup.Seconds:0.00} s from the first batch, {from.Applied / warmup.Seconds:N0} events/s, JIT compilation {warmup.Jit.TotalSeconds:0.0} s ({warmup.JitMethods:N0} methods)");
        }
        var measured = end.Since(from);
        var events = end.Applied - from.Applied;
        Console.WriteLine($"  {events:N0} events in {measured.Seconds:0.00} s{(settings.WarmupEvents > 0 ? " after the warm-up" : "")}, to the last checkpoint: {events / measured.Seconds:N0} events/s sustained");
        allocations?.Print(events);
        PrintCpu(measured, events);
        Console.WriteLine($"  allocated {measured.Allocated / (double)events / 1024:0.0} KB per event in this process (processor and in-process broker); " +
            $"GCs gen0/1/2: {string.Join('/', measured.Collections)}, paused {measured.GcPause.TotalSeconds:0.00} s, JIT compilation {measured.Jit.TotalSeconds:0.0} s ({measured.JitMethods:N0} methods), " +
            $"last GC promoted {GC.GetGCMemoryInfo(GCKind.Any).PromotedBytes / 1048576.0:0} MB");
        PrintCheckpointIntervals(progress, first, from);
    }

    /// <summary>
    /// The steady state: whole checkpoint intervals after the warm-up, between checkpoints the interval called for
    /// (stored while batches were still being written), each paying for one checkpoint as a service running for days
    /// does. The stretch to the last checkpoint above also pays for the ones the drained input called for, however
    /// soon after the previous one they came.
    /// </summary>
    private static void PrintCheckpointIntervals(ProcessorProgress progress, DrainMark first, DrainMark from)
    {
        var checkpoints = progress.Checkpoints;
        Console.WriteLine($"  checkpoints stored at {string.Join(", ", checkpoints.Select(stored => $"{Stopwatch.GetElapsedTime(first.At, stored.Mark.At).TotalSeconds:0.0} s (in {stored.Seconds * 1000:0} ms)"))} from the first batch");
        var timed = checkpoints.Select(stored => stored.Mark).Where(mark => mark.At > from.At && mark.At < progress.LastWrittenTimestamp).ToList();
        if (timed.Count < 2)
        {
            Console.WriteLine($"  {timed.Count} checkpoint(s) stored by the interval after the warm-up: too few for a whole checkpoint interval; measure more events");
            return;
        }
        foreach (var (start, end) in timed.Zip(timed.Skip(1)))
        {
            var stretch = end.Since(start);
            var events = end.Applied - start.Applied;
            Console.WriteLine($"    {Stopwatch.GetElapsedTime(first.At, start.At).TotalSeconds,6:0.0} s → {Stopwatch.GetElapsedTime(first.At, end.At).TotalSeconds,6:0.0} s: " +
                $"{events,9:N0} events, {events / stretch.Seconds,7:N0} events/s{CpuPerEvent(stretch, events)}");
        }
        var steady = timed[^1].Since(timed[0]);
        var steadyEvents = timed[^1].Applied - timed[0].Applied;
        Console.WriteLine($"  steady state, {timed.Count - 1} whole checkpoint interval(s): {steadyEvents:N0} events in {steady.Seconds:0.00} s, {steadyEvents / steady.Seconds:N0} events/s sustained");
        PrintCpu(steady, steadyEvents);
    }

    private static string CpuPerEvent(DrainStretch stretch, long events) =>
        stretch.Cpu is { } cpu && cpu.Sum(part => part.Seconds) is var busy
            ? $", {busy / events * 1e6:0.0} µs CPU per event ({busy / stretch.Seconds / Environment.ProcessorCount:P0} busy)"
            : "";

    private static void PrintCpu(DrainStretch stretch, long events)
    {
        if (stretch.Cpu is { } cpu)
        {
            // The sum is the machine's busy time: how far from all cores a run was tells whether it waited on something.
            var busy = cpu.Sum(part => part.Seconds);
            Console.WriteLine($"  CPU per event: {busy / events * 1e6:0.0} µs in all ({busy / stretch.Seconds / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores busy): " +
                string.Join(", ", cpu.Select(part => $"{part.Consumer} {part.Seconds / events * 1e6:0.0} µs")));
        }
    }

    /// <summary>The process's counters at a point of the drain.</summary>
    private sealed record DrainMark(long At, long Applied, CpuAccounting? Cpu, long Allocated, int[] Collections, TimeSpan GcPause, TimeSpan Jit, long JitMethods)
    {
        public static DrainMark Take(long applied, long at = 0) => new(
            at == 0 ? Stopwatch.GetTimestamp() : at, applied, CpuAccounting.Supported ? CpuAccounting.Take() : null, GC.GetTotalAllocatedBytes(),
            [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)], GC.GetTotalPauseDuration(), JitInfo.GetCompilationTime(), JitInfo.GetCompiledMethodCount());

        public DrainStretch Since(DrainMark start) => new(
            Stopwatch.GetElapsedTime(start.At, At).TotalSeconds,
            Cpu is not null && start.Cpu is not null ? Cpu.Since(start.Cpu) : null,
            Allocated - start.Allocated,
            Collections.Zip(start.Collections, (now, then) => now - then).ToArray(),
            GcPause - start.GcPause,
            Jit - start.Jit,
            JitMethods - start.JitMethods);
    }

    private sealed record DrainStretch(double Seconds, IReadOnlyList<(string Consumer, double Seconds)>? Cpu, long Allocated, int[] Collections, TimeSpan GcPause, TimeSpan Jit, long JitMethods);

    /// <summary>Follows the processor through its metrics: records consumed by the bench's group, batches, lateness.</summary>
    private sealed class ProcessorProgress : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _consumed, _applied, _late, _batches, _lastBatch, _lastWritten;
        private double _batchSeconds;
        private DrainMark? _firstBatch;
        private readonly List<(DrainMark Mark, double Seconds)> _checkpoints = [];

        /// <param name="warmupEvents">Applied events after which the measured stretch starts (0: at the first batch).</param>
        public ProcessorProgress(string group, long warmupEvents)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if ((instrument.Meter.Name == MessagingTelemetry.Name && instrument.Name == "messaging.client.consumed.messages")
                    || (instrument.Meter.Name == FeatureProcessorTelemetry.Name && instrument.Name is "creditrisk.features.events.applied"
                        or "creditrisk.features.events.late" or "creditrisk.features.batch.duration" or "creditrisk.features.checkpoint.duration"))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                switch (instrument.Name)
                {
                    case "messaging.client.consumed.messages":
                        foreach (var tag in tags)
                        {
                            if (tag.Key == MessagingTelemetry.ConsumerGroupTag && (string?)tag.Value == group)
                            {
                                Interlocked.Exchange(ref _lastBatch, Stopwatch.GetTimestamp());
                                Interlocked.Add(ref _consumed, value);
                            }
                        }
                        break;
                    case "creditrisk.features.events.applied":
                        // Counted as a batch's writes complete: a finer mark than the checkpoints (every 5 s).
                        var applied = Interlocked.Add(ref _applied, value);
                        if (warmupEvents > 0 && applied >= warmupEvents && applied - value < warmupEvents)
                        {
                            Measured = DrainMark.Take(applied);
                            WarmedUp?.Invoke();
                        }
                        break;
                    case "creditrisk.features.events.late":
                        Interlocked.Add(ref _late, value);
                        break;
                }
            });
            _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                if (instrument.Name == "creditrisk.features.checkpoint.duration")
                {
                    // Recorded once a checkpoint is stored: its events are durable and its cost is paid.
                    var mark = DrainMark.Take(Applied);
                    lock (_checkpoints)
                    {
                        _checkpoints.Add((mark, value));
                    }
                    return;
                }
                // A batch's duration runs from its apply to its writes being done: the first one started processing.
                // Batches complete on several threads: the first to get here sets the mark.
                if (_firstBatch is null
                    && Interlocked.CompareExchange(ref _firstBatch, DrainMark.Take(0, Stopwatch.GetTimestamp() - (long)(value * Stopwatch.Frequency)), null) is null
                    && warmupEvents == 0)
                {
                    Measured = _firstBatch;
                    WarmedUp?.Invoke();
                }
                Interlocked.Exchange(ref _lastWritten, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _batches);
                lock (_listener)
                {
                    _batchSeconds += value;
                }
            });
            _listener.Start();
        }

        /// <summary>Raised once the measured stretch starts.</summary>
        public event Action? WarmedUp;

        public long Consumed => Interlocked.Read(ref _consumed);
        public long Applied => Interlocked.Read(ref _applied);
        public long Late => Interlocked.Read(ref _late);
        public long Batches => Interlocked.Read(ref _batches);
        public double BatchSeconds => _batchSeconds;

        /// <summary>As the first batch started being applied (its own allocations and CPU are left out).</summary>
        public DrainMark? FirstBatch => Volatile.Read(ref _firstBatch);

        /// <summary>Where the measured stretch starts: the writes that took the applied events past the warm-up.</summary>
        public DrainMark? Measured { get; private set; }

        /// <summary>When the last batch's writes (offline rows, online vectors, FeatureVectorUpdated) were acknowledged.</summary>
        public long LastWrittenTimestamp => Interlocked.Read(ref _lastWritten);

        /// <summary>When the last records were checkpointed (consumed records are counted at the checkpoint that makes them durable).</summary>
        public long LastBatchTimestamp => Interlocked.Read(ref _lastBatch);

        /// <summary>A mark as each checkpoint was stored and how long storing it took, in order.</summary>
        public IReadOnlyList<(DrainMark Mark, double Seconds)> Checkpoints
        {
            get
            {
                lock (_checkpoints)
                {
                    return [.. _checkpoints];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
