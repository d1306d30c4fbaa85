using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Benchmarking;

namespace CreditRisk.DevBroker.Bench;

internal static class Workload
{
    private const string Topic = "bench";
    private static readonly TopicPartition Partition = new(Topic, 0);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public static async Task<BenchResult> RunAgainstDevBrokerAsync(BenchSettings settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"devbroker-bench-{Guid.NewGuid():N}");
        var broker = new KafkaDevBroker(new BrokerOptions { DataDirectory = dataDirectory, Port = 0 });
        try
        {
            await broker.StartAsync();
            Console.WriteLine($"[dev] broker listening on {broker.BootstrapServers}, data in {dataDirectory}");
            using var producer = new ProducerBuilder<Null, byte[]>(ProducerConfig(broker.BootstrapServers)).Build();
            return await RunAsync("dev broker", broker.BootstrapServers, producer, settings, createTopic: true, boundedLog: false);
        }
        finally
        {
            await broker.StopAsync();
            await broker.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    public static async Task<BenchResult> RunAgainstMockClusterAsync(BenchSettings settings)
    {
        // With test.mock.num.brokers the client creates a mock cluster inside itself, listening on loopback, and
        // logs (facility MOCK) "... replaced with HOST:PORT". Other clients reach that cluster through this address
        // for as long as this producer lives.
        var config = ProducerConfig("unused:9092");
        config.Set("test.mock.num.brokers", "1");
        var bootstrap = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var producer = new ProducerBuilder<Null, byte[]>(config)
            .SetLogHandler((_, log) =>
            {
                const string marker = "replaced with ";
                var at = log.Message.IndexOf(marker, StringComparison.Ordinal);
                if (log.Facility == "MOCK" && at >= 0)
                {
                    bootstrap.TrySetResult(log.Message[(at + marker.Length)..].Trim());
                }
            })
            .Build();
        var bootstrapServers = await bootstrap.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"[mock] librdkafka mock cluster at {bootstrapServers}");
        
        // The mock cluster does not serve CreateTopics to a second client (no controller); it creates topics on
        // first use with several partitions. Everything is produced to and read from partition 0 on both targets.
        // It also keeps only the newest few MB of a partition, so its consumer can only be measured in rounds (see ConsumeInRounds).
        return await RunAsync("librdkafka mock", bootstrapServers, producer, settings, createTopic: false, boundedLog: true);
    }

    private static ProducerConfig ProducerConfig(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = false,
        LingerMs = 5,
        BatchSize = 1024 * 1024,
        MessageMaxBytes = 2 * 1024 * 1024,
        CompressionType = CompressionType.None,
        QueueBufferingMaxMessages = 2_000_000,
        QueueBufferingMaxKbytes = 2 * 1024 * 1024,
        MessageTimeoutMs = 300_000,
        ClientId = "devbroker-bench-producer",
        Debug = Environment.GetEnvironmentVariable("BENCH_DEBUG"),
    };

    private static async Task<BenchResult> RunAsync(
        string target, string bootstrapServers, IProducer<Null, byte[]> producer, BenchSettings settings, bool createTopic, bool boundedLog)
    {
        if (createTopic)
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        // Warm-up: metadata, connection, JIT.
        await producer.ProduceAsync(Partition, new Message<Null, byte[]> { Value = new byte[settings.ValueSize] });

        var (produceElapsed, latencies) = Produce(producer, settings);
        Console.WriteLine($"[{target}] produced {settings.Records:N0} in {produceElapsed.TotalSeconds:0.00} s");

        TimeSpan? consumeAllElapsed = null;
        if (!boundedLog)
        {
            consumeAllElapsed = Consume(bootstrapServers, settings.Records + 1, settings.ValueSize);
            Console.WriteLine($"[{target}] consumed all {settings.Records + 1:N0} from the beginning in {consumeAllElapsed.Value.TotalSeconds:0.00} s");
        }

        var consumeRoundsElapsed = ConsumeInRounds(bootstrapServers, producer, settings);
        Console.WriteLine($"[{target}] consumed {settings.Records:N0} in rounds in {consumeRoundsElapsed.TotalSeconds:0.00} s");

        return new BenchResult(target, produceElapsed, consumeAllElapsed, consumeRoundsElapsed, latencies.Summary(), settings.Records, settings.ValueSize);
    }

