using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.FeatureStore;

namespace CreditRisk.Features.Processing;

/// <summary>A raw record decoded into its event, with what the processor needs from it.</summary>
/// <param name="Record">The Kafka record (for late routing and offsets).</param>
/// <param name="Event">The typed event.</param>
/// <param name="CustomerId">Whose windows it updates.</param>
/// <param name="Customer">The event reduced to what window aggregation needs.</param>
/// <param name="RecordedTime">When the platform recorded it: the created time of the rows it produces.</param>
public sealed record RawEvent(
    ConsumeResult<byte[]?, byte[]?> Record,
    IIntegrationEvent Event,
    string CustomerId,
    CustomerEvent Customer,
    DateTimeOffset RecordedTime)
{
    public string EventId => Customer.EventId;

    public DateTimeOffset EventTime => Customer.EventTime;
}
