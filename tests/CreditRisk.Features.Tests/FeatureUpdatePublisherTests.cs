using System.Security.Cryptography;
using System.Text;
using CreditRisk.Contracts.Common.V1;
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
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key))[..16];
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);

        Assert.Equal(new Guid(hash, bigEndian: true).ToString(), FeatureUpdatePublisher.EventIdOf(row));
        Assert.NotEqual(FeatureUpdatePublisher.EventIdOf(row), FeatureUpdatePublisher.EventIdOf(Row("cüstomer-1", "src-event-10")));
    }

    [Fact]
    public void The_event_carries_every_feature_of_the_vector_in_the_views_order()
    {
        var row = Row("c1", "e1");

        var @event = FeatureUpdatePublisher.ToEvent(row, Timestamp.FromDateTimeOffset(T0.AddSeconds(5)));

        Assert.Equal(FeatureRegistry.CustomerTransactionsV1.Features.Select(feature => feature.Name), @event.Features.Select(feature => feature.Name));
        Assert.Equal(1, @event.Features.Single(feature => feature.Name == "txn_count_30d").Value.Int64Value);
        Assert.All(@event.Features, feature => Assert.Equal(T0, feature.EventTime.ToDateTimeOffset()));
        Assert.Equal("customer:c1", @event.Envelope.EntityKey);
        Assert.Equal("e1", @event.SourceEventId);
    }

    private static FeatureRow Row(string customerId, string eventId)
    {
        var state = new CustomerFeatureState(customerId);
        state.Apply(new CustomerEvent(SourceEvent.TransactionRecorded, T0, 42, eventId));
        return new FeatureRow(new EntityKey { Entity = "customer", Id = customerId }, "customer_transactions", 1,
            state.Compute(FeatureRegistry.CustomerTransactionsV1, T0), T0, T0, eventId);
    }
}