    private static (TimeSpan Elapsed, LatencyRecorder Latencies) Produce(IProducer<Null, byte[]> producer, BenchSettings settings)
    {
        var payload = new byte[settings.ValueSize];
        new Random(17).NextBytes(payload);
        var message = new Message<Null, byte[]> { Value = payload };
        var started = new long[settings.Records];
        var latencies = new LatencyRecorder();
        long failures = 0;
        string? firstError = null;

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < settings.Records; i++)
        {
            var index = i;
            started[index] = Stopwatch.GetTimestamp();
            while (true)
            {
                try
                {
                    producer.Produce(Partition, message, report =>
                    {
                        latencies.RecordSince(started[index]);
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                            firstError ??= report.Error.ToString();
                        }
                    });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        var remaining = producer.Flush(Deadline);
        stopwatch.Stop();
        if (remaining > 0 || failures > 0)
        {
            throw new InvalidOperationException($"{remaining} records undelivered, {failures} failed (first: {firstError})");
        }

        return (stopwatch.Elapsed, latencies);
    }

    private static ConsumerConfig ConsumerConfig(string bootstrapServers)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"bench-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchMaxBytes = 64 * 1024 * 1024,
            MaxPartitionFetchBytes = 16 * 1024 * 1024,
            FetchWaitMaxMs = 100,

            // Prefetch generously: with the defaults (100,000 messages) two large fetches of 100-byte records exceed
            // the local queue, and librdkafka then backs off fetch.queue.backoff.ms (1 s) before fetching again.
            QueuedMinMessages = 1_000_000,
            QueuedMaxMessagesKbytes = 1024 * 1024,
            ClientId = "devbroker-bench-consumer",

            // librdkafka debug contexts for diagnosis, e.g. BENCH_DEBUG=fetch,protocol.
            Debug = Environment.GetEnvironmentVariable("BENCH_DEBUG"),
        };
        config.Set("fetch.queue.backoff.ms", "10");
        return config;
    }

    /// <summary>Reads the whole partition from the beginning: the time from assignment to the last record.</summary>
    private static TimeSpan Consume(string bootstrapServers, int expected, int valueSize)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(ConsumerConfig(bootstrapServers)).Build();
        var stopwatch = Stopwatch.StartNew();
        consumer.Assign(new TopicPartitionOffset(Partition, Offset.Beginning));
        var count = 0;
        long bytes = 0;
        while (count < expected)
        {
            if (stopwatch.Elapsed > Deadline)
            {
                throw new TimeoutException($"consumed only {count:N0} of {expected:N0} records");
            }

            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is not null)
            {
                count++;
                bytes += result.Message.Value.Length;
            }
        }

        stopwatch.Stop();
        if (bytes != (long)expected * valueSize)
        {
            throw new InvalidOperationException($"consumed {bytes:N0} value bytes, expected {(long)expected * valueSize:N0}");
        }

        consumer.Close();
        return stopwatch.Elapsed;
    }

    /// <summary>
    /// Produce a round of records (untimed), then consume exactly that round, timing from its first to its last
    /// record, until as many records as in the produce phase were read. The librdkafka mock keeps only the tail of
    /// a partition, so this is the one consume figure both targets have; fetching and consuming barely overlap here.
    /// </summary>
    private static TimeSpan ConsumeInRounds(string bootstrapServers, IProducer<Null, byte[]> producer, BenchSettings settings)
    {
        const int roundSize = 20_000;
        var message = new Message<Null, byte[]> { Value = new byte[settings.ValueSize] };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(ConsumerConfig(bootstrapServers)).Build();
        var high = consumer.QueryWatermarkOffsets(Partition, TimeSpan.FromSeconds(30)).High;
        consumer.Assign(new TopicPartitionOffset(Partition, high));
        var total = TimeSpan.Zero;
        var consumed = 0;
        var guard = Stopwatch.StartNew();
        while (consumed < settings.Records)
        {
            var round = Math.Min(roundSize, settings.Records - consumed);
            for (var i = 0; i < round; i++)
            {
                producer.Produce(Partition, message);
            }

            if (producer.Flush(Deadline) > 0)
            {
                throw new TimeoutException("round not delivered");
            }

            var inRound = 0;
            long firstTick = 0;
            while (inRound < round)
            {
                if (guard.Elapsed > Deadline)
                {
                    throw new TimeoutException($"consumed only {consumed + inRound:N0} of {settings.Records:N0} records");
                }

                if (consumer.Consume(TimeSpan.FromSeconds(1)) is not null)
                {
                    if (inRound == 0)
                    {
                        firstTick = Stopwatch.GetTimestamp();
                    }

                    inRound++;
                }
            }

            total += Stopwatch.GetElapsedTime(firstTick);
            consumed += round;
        }

        consumer.Close();
        return total;
    }
}
