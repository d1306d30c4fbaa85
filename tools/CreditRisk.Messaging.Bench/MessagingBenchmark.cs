using System.Diagnostics;
using Confluent.Kafka;
using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.DevBroker;
using CreditRisk.Messaging.Publishing;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Messaging.Bench;

/// <summary>
/// The same workload (N TransactionRecorded events, acks=all, idempotent) published and consumed through
/// the library and through raw Confluent.Kafka, on the same broker, in one run. Raw consuming stores the
/// offset after each record too, so both sides do at-least-once work.
/// </summary>
internal static class MessagingBenchmark
{
    private const int InFlightWindow = 20_000;

    public static async Task<int> RunAsync(int events, string? bootstrap)
    {
        KafkaDevBroker? broker = null;
        string? dataDirectory = null;
        if (bootstrap is null)
        {
            dataDirectory = Directory.CreateTempSubdirectory("messaging-bench").FullName;
            broker = new KafkaDevBroker(new BrokerOptions { DataDirectory = dataDirectory, Port = 0 });
            await broker.StartAsync();
            bootstrap = broker.BootstrapServers;
        }
        try
        {
            var payload = Enumerable.Range(0, events).Select(BenchmarkEvents.Transaction).ToArray();
            Console.WriteLine($"{events:N0} events of ~{payload[0].CalculateSize()} bytes, broker {bootstrap}");

            var rawPublish = await RawPublishAsync(bootstrap, "bench.raw", payload);
            var rawConsume = RawConsume(bootstrap, "bench.raw", events);
            var (libraryPublish, libraryConsume) = await LibraryAsync(bootstrap, "bench.library", payload);

            Console.WriteLine();
            Console.WriteLine($"{"",-10} {"raw Confluent.Kafka",22} {"CreditRisk.Messaging",22} {"library/raw",12}");
            Print("publish", rawPublish, libraryPublish, events);
            Print("consume", rawConsume, libraryConsume, events);
            return 0;
        }
        finally
        {
            if (broker is not null)
            {
                await broker.DisposeAsync();
                Directory.Delete(dataDirectory!, recursive: true);
            }
        }
    }

    private static void Print(string what, TimeSpan raw, TimeSpan library, int events)
    {
        var rawRate = events / raw.TotalSeconds;
        var libraryRate = events / library.TotalSeconds;
        Console.WriteLine($"{what,-10} {rawRate,16:N0} ev/s {libraryRate,16:N0} ev/s {libraryRate / rawRate,11:P0}");
    }

    private static async Task<TimeSpan> RawPublishAsync(string bootstrap, string topic, TransactionRecorded[] payload)
    {
        using var producer = new ProducerBuilder<string, byte[]>(BenchKafka.ThroughputProducer(bootstrap)).Build();
        var failures = 0L;
        var stopwatch = Stopwatch.StartNew();
        foreach (var @event in payload)
        {
            var message = new Message<string, byte[]>
            {
                Key = @event.Envelope.EntityKey,
                Value = @event.ToByteArray(),
                Headers = new Headers { { MessageHeaders.MessageType, "creditrisk.events.v1.TransactionRecorded"u8.ToArray() } },
            };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    });
                    break;
                }
                catch (ProduceException<string, byte[]> exception) when (exception.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        producer.Flush();
        stopwatch.Stop();
        await Task.CompletedTask;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} raw deliveries failed");
        }
        return stopwatch.Elapsed;
    }

    private static TimeSpan RawConsume(string bootstrap, string topic, int events)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-raw-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoOffsetStore = false,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        }).Build();
        consumer.Subscribe(topic);
        var stopwatch = Stopwatch.StartNew();
        var count = 0;
        while (count < events)
        {
            var record = consumer.Consume(TimeSpan.FromSeconds(1));
            if (record is null)
            {
                continue;
            }
            _ = TransactionRecorded.Parser.ParseFrom(record.Message.Value);
            consumer.StoreOffset(record);
            count++;
        }
        stopwatch.Stop();
        consumer.Close();
        return stopwatch.Elapsed;
    }

    private static async Task<(TimeSpan Publish, TimeSpan Consume)> LibraryAsync(string bootstrap, string topic, TransactionRecorded[] payload)
    {
        var counter = new Counter { Target = payload.Length };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "messaging-bench" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(counter);
        builder.AddKafkaEventBus(kafka =>
        {
            kafka.BootstrapServers = bootstrap;
            kafka.ProvisionTopics = false;
            foreach (var (key, value) in new Dictionary<string, string> { ["linger.ms"] = "5", ["batch.size"] = "1000000", ["queue.buffering.max.messages"] = "1000000" })
            {
                kafka.Producer[key] = value;
            }
        });
        using var publisherHost = builder.Build();
        var publisher = publisherHost.Services.GetRequiredService<IEventPublisher>();

        var stopwatch = Stopwatch.StartNew();
        // A sliding window of unacknowledged publishes keeps the producer's batches full, as raw Produce does.
        var inFlight = new Queue<Task<PublishedEvent>>(InFlightWindow);
        foreach (var @event in payload)
        {
            if (inFlight.Count == InFlightWindow)
            {
                await inFlight.Dequeue();
            }
            inFlight.Enqueue(publisher.PublishAsync(@event, topic));
        }
        await Task.WhenAll(inFlight);
        var publish = stopwatch.Elapsed;

        var consumerBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "messaging-bench" });
        consumerBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        consumerBuilder.Services.AddSingleton(counter);
        consumerBuilder.AddKafkaEventBus(kafka => { kafka.BootstrapServers = bootstrap; kafka.ProvisionTopics = false; })
            .AddSubscription<TransactionRecorded, CountingHandler>(o => { o.Topic = topic; o.GroupId = "bench-library-" + Guid.NewGuid().ToString("N"); });
        using var consumerHost = consumerBuilder.Build();
        stopwatch.Restart();
        await consumerHost.StartAsync();
        await counter.Reached;
        var consume = stopwatch.Elapsed;
        await consumerHost.StopAsync();
        return (publish, consume);
    }
}
