using System.Runtime.CompilerServices;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CreditRisk.Messaging.Tests;

public sealed class PublishedBatchLifetimeTests
{
    [Fact]
    public async Task A_batch_handed_to_librdkafka_can_be_collected_before_it_is_delivered()
    {
        // Nothing listens on the bootstrap address: the records wait in librdkafka's queue, undelivered, until they time out.
        var options = Options.Create(new KafkaOptions
        {
            BootstrapServers = "127.0.0.1:1",
            Producer = { ["message.timeout.ms"] = "5000" },
        });
        var clients = new KafkaClientFactory(options, new HostingEnvironment { ApplicationName = "lifetime-test" }, new KafkaClientHealth());
        using var connection = new KafkaProducerConnection(clients, NullLogger<KafkaProducerConnection>.Instance);
        var publisher = new KafkaEventPublisher(connection, new ProtobufEventSerializer());

        var (delivery, encoded) = Publish(publisher);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(delivery.IsCompleted);
        Assert.False(encoded.TryGetTarget(out _), "the publisher kept the batch's events alive while waiting for their delivery");
        var failure = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => delivery);
        Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);
    }

    // Apart, so that no local of the test method holds the events.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Task Delivery, WeakReference<EncodedEvent[]> Encoded) Publish(IEventPublisher publisher)
    {
        var encoded = Enumerable.Range(0, 100)
            .Select(i => TestEvents.Transaction($"C-{i}"))
            .Select(@event => new EncodedEvent(TransactionRecorded.Descriptor, @event.Envelope, @event.ToByteArray()))
            .ToArray();
        return (publisher.PublishBatchAsync(encoded, "lifetime-test", TestContext.Current.CancellationToken), new WeakReference<EncodedEvent[]>(encoded));
    }
}
