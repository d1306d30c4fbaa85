using System.IO.Hashing;
using System.Text;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Features.Processing;
using CreditRisk.FeatureStore;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Features.Tests;

public sealed class FeatureUpdatePublisherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_event_id_is_the_name_based_uuid_of_the_rows_idempotency_key()
    {
        var row = Row("cüstomer-1", "src-event-9");
        var key = "customer\u001fcüstomer-1\u001fcustomer_transactions\u001f1\u001fsrc-event-9";
        var hash = XxHash128.Hash(Encoding.UTF8.GetBytes(key));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);

        Assert.Equal(new Guid(hash, bigEndian: true).ToString(), FeatureUpdatePublisher.EventIdOf(row));
        Assert.NotEqual(FeatureUpdatePublisher.EventIdOf(row), FeatureUpdatePublisher.EventIdOf(Row("cüstomer-1", "src-event-10")));
    }

    [Fact]
    public void The_event_carries_every_feature_of_the_vector_in_the_views_order()
    {
        var row = Row("c1", "e1");
        var recorded = Timestamp.FromDateTimeOffset(T0.AddSeconds(5));

        var encoded = FeatureUpdatePublisher.Encode(row, recorded);
        var @event = FeatureVectorUpdated.Parser.ParseFrom(encoded.Protobuf);

        Assert.Equal(FeatureVectorUpdated.Descriptor, encoded.Type);
        Assert.Equal(encoded.Envelope, @event.Envelope);
        Assert.Equal(FeatureRegistry.CustomerTransactionsV1.Features.Select(feature => feature.Name), @event.Features.Select(feature => feature.Name));
        Assert.Equal(1, @event.Features.Single(feature => feature.Name == "txn_count_30d").Value.Int64Value);
        Assert.Equal(42, @event.Features.Single(feature => feature.Name == "txn_sum_30d").Value.DoubleValue);
        Assert.All(@event.Features, feature => Assert.Null(feature.EventTime));   // the envelope's, once
        Assert.Equal(FeatureUpdatePublisher.EventIdOf(row), @event.Envelope.EventId);
        Assert.Equal("customer:c1", @event.Envelope.EntityKey);
        Assert.Equal(T0, @event.Envelope.EventTime.ToDateTimeOffset());
        Assert.Equal(recorded, @event.Envelope.RecordedTime);
        Assert.Equal(row.Entity, @event.Entity);
        Assert.Equal(("customer_transactions", 1), (@event.FeatureView, @event.FeatureViewVersion));
        Assert.Equal("e1", @event.SourceEventId);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_encoding_parses_to_the_message_built_feature_by_feature(FeatureRow row)
    {
        var encoded = FeatureUpdatePublisher.Encode(row, Timestamp.FromDateTimeOffset(T0));

        // The reference: the generated message with one Feature object per value.
        var expected = FeatureVectorUpdated.Parser.ParseFrom(encoded.Protobuf);
        expected.Features.Clear();
        foreach (var (name, value) in row.Values)
        {
            expected.Features.Add(new Feature { Name = name, Value = value });
        }
        Assert.Equal(expected, FeatureVectorUpdated.Parser.ParseFrom(encoded.Protobuf));
        Assert.Equal(expected.CalculateSize(), encoded.Protobuf.Length);
    }

    public static TheoryData<FeatureRow> Vectors()
    {
        var data = new TheoryData<FeatureRow> { Row("c1", "e1") };
        // Every value kind and edge: negative and large integers (10-byte varints), zero, NaN, empty and
        // multi-byte strings, long names (2-byte length prefixes), a null, and an event time before 1970.
        var values = new Dictionary<string, FeatureValue>
        {
            ["zero"] = new() { DoubleValue = 0 },
            ["nan"] = new() { DoubleValue = double.NaN },
            ["negative"] = new() { Int64Value = -1 },
            ["large"] = new() { Int64Value = long.MaxValue },
            ["empty"] = new() { StringValue = "" },
            ["text"] = new() { StringValue = "Grüße " + new string('x', 300) },
            ["no"] = new() { BoolValue = false },
            ["yes"] = new() { BoolValue = true },
            ["missing"] = new(),
            [new string('n', 200)] = new() { DoubleValue = 1.5 },
        };
        data.Add(new FeatureRow(new EntityKey { Entity = "application", Id = "a-1" }, "application", 1, values,
            new DateTimeOffset(1969, 7, 20, 20, 17, 40, 123, TimeSpan.Zero), T0, "e2"));
        data.Add(new FeatureRow(new EntityKey { Entity = "customer", Id = "c2" }, "customer_transactions", 1,
            new Dictionary<string, FeatureValue>(), T0, T0, "e3"));
        return data;
    }

    private static FeatureRow Row(string customerId, string eventId)
    {
        var state = new CustomerFeatureState(customerId);
        state.Apply(new CustomerEvent(SourceEvent.TransactionRecorded, T0, 42, eventId));
        return new FeatureRow(new EntityKey { Entity = "customer", Id = customerId }, "customer_transactions", 1,
            state.Compute(FeatureRegistry.CustomerTransactionsV1, T0), T0, T0, eventId);
    }
}
