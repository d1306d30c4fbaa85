using CreditRisk.Contracts.Events.V1;
using Google.Protobuf;

namespace CreditRisk.Registry.Outbox;

/// <summary>The event types the registry writes to its outbox, by Protobuf full name.</summary>
public static class OutboxEventTypes
{
    private static readonly Dictionary<string, MessageParser> Parsers = new()
    {
        [ModelVersionRegistered.Descriptor.FullName] = ModelVersionRegistered.Parser,
        [ModelVersionPromoted.Descriptor.FullName] = ModelVersionPromoted.Parser,
        [ServingExperimentChanged.Descriptor.FullName] = ServingExperimentChanged.Parser,
    };

    public static IIntegrationEvent Parse(string eventType, byte[] payload) =>
        Parsers.TryGetValue(eventType, out var parser)
            ? (IIntegrationEvent)parser.ParseFrom(payload)
            : throw new InvalidOperationException($"The outbox holds an event of unknown type {eventType}.");
}
