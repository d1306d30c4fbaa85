using System.Collections.Frozen;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using Google.Protobuf;

namespace CreditRisk.Outbox;

/// <summary>Parses an outbox row's payload by its Protobuf full name: any event type the topic catalogue carries.</summary>
public static class OutboxEventTypes
{
    // Built once from the catalogue, so a new event type needs no change here.
    private static readonly FrozenDictionary<string, MessageParser> Parsers = TopicCatalogue.EventTopics
        .Where(topic => topic.ValueType is not null)
        .ToFrozenDictionary(topic => topic.ValueType!.FullName, topic => topic.ValueType!.Parser);

    public static IIntegrationEvent Parse(string eventType, byte[] payload) =>
        Parsers.TryGetValue(eventType, out var parser)
            ? (IIntegrationEvent)parser.ParseFrom(payload)
            : throw new InvalidOperationException($"The outbox holds an event of type {eventType}, which no catalogue topic carries.");
}
