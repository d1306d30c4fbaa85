using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Features.Processing;
using CreditRisk.Messaging;
using CreditRisk.Messaging.Serialization;
using Google.Protobuf;

namespace CreditRisk.Features.Tests;

public sealed class RawEventDecoderTests
{
    private readonly RawEventDecoder _decoder = new(new ProtobufEventSerializer());

    [Fact]
    public void A_catalogue_topic_decodes_its_own_type_with_or_without_a_type_header()
    {
        Assert.True(_decoder.TryDecode(Record(TopicCatalogue.Transactions.Name, Transaction(), TransactionRecorded.Descriptor.FullName), out var declared, out _));
        Assert.True(_decoder.TryDecode(Record(TopicCatalogue.Transactions.Name, Transaction(), declaredType: null), out var undeclared, out _));

        Assert.Equal("customer-1", declared!.CustomerId);
        Assert.Equal("customer-1", undeclared!.CustomerId);
    }

    [Fact]
    public void A_record_declaring_another_type_than_its_catalogue_topic_is_refused_naming_both()
    {
        var decoded = _decoder.TryDecode(Record(TopicCatalogue.Transactions.Name, Transaction(), RepaymentRecorded.Descriptor.FullName), out var rawEvent, out var reason);

        Assert.False(decoded);
        Assert.Null(rawEvent);
        Assert.Equal($"expected {TransactionRecorded.Descriptor.FullName} but the record holds {RepaymentRecorded.Descriptor.FullName}", reason);
    }

    [Fact]
    public void Another_topic_decodes_the_source_its_header_declares_and_refuses_a_record_without_one_or_of_another_type()
    {
        Assert.True(_decoder.TryDecode(Record("replay.transactions", Transaction(), TransactionRecorded.Descriptor.FullName), out var replayed, out _));
        Assert.IsType<TransactionRecorded>(replayed!.Event);

        Assert.False(_decoder.TryDecode(Record("replay.transactions", Transaction(), declaredType: null), out _, out var missing));
        Assert.Equal($"replay.transactions is not a catalogue topic and the record has no {MessageHeaders.MessageType} header", missing);

        Assert.False(_decoder.TryDecode(Record("replay.transactions", Transaction(), LoanOutcomeRecorded.Descriptor.FullName), out _, out var notASource));
        Assert.Equal($"{LoanOutcomeRecorded.Descriptor.FullName} is not a source of any feature view", notASource);
    }

    private static TransactionRecorded Transaction() => new()
    {
        Envelope = new EventEnvelope
        {
            EventId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            EntityKey = "customer:customer-1",
            EventTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)),
        },
        CustomerId = "customer-1",
        Amount = 12.5,
    };

    private static ConsumeResult<byte[]?, byte[]?> Record(string topic, IMessage value, string? declaredType)
    {
        var headers = new Headers();
        if (declaredType is not null)
        {
            headers.Add(MessageHeaders.MessageType, Encoding.UTF8.GetBytes(declaredType));
        }
        return new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, 0),
            Message = new Message<byte[]?, byte[]?> { Value = value.ToByteArray(), Headers = headers },
        };
    }
}
