using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging;
using CreditRisk.Testing.Kafka;
using Google.Protobuf;

namespace CreditRisk.Features.Tests.Support;

/// <summary>Publishes raw events to a test's topics the way the messaging library does (key = customer, type header).</summary>
public sealed class RawEventProducer(DevBrokerFixture broker, TestTopics topics) : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(broker.ProducerConfig()).Build();

    public string TopicOf(IIntegrationEvent @event) => @event switch
    {
        LoanApplicationSubmitted => topics.Applications,
        TransactionRecorded => topics.Transactions,
        RepaymentRecorded => topics.Repayments,
        _ => throw new ArgumentException($"{@event.Descriptor.Name} is not a raw event"),
    };

    public async Task PublishAsync(IEnumerable<IIntegrationEvent> events)
    {
        var sends = events.Select(@event => PublishRawAsync(TopicOf(@event), @event.Envelope.EntityKey, @event.ToByteArray(), @event.Descriptor.FullName)).ToList();
        await Task.WhenAll(sends);
    }

    public Task PublishAsync(IIntegrationEvent @event) => PublishAsync([@event]);

    public Task PublishRawAsync(string topic, string key, byte[] value, string? messageType) =>
        _producer.ProduceAsync(topic, new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(key),
            Value = value,
            Headers = messageType is null ? [] : new Headers { { MessageHeaders.MessageType, Encoding.UTF8.GetBytes(messageType) } },
        });

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
