using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;

namespace CreditRisk.Outbox;

/// <summary>Parses an outbox row's payload by its Protobuf full name: any event type the topic catalogue carries.</summary>
public static class OutboxEventTypes
{
    public static IIntegrationEvent Parse(string eventType, byte[] payload)
    {
        var type = TopicCatalogue.EventTopics.Select(topic => topic.ValueType).FirstOrDefault(descriptor => descriptor?.FullName == eventType)
            ?? throw new InvalidOperationException($"The outbox holds an event of type {eventType}, which no catalogue topic carries.");
        return (IIntegrationEvent)type.Parser.ParseFrom(payload);
    }
}
