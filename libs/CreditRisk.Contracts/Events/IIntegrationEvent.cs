using Google.Protobuf;

namespace CreditRisk.Contracts.Events.V1;

/// <summary>
/// An event that crosses service boundaries on Kafka: a Protobuf message with an
/// <see cref="EventEnvelope"/>. The messaging library keys, traces and deduplicates through this.
/// </summary>
public interface IIntegrationEvent : IMessage
{
    EventEnvelope Envelope { get; set; }
}
